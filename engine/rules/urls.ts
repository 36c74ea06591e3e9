/** Whether a URL expression's scheme and host are fixed by the code rather than by data. */
import type { AstNode } from '../parse/index.js';
import { field } from '../parse/index.js';
import type { CallFact, PyModel } from '../flow/python.js';

const HOST_PREFIX = /^[rRbBuUfF]*("""|\'\'\'|"|')(https?|wss?):\/\/[^/{}\s"']+\//;

export function hostIsFixed(model: PyModel, call: CallFact, node: AstNode, depth = 0): boolean {
  if (depth > 4) return false;
  if (node.type === 'identifier') {
    const value = assignedValue(model, call, model.text(node));
    return value ? hostIsFixed(model, call, value, depth + 1) : false;
  }
  if (node.type === 'string') {
    if (HOST_PREFIX.test(model.text(node))) return true;
    // f"{BASE_URL}/path/{x}": a constant base in front is a fixed host.
    const first = node.children.find((c) => c.type === 'interpolation' || c.type === 'string_content');
    if (first?.type === 'interpolation') {
      const e = field(first, 'expression') ?? first.children.find((c) => c.named);
      return !!e && isConstantBase(model, call, e);
    }
    return false;
  }
  if (node.type === 'template_string') {
    // JS: `https://api.example.com/v1/${x}` or `${BASE_URL}/search?q=${x}`.
    if (/^`(https?|wss?):\/\/[^/${}\s`]+\//.test(model.text(node))) return true;
    const first = node.children.find((c) => c.type === 'template_substitution' || c.type === 'string_fragment');
    if (first?.type === 'template_substitution' && first.startIndex === node.startIndex + 1) {
      const e = first.children.find((c) => c.named);
      return !!e && isConstantBase(model, call, e);
    }
    return false;
  }
  if (node.type === 'binary_expression') {
    const left = field(node, 'left')!;
    if (left.type === 'string' || left.type === 'template_string') return HOST_PREFIX.test(model.text(left)) || /^`(https?|wss?):\/\/[^/${}\s`]+\//.test(model.text(left));
    if (left.type === 'binary_expression') return hostIsFixed(model, call, left, depth + 1);
    return isConstantBase(model, call, left);
  }
  if (node.type === 'binary_operator') {
    const left = field(node, 'left')!;
    if (left.type === 'string') return HOST_PREFIX.test(model.text(left));
    if (left.type === 'binary_operator') return hostIsFixed(model, call, left, depth + 1);
    return isConstantBase(model, call, left);
  }
  return false;
}

function isConstantBase(model: PyModel, call: CallFact, e: AstNode): boolean {
  if (e.type === 'member_expression' && /^(process\.env\.\w+|this\.[a-zA-Z]*[bB]ase[uU]rl|[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*|config\.\w+)$/.test(model.text(e))) return true;
  if (e.type === 'attribute' || e.type === 'identifier') {
    const name = model.text(e);
    if (/^(self\.)?[A-Z][A-Z0-9_]*$/.test(name)) return true;
    if (e.type === 'identifier') {
      const value = assignedValue(model, call, name);
      return !!value && (value.type === 'string' || value.type === 'template_string') && (HOST_PREFIX.test(model.text(value).replace(/["']$/, '/"')) || /^`(https?|wss?):\/\/[^/${}\s`]+/.test(model.text(value)));
    }
  }
  return false;
}

/** The value last assigned to `name` before `call`, in the same function or at module level. */
function assignedValue(model: PyModel, call: CallFact, name: string): AstNode | undefined {
  let best: AstNode | undefined;
  for (const a of model.assigns) {
    if (a.target !== name) continue;
    if (a.fn !== call.fn && !a.fn.isModule) continue;
    if (a.fn === call.fn && a.node.startIndex > call.node.startIndex) continue;
    best = a.value;
  }
  return best;
}
