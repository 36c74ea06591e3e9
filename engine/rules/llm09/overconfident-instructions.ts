import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { lineAt, systemTexts } from '../llm07/system-text.js';

/**
 * Instructions that forbid the model to hedge, defer or admit ignorance turn its guesses into
 * confident claims: invented citations, definitive diagnoses, advice with no referral. This
 * reads the prompt text (string literals), which is where such orders are written.
 */
const OVERCONFIDENT: RegExp[] = [
  /\b(never|do not|don't|must not)\s+(say|admit|state|tell (the )?(user|customer|patient|client)s?|respond|reply|answer)\s+(that\s+)?(you|it)\s+(do not|don't|cannot|can't|are not|aren't)\s+(know|sure|certain|able)/i,
  /\b(never|do not|don't|must not)\s+(express|show|mention|admit)\s+(any\s+)?(uncertainty|doubt|limitations?)/i,
  /\b(never|do not|don't|must not)\s+(refer|recommend|suggest|advise|tell)\b[^.\n]{0,60}\b(doctor|physician|clinician|specialist|lawyer|attorney|counsel|professional|advis[eo]r|pharmacist|therapist)s?\b/i,
  /\b(never|do not|don't|must not)\s+(add|include|give|use|write)\s+(any\s+)?(disclaimers?|caveats?|warnings?|hedg\w*)/i,
  /\b(always|must)\s+(give|provide|state|return|deliver|make)\s+(a\s+|an\s+|the\s+)?(definitive|definite|certain|conclusive|final|confident|firm)\s+(answer|diagnos[ie]s|verdict|conclusion|recommendation|ruling|prognosis)/i,
  /\b(make up|invent|fabricate|guess)\b[^.\n]{0,40}\b(citations?|sources?|references?|case law|cases|statistics|numbers|figures|studies|quotes?)\b/i,
  /\b(always|must)\s+(cite|include|provide|name)\b[^.\n]{0,40}\b(citations?|case law|cases|sources|references|studies)\b[^.\n]{0,60}\b(even if|whether or not|regardless)\b/i,
  /\b(even if|when)\s+(you are|you're)\s+(not sure|unsure|uncertain)\b[^.\n]{0,40}\b(answer|respond|state|give)\b/i,
  /\bpresent\b[^.\n]{0,30}\b(guesses|estimates|assumptions|speculation)\b[^.\n]{0,20}\bas\s+(facts?|certain)/i,
];

/** "you never invent numbers" forbids the bad thing; only the bare order to invent counts. */
function negated(text: string, at: number): boolean {
  return /\b(never|not|no|don't|without|avoid)\s+(\w+\s+)?$/i.test(text.slice(Math.max(0, at - 24), at));
}

export const rule: Rule = {
  meta: {
    id: 'misinformation/overconfident-instructions',
    owasp: 'LLM09',
    asi: 'ASI09',
    cwe: 'CWE-1426',
    severity: 'MEDIUM',
    title: 'Prompt forbids the model to hedge or defer',
    description: 'The system prompt tells the model never to admit uncertainty, never to refer users to a professional, to omit disclaimers or to always give definitive answers or citations, so hallucinated answers reach users as confident facts.',
    fix: 'Let the model say it does not know, require grounding in retrieved sources with real citations, keep referrals and disclaimers for medical, legal and financial topics, and route high-stakes answers to human review.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const s of systemTexts(model)) {
      const text = model.text(s.node);
      // The first such order in the text is where a reader starts.
      const first = OVERCONFIDENT.map((re) => re.exec(text))
        .filter((m): m is RegExpExecArray => m !== null && !negated(text, m.index))
        .sort((a, b) => a.index - b.index)[0];
      if (!first) continue;
      ctx.report({ node: s.node, line: lineAt(model, s.node, first.index), message: `The system prompt (${s.via}) says "${first[0].trim()}": the model is told to present guesses as facts.` });
    }
  },
};
