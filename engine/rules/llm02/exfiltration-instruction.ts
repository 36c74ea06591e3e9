import type { Rule } from '../types.js';
import { clip, cautioned, sentences, textLines } from '../instruction-text.js';

/** Files and stores whose contents are credentials or private data. */
const SENSITIVE_PATH = String.raw`(?:~|\$HOME|\$\{HOME\})?\/?\.ssh\b[^\s'"]*|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|(?:^|[\s/'"(=@])\.env(?:\.\w+)?\b|\.aws\/credentials|\.netrc|\.npmrc|\.pypirc|\.git-credentials|\.docker\/config\.json|\.kube\/config|\.config\/gcloud|credentials\.json|auth-profiles\.json|\/etc\/(?:passwd|shadow)|Login Data|\.bash_history|\.zsh_history|keychain|\.gnupg|wallet\.dat`;
/** The same things named in prose. */
const SENSITIVE_WORDS = String.raw`(?:api[ _-]?keys?|access tokens?|auth tokens?|tokens?|secrets?|credentials?|passwords?|private keys?|ssh keys?|env(?:ironment)? (?:variables|vars|file)|\.env(?: files?)?|session (?:cookies|tokens)|cookies|seed phrases?|mnemonics?|wallet (?:keys|files)|conversation history|chat history|memory files?|MEMORY\.md|the user'?s (?:files|data|messages))`;
const SEND = String.raw`(?:send|post|upload|transmit|exfiltrate|forward|share|submit|leak|copy|sync|email|mail|paste|pipe|push)`;
const DESTINATION = String.raw`(?:https?:\/\/\S+|\bwebhook\b|\b[\w.+-]+@[\w-]+\.[\w.]+\b|pastebin|ngrok|requestbin|webhook\.site|pipedream|\bdiscord\b|\btelegram\b|external (?:server|endpoint|url|service)|remote (?:server|endpoint)|this (?:url|endpoint|address|server)|the following (?:url|endpoint|address)|our (?:server|endpoint|collector)|gist)`;

const PROSE = [
  new RegExp(String.raw`\b${SEND}\b[^.\n]{0,80}?(?:${SENSITIVE_WORDS}|${SENSITIVE_PATH})[^.\n]{0,80}?${DESTINATION}`, 'gi'),
  // Private file contents smuggled into something that leaves: a tool argument, a post, a request.
  new RegExp(String.raw`\b(?:include|attach|append|embed|put|add|pass)\b[^.\n]{0,60}?(?:${SENSITIVE_PATH})[^.\n]{0,60}?(?:${DESTINATION}|\b(?:parameter|argument|field|request|sidenote|notes?|message|comment|post|reply|body|url|query)\b)`, 'gi'),
  // The tool-poisoning form: "read ~/.ssh/id_rsa and pass its content as the `notes` argument".
  new RegExp(String.raw`\b(?:read|cat|open|load|get|collect|copy)\s+(?:the\s+)?(?:contents?\s+of\s+)?(?:the\s+)?(?:file\s+)?(?:${SENSITIVE_PATH})[^.\n]{0,60}?\b(?:include|pass|add|put|send|append|attach|embed|upload|post)\b`, 'gi'),
];
/** `secrets … to https://…` in a sentence that also has a sending verb somewhere. */
const TO_DESTINATION = new RegExp(String.raw`(?:${SENSITIVE_WORDS}|${SENSITIVE_PATH})[^.\n]{0,60}?\b(?:to|into)\b[^.\n]{0,40}?${DESTINATION}`, 'gi');
const SEND_ANYWHERE = new RegExp(String.raw`\b${SEND}\b`, 'i');

