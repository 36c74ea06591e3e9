import type { PyModel } from '../flow/python.js';
import { field } from '../parse/index.js';
import { perFile } from './per-file.js';

/**
 * Names declared in hand-written tool schemas (`{"name": "bash", "input_schema": {...}}`, OpenAI
 * `{"type": "function", "function": {"name": ..., "parameters": ...}}`). A function named for one
 * (`bash`, `run_bash`) is what runs when the model calls it, even without a registry.
 */
export const toolSpecNames = perFile((model: PyModel): Set<string> => {
  const out = new Set<string>();
  const stack = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 200_000) {
    const n = stack.pop()!;
    if (n.type === 'dictionary') {
      let name: string | undefined;
      let schema = false;
      for (const p of n.children) {
        if (p.type !== 'pair') continue;
        const k = field(p, 'key');
        const v = field(p, 'value');
        const key = k && k.type === 'string' ? model.text(k).replace(/^["']|["']$/g, '') : '';
        if (key === 'name' && v?.type === 'string') name = model.text(v).replace(/^["']|["']$/g, '');
        if (key === 'input_schema' || key === 'parameters') schema = true;
      }
      if (name && schema && /^[A-Za-z_]\w*$/.test(name)) out.add(name);
    }
    for (const c of n.children) if (c.named) stack.push(c);
  }
  return out;
});

/** One pattern per file for every schema name, as a whole name or a `_`-separated part of one. */
const specToolPattern = perFile((model: PyModel): RegExp | null => {
  const names = [...toolSpecNames(model)];
  return names.length ? new RegExp(`(^|_)(${names.join('|')})($|_)`) : null;
});

/** Functions the model can call through a hand-written schema: the schema's name is the function's, or part of it. */
export function isSpecTool(model: PyModel, name: string): boolean {
  return specToolPattern(model)?.test(name) ?? false;
}
