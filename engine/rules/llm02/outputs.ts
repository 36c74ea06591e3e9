/**
 * Where a value leaves the process for someone other than the model: stdout, logs, HTTP
 * responses, Streamlit pages. Shared by the sensitive-data and system-prompt leakage rules.
 */
import type { AstNode } from '../../parse/index.js';
import type { ArgFact, CallFact, FunctionFact, PyModel, ReturnFact } from '../../flow/python.js';
import type { Label } from '../../flow/labels.js';
import { perFile } from '../per-file.js';

export type OutputKind = 'print' | 'log' | 'response' | 'ui';

const LOG_METHODS = /^(debug|info|warning|warn|error|exception|critical|fatal|log|trace|success)$/;
const LOGGER_TYPE = /(logging\.getLogger|getLogger|loguru|structlog|get_logger|Logger)/;
const LOGGER_NAME = /^(_?(log|logger|LOG|LOGGER|_logger|_log)|\w+_logger|\w+_log|logging)$/;
const RESPONSE = /^(flask\.jsonify|jsonify|flask\.Response|flask\.make_response|make_response|Response|werkzeug\.wrappers\.Response|(fastapi|starlette)\.responses\.(JSONResponse|PlainTextResponse|Response|ORJSONResponse|UJSONResponse)|JSONResponse|PlainTextResponse|django\.http\.(JsonResponse|HttpResponse)|JsonResponse|HttpResponse|quart\.jsonify|sanic\.response\.json|sanic\.response\.text|flask\.render_template|render_template|(fastapi|starlette)\.templating\.Jinja2Templates\.TemplateResponse|\w*[tT]emplates\.TemplateResponse|django\.shortcuts\.render)$/;
const STREAMLIT = /^streamlit\.(\w+\.)?(write|markdown|text|code|json|info|success|warning|error|caption|text_area|chat_message\.write)$/;

/** The output class of a call, or null when the call does not emit its arguments. */
export function outputKind(call: CallFact): OutputKind | null {
  const c = call.flat;
  const js = jsOutputKind(call, c);
  if (js) return js;
  if (c === 'print' || c === 'builtins.print') return 'print';
  if (/^(logging|loguru\.logger|structlog)\.(debug|info|warning|warn|error|exception|critical|fatal|log)$/.test(c)) return 'log';
  if (LOG_METHODS.test(call.name) && call.receiver) {
    if (LOGGER_TYPE.test(call.receiverType ?? '') || LOGGER_NAME.test(call.receiverName ?? '') || /(^|\.)logger$/.test(c.replace(/\.\w+$/, ''))) return 'log';
  }
  if (RESPONSE.test(c)) return 'response';
  if (STREAMLIT.test(c)) return 'ui';
  return null;
}

/** JS/TS: `console.*`, loggers (pino, winston), and HTTP responses of Express, Fastify, Hono, Koa and Fetch. */
const JS_RESPONSE = /^(Response\.json|NextResponse\.json|next\/server\.NextResponse\.json|Response|NextResponse)$/;
function jsOutputKind(call: CallFact, c: string): OutputKind | null {
  if (/^console\.(log|info|warn|error|debug|trace|dir)$/.test(c)) return 'print';
  if (JS_RESPONSE.test(c)) return 'response';
  if (/^(json|send|jsonp|end|write|text|html|body)$/.test(call.name) && /^(res|response|reply|c|ctx|context)$/.test(call.receiverName ?? '')) return 'response';
  // `res.status(500).json(...)`, `reply.code(200).send(...)`: setting the status or a header returns the response.
  if (/^(res|response|reply|ctx)\.(status|code|type|set|header)\(\)\.(json|send|jsonp|end|text|html|body)$/.test(call.callee)) return 'response';
  if (/^(pino|winston\.\w+|logger)$/.test(c)) return null;
  return null;
}

/** Arguments of an output call that carry emitted text (log formatting options excluded). */
export function emittedArgs(call: CallFact): ArgFact[] {
  return call.args.filter((a) => !(a.name && /^(level|exc_info|stack_info|stacklevel|status|status_code|mimetype|media_type|headers|sep|end|file|flush|extra|key|height|language)$/.test(a.name)));
}

export interface OutputSite {
  kind: OutputKind;
  node: AstNode;
  taint: Label[];
  call?: CallFact;
  ret?: ReturnFact;
  fn: FunctionFact;
}

/** Every output call argument, and every value a route handler returns. Computed once per file; read-only. */
export const outputSites: (model: PyModel) => OutputSite[] = perFile((model) => findOutputSites(model));

function findOutputSites(model: PyModel): OutputSite[] {
  const out: OutputSite[] = [];
  const outputCalls = new Set<AstNode>();
  for (const call of model.calls) {
    const kind = outputKind(call);
    if (!kind) continue;
    outputCalls.add(call.node);
    for (const a of emittedArgs(call)) out.push({ kind, node: a.node, taint: a.taint, call, fn: call.fn });
  }
  for (const r of model.returns) {
    if (!r.fn.isHandler || !r.value) continue;
    // A returned output call is already an output site of its own.
    if ((r.value.type === 'call' || r.value.type === 'call_expression' || r.value.type === 'new_expression') && outputCalls.has(r.value)) continue;
    out.push({ kind: 'response', node: r.value, taint: r.taint, ret: r, fn: r.fn });
  }
  return out;
}

export function outputWhat(site: OutputSite): string {
  switch (site.kind) {
    case 'print':
      return 'stdout (print)';
    case 'log':
      return `a log record (${site.call?.name ?? 'log'})`;
    case 'ui':
      return 'the Streamlit page';
    case 'response':
      return site.ret ? `the HTTP response of ${site.fn.name}()` : `an HTTP response (${site.call?.name ?? 'response'})`;
  }
}

/** A file that serves users: a web or UI framework, so its stdout and logs are not the developer's own console. */
export function isServerFile(model: PyModel): boolean {
  if (model.functions.some((f) => f.isHandler)) return true;
  return [...model.modules].some((m) => /^(flask|fastapi|starlette|django|quart|sanic|aiohttp\.web|streamlit|gradio|chainlit|slack_bolt|discord|telegram)(\.|$)/.test(m) || (!!model.language && /^(express|fastify|hono|koa|next(\/|$)|@hono\/|@fastify\/|@koa\/|@slack\/bolt|discord\.js|telegraf|@modelcontextprotocol\/sdk\/server)/.test(m)));
}