/** `curl -d @~/.ssh/id_rsa …`, `cat .env | curl …`, `curl …?k=$(env)`, `printenv | nc …`. */
const COMMANDS = [
  new RegExp(String.raw`\b(?:curl|wget|http|httpie|Invoke-WebRequest|iwr|Invoke-RestMethod|irm)\b[^\n|;]{0,300}?(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file|--post-file|-Body|-InFile)[\s=]*["']?[^\s"']{0,200}?(?:@|\$\(\s*cat\s+)?(?:${SENSITIVE_PATH})`, 'gi'),
  new RegExp(String.raw`\b(?:cat|type|base64|tar|zip|gzip|xxd|Get-Content|gc)\b[^\n|;]{0,200}?(?:${SENSITIVE_PATH})[^\n;]{0,200}?\|\s*(?:\S+\s*\|\s*){0,3}?(?:curl|wget|nc|ncat|netcat|socat|http|openssl\s+s_client)\b`, 'gi'),
  /\b(?:env|printenv|set|Get-ChildItem\s+env:|gci\s+env:)\s*\|\s*(?:\S+\s*\|\s*){0,3}?(?:curl|wget|nc|ncat|netcat|socat|http)\b/gi,
  /\b(?:curl|wget|http|nc)\b[^\n|;]{0,300}?\$\(\s*(?:env|printenv|cat\s+[^)]{0,100}\.env[^)]{0,100}|cat\s+[^)]{0,100}\.ssh[^)]{0,100})\s*\)/gi,
  /\bhttps?:\/\/[^\s'"?&]{1,300}(?:[?&][^\s'"?&]{0,200}){0,10}?[?&][\w-]+=\$\{?(?:[A-Z][A-Z0-9_]*_)?(?:API_KEY|TOKEN|SECRET|PASSWORD|KEY|CREDENTIALS)\}?/g,
];

/**
 * An instruction file that tells the agent to gather secrets — SSH keys, `.env` files, cloud
 * credentials, environment variables, API keys, the conversation — and send them somewhere: to a
 * URL, a webhook, an e-mail address. The agent holds the user's files and shell, so it can. Rules
 * that forbid exactly this ("never send your API key to any domain other than …") and ordinary
 * authentication (`-H "Authorization: Bearer $API_KEY"` to the service that issued the key) stay
 * silent.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/exfiltration-instruction',
    owasp: 'LLM02',
    asi: 'ASI01',
    cwe: 'CWE-200',
    severity: 'CRITICAL',
    title: 'Agent instructed to send secrets out',
    description: 'An agent instruction file tells the agent to collect credentials, environment variables, private files or conversation data and send them to an external URL, webhook or address.',
    fix: 'Remove the instruction and do not install the skill or rules file; check whether an agent already followed it and rotate any credential it could reach.',
    languages: ['instructions'],
  },
  check(ctx) {
    const reported = new Set<number>();
    for (const l of textLines(ctx.source)) {
      if (!l.text.trim() || reported.has(l.line)) continue;
      let hit: string | null = null;
      for (const re of COMMANDS) {
        re.lastIndex = 0;
        const m = re.exec(l.text);
        if (m) {
          hit = m[0];
          break;
        }
      }
      if (!hit) {
        for (const s of sentences(l.text)) {
          // Authentication is sending a key to the service that issued it, not leaking it.
          if (/\bauthori[sz]ation\b|\bbearer\b|\bheader\b|x-api-key/i.test(s.text)) continue;
          for (const re of [...PROSE, TO_DESTINATION]) {
            re.lastIndex = 0;
            const m = re.exec(s.text);
            if (m && re === TO_DESTINATION && !SEND_ANYWHERE.test(s.text)) continue;
            if (m && !cautioned(s.text, m.index, l) && !/\bonly\b/i.test(s.text.slice(0, m.index + m[0].length))) {
              hit = m[0];
              break;
            }
          }
          if (hit) break;
        }
      }
      if (!hit) continue;
      reported.add(l.line);
      ctx.report({ line: l.line, message: `Tells the agent to send sensitive data out: "${clip(hit)}".` });
    }
  },
};
