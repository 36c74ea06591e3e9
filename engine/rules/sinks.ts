/**
 * Dangerous operations by class. Output-handling rules ask which argument of a call is the one
 * that must not be steerable; excessive-agency rules ask whether a tool can do such a thing at all.
 */
import type { ArgFact, CallFact, PyModel } from '../flow/python.js';
import type { SanitizedFor } from '../flow/labels.js';
import { jsDangerousAction, jsSinkArgs } from './sinks-js.js';

export type SinkClass = 'code' | 'shell' | 'sql' | 'html' | 'path' | 'url' | 'redirect' | 'deserialize' | 'email' | 'payment' | 'delete' | 'deploy' | 'file-write';

const CODE = /^(eval|exec|compile|builtins\.(eval|exec|compile)|execfile|__import__|importlib\.import_module|runpy\.run_path|runpy\.run_module)$/;
const CODE_METHODS = /(PythonREPL|PythonAstREPLTool|PythonREPLTool)(\(\))?\.(run|invoke|_run)$/;
const SHELL_ALWAYS = /^(os\.system|os\.popen|os\.popen[234]|commands\.getoutput|commands\.getstatusoutput|subprocess\.getoutput|subprocess\.getstatusoutput|asyncio\.create_subprocess_shell|pexpect\.spawn|pexpect\.run|os\.exec\w+|os\.spawn\w+)$/;
const SUBPROCESS = /^subprocess\.(run|call|check_call|check_output|Popen)$|^asyncio\.create_subprocess_exec$/;
const SQL_METHODS = /^(execute|executemany|executescript|exec_driver_sql|raw|read_sql|read_sql_query|mogrify)$/;
const SQL_RECEIVER = /(cursor|conn|connection|db|session|engine|cur|database|sqlite3|psycopg|pymysql|mysql|SQLDatabase|pandas|pd)/i;
const RESPONSE = /^(flask\.Response|werkzeug\.wrappers\.Response|werkzeug\.Response|django\.http\.HttpResponse|HttpResponse|starlette\.responses\.Response|fastapi\.Response|fastapi\.responses\.Response|Response)$/;
const HTML = /^(flask\.render_template_string|render_template_string|markupsafe\.Markup|flask\.Markup|Markup|django\.utils\.safestring\.mark_safe|mark_safe|fastapi\.responses\.HTMLResponse|starlette\.responses\.HTMLResponse|HTMLResponse|IPython\.display\.HTML|streamlit\.components\.v1\.html|gradio\.HTML|jinja2\.Template)$/;
const PATH = /^(open|io\.open|codecs\.open|os\.remove|os\.unlink|os\.rmdir|os\.removedirs|os\.rename|os\.replace|os\.makedirs|os\.chmod|shutil\.rmtree|shutil\.move|shutil\.copy|shutil\.copyfile|shutil\.copytree|flask\.send_file|send_file|fastapi\.responses\.FileResponse|FileResponse|pathlib\.Path|Path)$/;
const URL = /^(requests|httpx|urllib3)\.(get|post|put|patch|delete|head|request)$|^urllib\.request\.(urlopen|urlretrieve|Request)$|^(httpx\.(Async)?Client|requests\.Session|requests\.sessions\.Session|aiohttp\.ClientSession)(\(\))?\.(get|post|put|patch|delete|request|stream)$/;
const DESERIALIZE = /^(pickle|cPickle|dill|cloudpickle|_pickle)\.(loads|load|Unpickler)$|^marshal\.loads?$|^jsonpickle\.decode$|^shelve\.open$|^pandas\.read_pickle$|^joblib\.load$/;
const YAML_LOAD = /^yaml\.(load|load_all|unsafe_load|full_load|unsafe_load_all)$/;
const EMAIL = /^(smtplib\.SMTP(_SSL)?\(\)\.(send_message|sendmail)|\w+\.send_email|send_email|sendgrid\.\w+|yagmail\.\w+|resend\.Emails\.send|boto3\.client\(\)\.send_email)$|\.(sendmail|send_message|send_email)$/;
const PAYMENT = /^stripe\.\w+\.(create|modify)$|\.(create_payment|transfer_funds|refund|charge|payout|send_payment|wire|credit|debit|issue_refund|create_refund|issue_credit|apply_credit|add_credit|create_payout)$|^(paypalrestsdk|braintree|square)\./;
const DELETE = /\.(unlink|rmdir|delete|drop|drop_table|truncate|delete_many|delete_one|remove|destroy|purge|rmtree|delete_object|delete_objects|terminate_instances|delete_permanently|delete_messages?|delete_all|delete_user|delete_account|delete_file|delete_files|delete_records?|delete_rows|purge_\w+|wipe|erase)$|^(os\.remove|os\.unlink|shutil\.rmtree|os\.rmdir)$/;
const DEPLOY = /(kubectl|terraform|helm|deploy|ansible|docker\.from_env\(\)\.containers\.run|\.scale|\.rollout|apply_manifest)/i;
const FILE_WRITE = /\.(write_text|write_bytes|write|writelines)$|^(shutil\.(copy|move|copyfile))$/;

export interface SinkArg {
  cls: SinkClass;
  arg: ArgFact;
  sanitizer: SanitizedFor;
}

function first(call: CallFact, ...names: string[]): ArgFact | undefined {
  return call.args.find((a) => a.name !== null && names.includes(a.name)) ?? call.args.find((a) => a.index === 0);
}

/** The argument of `call` that reaches a dangerous operation, with its class. Computed once per call (kept on the fact). */
export function sinkArgs(model: PyModel, call: CallFact): SinkArg[] {
  return (call.sinkArgs ??= computeSinkArgs(model, call));
}

