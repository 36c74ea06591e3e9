import { field } from '../../parse/index.js';
import type { Rule } from '../types.js';
import { isTrue, kw } from '../helpers.js';
import { JS_LANGUAGES } from '../types.js';

/**
 * `trust_remote_code=True` runs the Python files shipped in a model or dataset repository on
 * load: whoever controls (or compromises) that repository runs code in the agent process.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/trust-remote-code',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-494',
    severity: 'HIGH',
    title: 'Remote code from a model hub is trusted',
    description: 'trust_remote_code=True executes Python code downloaded with the model or dataset, so a malicious or compromised repository runs code in this process.',
    fix: 'Use models supported natively by the library; if custom code is unavoidable, review it, vendor it, and pin the exact revision (revision="<commit sha>").',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    if (model.language) {
      // JS clients pass the same switch to a Python model server or an inference SDK as an option:
      // `{ trust_remote_code: true }`, `trustRemoteCode: true`.
      const stack = [model.file.root];
      let guard = 0;
      while (stack.length && guard++ < 200_000) {
        const n = stack.pop()!;
        for (const c of n.children) if (c.named) stack.push(c);
        if (n.type !== 'pair') continue;
        const k = field(n, 'key');
        const v = field(n, 'value');
        if (k && v?.type === 'true' && /^["'`]?(trust_remote_code|trustRemoteCode)["'`]?$/.test(model.text(k))) ctx.report({ node: n, message: `${model.text(k).replace(/["'`]/g, '')} is enabled: code from the model repository runs when the model loads.` });
      }
      return;
    }
    for (const call of model.calls) {
      const a = kw(call, 'trust_remote_code');
      if (!isTrue(model, a)) continue;
      ctx.report({ node: a!.node, message: `${call.name}() is called with trust_remote_code=True: code from the model repository runs on load.` });
    }
    // Passed through a wrapper's options: `HuggingFaceEmbeddings(model_kwargs={"trust_remote_code": True})`.
    for (const s of model.strings) {
      const pair = s.node.parent;
      if (pair?.type !== 'pair' || field(pair, 'key') !== s.node || s.value !== 'trust_remote_code') continue;
      const v = field(pair, 'value');
      if (v?.type === 'true') ctx.report({ node: pair, message: 'trust_remote_code is enabled in model options: code from the model repository runs on load.' });
    }
  },
};
