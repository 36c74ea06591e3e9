import type { ArgFact, CallFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { JS_LANGUAGES } from '../types.js';

/** Env prefixes bundlers inline into client code: Next.js, Vite, CRA, Expo, Gatsby, Nuxt, SvelteKit/Astro. */
const PUBLIC_ENV = /\b(process\.env|import\.meta\.env)\.(NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|GATSBY_|NUXT_PUBLIC_|PUBLIC_)\w*(KEY|TOKEN|SECRET)\w*/;
const KEY_OPTION = /^(apiKey|api_key|apikey|token|authToken|accessToken)$/;

function opt(call: CallFact, re: RegExp): ArgFact | undefined {
  return call.args.find((a) => a.name !== null && re.test(a.name));
}

/** A key the server handed out for this session (`session.client_secret.value`, a fetched token) is short-lived by design. */
function ephemeralKey(model: PyModel, key: ArgFact | undefined): boolean {
  if (!key) return false;
  const t = model.text(key.node);
  if (/(ephemeral|client_?secret|session|temporary|tempKey|token\.value)/i.test(t)) return true;
  return key.taint.some((l) => l.kind === 'param' || l.kind === 'web');
}

/**
 * A provider key in browser code is a key published to every visitor: bundlers inline public env
 * variables into the JavaScript they ship, and `dangerouslyAllowBrowser` is the SDKs' own warning
 * that the key in the client is readable by anyone who opens dev tools.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/key-exposed-to-browser',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-522',
    severity: 'HIGH',
    title: 'LLM provider key shipped to the browser',
    description: 'A model provider client runs in browser code with a long-lived API key (dangerouslyAllowBrowser, or a key from a public NEXT_PUBLIC_/VITE_/REACT_APP_ env variable that the bundler inlines), so every visitor can read the key and spend on the account.',
    fix: 'Call the provider from a server route or server action that keeps the key in a server-only env variable; if the browser must talk to the provider directly, mint short-lived ephemeral tokens on the server.',
    languages: [...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      const key = opt(call, KEY_OPTION);
      if (key && PUBLIC_ENV.test(model.text(key.node))) {
        ctx.report({ node: key.node, message: `The API key for ${call.callee}() comes from ${/\w+\.env\.\w+/.exec(model.text(key.node))![0]}, which the bundler inlines into client JavaScript; every visitor can read it.` });
        continue;
      }
      const browser = opt(call, /^dangerouslyAllowBrowser$/);
      if (!browser || browser.node.type !== 'true' || ephemeralKey(model, key)) continue;
      ctx.report({ node: browser.node.parent ?? browser.node, message: `${call.callee}() is created with dangerouslyAllowBrowser: true and a long-lived key; the key ships to every visitor's browser.` });
    }
  },
};
