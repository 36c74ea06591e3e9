import { field } from '../../parse/index.js';
import type { Rule } from '../types.js';
import { isTrue, kw } from '../helpers.js';

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
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
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
