/** What the excessive-agency rules share: which side effects a tool takes, and what gates them. */
import type { CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import type { AstNode } from '../../parse/index.js';
import { hasApprovalStep, lastSegment, reaching } from '../helpers.js';
import { dangerousAction, sinkArgs, type SinkClass } from '../sinks.js';
import { callAt } from '../facts.js';

/** Receivers whose delete/remove verbs destroy real data, not an entry of a local container. */
const DESTRUCTIVE_RECEIVER = /(db|database|session|\.filter(_by)?\(|\.where\(|\.query\b|cursor|conn|client|s3|bucket|storage|table|collection|repo|github|gitlab|api|service|ec2|k8s|kube|cluster|shutil|drive|account|objects|index|store|cloud|blob|container|firestore|dynamo|redis|mongo|supabase|stripe|vault|registry|dns|route53|iam|users?$|records?$|customers?$|orders?$|mail|inbox|calendar|crm|ledger)/i;

const STEERING = ['model', 'user', 'web', 'retrieved'] as const;
const DESTRUCTIVE_VERB = /^["'](rm|rmdir|delete|del|drop|kill|pkill|killall|restart|stop|scale|apply|destroy|push|reset|shutdown|reboot|terminate|uninstall|rollout|mv|dd|mkfs|chmod|chown|truncate|revoke|merge)["']$/;

/** `subprocess.run(["kubectl", "delete", "pod", name])`: a fixed program, but a destructive verb on a model-chosen target. */
function destructiveArgv(model: PyModel, call: CallFact): SinkClass | null {
  if (!/^(subprocess\.(run|call|check_call|check_output|Popen)|asyncio\.create_subprocess_exec)$/.test(call.flat)) return null;
  const argv = call.args.find((a) => a.index === 0 || a.name === 'args');
  if (!argv || argv.node.type !== 'list') return null;
  const items = argv.node.children.filter((c) => c.named);
  if (!items.some((c) => c.type === 'string' && DESTRUCTIVE_VERB.test(model.text(c)))) return null;
  return reaching(argv.taint, [...STEERING]).length ? 'shell' : null;
}

const TEMP = /(tempfile|NamedTemporaryFile|mkstemp|mkdtemp|\btmp|\btemp)/i;

function isTempPath(model: PyModel, fn: FunctionFact, n: AstNode): boolean {
  const t = model.text(n);
  if (TEMP.test(t)) return true;
  return n.type === 'identifier' && model.assigns.some((a) => a.fn === fn && a.target === t && TEMP.test(model.text(a.value)));
}

const RECIPIENT = /^(to|to_email|to_emails|recipient|recipients|to_addrs|to_address|to_addresses|phone|phone_number|channel)$/;

const CHECK_CALL = /^_?(validate|sanitize|sanitise|check|verify|is_safe|is_allowed|ensure|assert)_?\w*$/i;

/** `ok, why = self._validate_query(q)` then `if not ok: return`: the value went through a named check first. */
function checkedBefore(model: PyModel, call: CallFact, n: AstNode): boolean {
  const t = model.text(n);
  if (!/^[\w.]+$/.test(t)) return false;
  return call.fn.calls.some((c) => c.node.startIndex < call.node.startIndex && CHECK_CALL.test(c.name) && c.args.some((a) => model.text(a.node) === t));
}

export interface ToolAction {
  call: CallFact;
  cls: SinkClass;
}

/** Sending and paying through SDKs the shared sink table does not spell out. */
function messagingOrPayment(model: PyModel, call: CallFact): SinkClass | null {
  const c = call.flat;
  const name = lastSegment(c);
  const recv = call.receiver ? model.text(call.receiver) : '';
  const where = `${c} ${recv} ${call.receiverType ?? ''}`;
  if (/^send\w*$/.test(name) && /(sendgrid|yagmail|smtplib|mailgun|postmark|\bses\b|gmail|resend|mailjet|sparkpost|\.messages\(\)|twilio)/i.test(where)) return 'email';
  if (/^(chat_postMessage|post_message|send_sms)$/.test(name) || (name === 'create' && /twilio|\.messages$/i.test(where) && /twilio/i.test(where))) return 'email';
  if (/^(transfer|transfer_funds|send_money|wire_transfer|make_payment|pay|payout|withdraw|disburse|refund|charge)$/.test(name) && /(bank|payment|wallet|stripe|paypal|account|ledger|finance|billing|treasury|braintree|adyen|plaid|square)/i.test(where)) return 'payment';
  return null;
}

/**
 * A dangerous side effect a tool can be steered into: the model picks its arguments. Operations
 * whose target the model cannot choose (a fixed command, an allow-listed action) are left out.
 */
export function steerableAction(model: PyModel, call: CallFact): SinkClass | null {
  const cls = dangerousAction(model, call) ?? destructiveArgv(model, call) ?? messagingOrPayment(model, call);
  if (!cls) return null;
  // Creating a directory or copying a file is not the harm this rule is about.
  if (/^(os\.makedirs|os\.mkdir|shutil\.copy|shutil\.copyfile|shutil\.copytree)$/.test(call.flat)) return null;
  const sinks = sinkArgs(model, call);
  // A REST call that pays, deletes or deploys: the model steers it through the URL or the body.
  if (model.language && (cls === 'payment' || cls === 'delete' || cls === 'deploy') && sinks.some((s) => s.cls === 'url')) {
    return call.args.some((a) => reaching(a.taint, [...STEERING]).length > 0) ? cls : null;
  }
  if (sinks.length) {
    // Removing the temporary file the tool itself created is housekeeping.
    if (cls === 'delete' && sinks.some((s) => isTempPath(model, call.fn, s.arg.node))) return null;
    const steeredSink = sinks.some((s) => reaching(s.arg.taint, [...STEERING], s.sanitizer).length > 0 && !checkedBefore(model, call, s.arg.node));
    if (cls !== 'sql') return steeredSink ? cls : null;
    if (steeredSink) return cls;
    // Fixed SQL: inserting a row is routine, deleting rows the model picks (by parameter) is not.
    const sql = sinks.find((s) => s.cls === 'sql');
    const destructive = sql && sql.arg.node.type === 'string' && /\b(delete|drop|truncate|alter|grant|revoke)\b/i.test(model.text(sql.arg.node));
    return destructive && call.args.some((a) => reaching(a.taint, [...STEERING]).length > 0) ? cls : null;
  }
  const name = lastSegment(call.flat);
  // Mail to a fixed internal address: the model writes the body, not who receives it.
  if (cls === 'email') {
    // The recipient of `send(Mail(to_emails=...))` sits in the message constructor.
    const inner = call.args.map((a) => callAt(model, a.node)).filter((c): c is CallFact => !!c);
    const to =
      call.args.find((a) => a.name !== null && RECIPIENT.test(a.name)) ??
      (/^(sendmail)$/.test(name) ? call.args.find((a) => a.index === 1) : undefined) ??
      inner.flatMap((c) => c.args).find((a) => a.name !== null && RECIPIENT.test(a.name));
    if (to && !reaching(to.taint, [...STEERING]).length) return null;
  }
  // `Path(p).write_text(...)`, `fh.write(...)`: what matters is whether the model picked the file.
  if (cls === 'file-write') return reaching(call.receiverTaint, [...STEERING], 'path').length ? cls : null;
  // `(root / name).unlink()`, `target.rmdir()`: pathlib deletes whatever path the object holds.
  if (cls === 'delete' && /\.(unlink|rmdir)$/.test(call.flat) && !DESTRUCTIVE_RECEIVER.test(call.receiver ? model.text(call.receiver) : '')) {
    return reaching(call.receiverTaint, [...STEERING], 'path').length ? cls : null;
  }
  if (cls === 'delete') {
    const recv = call.receiver ? model.text(call.receiver) : '';
    if (!DESTRUCTIVE_RECEIVER.test(recv) && !DESTRUCTIVE_RECEIVER.test(call.receiverType ?? '') && !/objects/.test(call.callee)) return null;
  }
  if (cls === 'deploy' && /^(get|list|describe|read|fetch|check|status|show|watch|wait)\w*$/i.test(name)) return null;
  return cls;
}

/** Dangerous actions in a tool, following local helper calls two levels down. */
export function toolActions(model: PyModel, fn: FunctionFact): ToolAction[] {
  const out: ToolAction[] = [];
  const seen = new Set<FunctionFact>();
  const visit = (f: FunctionFact, depth: number) => {
    if (seen.has(f) || depth > 2) return;
    seen.add(f);
    for (const c of f.calls) {
      const cls = steerableAction(model, c);
      if (cls) out.push({ call: c, cls });
      if (c.target && !hasApprovalStep(model, c.target)) visit(c.target, depth + 1);
    }
  };
  visit(fn, 0);
  return out;
}

/** Decorators that run a policy or guard before the tool body: `@governed_tool(policy)`, `@requires_permission`. */
const GATING_DECORATOR = /(govern|guard|polic|permission|authori[sz]|requires?_|approv|confirm|human)/i;
const APPROVAL_FLAG = /(needs_approval|require[sd]?_approval|requires_confirmation|require_confirmation|human_in_the_loop|confirm)\s*=\s*True/;

/** An approval step in the tool or a decorator flag asking the framework for one. */
export function toolIsGated(model: PyModel, fn: FunctionFact): boolean {
  if (hasApprovalStep(model, fn)) return true;
  return fn.decorators.some((d) => APPROVAL_FLAG.test(model.text(d.node)) || GATING_DECORATOR.test(d.qname));
}

export const ACTION_WORDS: Record<SinkClass, string> = {
  code: 'executes code',
  shell: 'runs shell commands',
  sql: 'runs data-changing SQL',
  html: 'renders HTML',
  path: 'touches the file system',
  url: 'sends requests',
  redirect: 'redirects the user',
  deserialize: 'deserialises untrusted data',
  email: 'sends email',
  payment: 'moves money',
  delete: 'deletes data',
  deploy: 'changes deployments',
  'file-write': 'writes files',
};