function computeSinkArgs(model: PyModel, call: CallFact): SinkArg[] {
  if (model.language) return jsSinkArgs(model, call);
  const c = call.flat;
  const out: SinkArg[] = [];
  const add = (cls: SinkClass, a: ArgFact | undefined, sanitizer: SanitizedFor) => {
    if (a) out.push({ cls, arg: a, sanitizer });
  };
  if (CODE.test(c) || CODE_METHODS.test(c)) add('code', first(call, 'source', 'code', 'command', 'query'), 'code');
  if (SHELL_ALWAYS.test(c)) add('shell', first(call, 'command', 'cmd', 'args'), 'shell');
  if (SUBPROCESS.test(c)) {
    const cmd = first(call, 'args');
    const shell = call.args.find((a) => a.name === 'shell');
    const shellOn = shell && shell.node.type !== 'false' && shell.node.type !== 'none';
    // A list argv without a shell runs one program with fixed meaning; its first element is what matters.
    if (cmd && (shellOn || cmd.node.type !== 'list')) add('shell', cmd, 'shell');
    else if (cmd && cmd.node.type === 'list') {
      const items = cmd.node.children.filter((n) => n.named);
      const head = items[0] ? model.text(items[0]) : '';
      if (/^["'](ba|z|)sh["']$|^["']python3?["']$|^["']cmd(\.exe)?["']$|^["']powershell["']$/.test(head)) add('shell', cmd, 'shell');
      else if (items[0] && items[0].type !== 'string') add('shell', { ...cmd, taint: taintOfListHead(cmd) }, 'shell');
    }
  }
  if (SQL_METHODS.test(call.name) && (call.receiver ? SQL_RECEIVER.test(model.text(call.receiver)) || SQL_RECEIVER.test(call.receiverType ?? '') : /read_sql/.test(c))) {
    add('sql', first(call, 'sql', 'query', 'statement', 'operation'), 'sql');
  }
  if (call.name === 'run' && /SQLDatabase/.test(call.receiverType ?? '')) add('sql', first(call, 'command', 'query'), 'sql');
  if (HTML.test(c)) add('html', first(call, 'content', 'source', 'html'), 'html');
  // `Response(page, mimetype="text/html")`: a plain response object declared to be HTML.
  if (RESPONSE.test(c) && call.args.some((a) => a.name !== null && /^(mimetype|content_type|media_type|headers)$/.test(a.name) && /text\/html/i.test(model.text(a.node)))) {
    add('html', first(call, 'response', 'content', 'body'), 'html');
  }
  if (/^(streamlit\.(markdown|write|html))$/.test(c) && call.args.some((a) => a.name === 'unsafe_allow_html' && a.node.type === 'true')) add('html', first(call, 'body'), 'html');
  if (PATH.test(c)) add('path', first(call, 'file', 'path', 'src', 'filename', 'name'), 'path');
  if (URL.test(c)) add('url', first(call, 'url'), 'url');
  if (DESERIALIZE.test(c)) add('deserialize', first(call, 'data', 'file', 'fp'), 'code');
  if (YAML_LOAD.test(c)) {
    const loader = call.args.find((a) => a.name === 'Loader') ?? call.args.find((a) => a.index === 1);
    const safe = loader && /Safe|Base/.test(model.text(loader.node));
    if (!safe && c !== 'yaml.full_load') add('deserialize', first(call, 'stream'), 'code');
  }
  return out;
}

/** For `[cmd, *rest]` the program name decides what runs. */
function taintOfListHead(a: ArgFact) {
  return a.head ?? a.taint;
}

/** Side effects a tool should not take without a human: the class, or null. */
export function dangerousAction(model: PyModel, call: CallFact): SinkClass | null {
  if (model.language) return jsDangerousAction(model, call);
  const c = call.flat;
  for (const s of sinkArgs(model, call)) {
    if (s.cls === 'code' || s.cls === 'shell' || s.cls === 'deserialize') return s.cls;
    if (s.cls === 'sql' && isMutatingSql(model, s.arg)) return 'sql';
    if (s.cls === 'path' && c !== 'open' && c !== 'io.open' && c !== 'codecs.open' && c !== 'pathlib.Path' && c !== 'Path' && !/send_file|FileResponse/.test(c)) return 'delete';
    if (s.cls === 'path' && /^(open|io\.open|codecs\.open)$/.test(c) && isWriteMode(model, call)) return 'file-write';
  }
  if (EMAIL.test(c)) return 'email';
  if (PAYMENT.test(c)) return 'payment';
  if (DELETE.test(c) && !/^(dict|list|set)\b/.test(c) && call.receiver && !/^(self\.)?(cache|seen|items|queue|pending|_?\w*list|\w*_set|\w*_dict)$/.test(model.text(call.receiver))) return 'delete';
  if (DEPLOY.test(c)) return 'deploy';
  if (FILE_WRITE.test(c) && /Path|open/.test(call.receiverType ?? '')) return 'file-write';
  return null;
}

function isWriteMode(model: PyModel, call: CallFact): boolean {
  const mode = call.args.find((a) => a.name === 'mode') ?? call.args.find((a) => a.index === 1);
  return !!mode && /[wax+]/.test(model.text(mode.node));
}

function isMutatingSql(model: PyModel, a: ArgFact): boolean {
  const t = model.text(a.node);
  if (a.node.type === 'string') return /\b(insert|update|delete|drop|alter|truncate|create|grant)\b/i.test(t);
  return true;
}
