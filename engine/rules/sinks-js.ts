/**
 * Dangerous operations in JavaScript/TypeScript, in the classes of sinks.ts. The rules ask
 * `sinkArgs`/`dangerousAction`, which defer here for JS models, so one rule body serves both
 * languages.
 */
import type { AstNode } from '../parse/index.js';
import { field } from '../parse/index.js';
import type { ArgFact, CallFact, PyModel } from '../flow/python.js';
import type { SanitizedFor } from '../flow/labels.js';
import type { SinkArg, SinkClass } from './sinks.js';

const CHILD_PROCESS = /^(child_process|node:child_process)\./;
const CODE = /^(eval|Function|globalThis\.eval|window\.eval|(vm|node:vm)\.(runInNewContext|runInThisContext|runInContext|compileFunction|Script)|(vm|node:vm)\.Script\(\)\.run\w*|vm2\.VM\(\)\.run|(vm2\.)?NodeVM\(\)\.run|setTimeout|setInterval)$/;
const SHELL_ALWAYS = /^((child_process|node:child_process)\.(exec|execSync)|shelljs\.exec|execa\.(execaCommand|execaCommandSync|\$)|zx\.\$|Bun\.\$)$/;
const SPAWN = /^((child_process|node:child_process)\.(spawn|spawnSync|execFile|execFileSync|fork)|execa|execa\.(execa|execaSync)|cross-spawn|Bun\.spawn|Bun\.spawnSync|Deno\.Command)$/;
const SQL_METHODS = /^(query|execute|raw|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|exec|prepare|run|all|get|each|whereRaw|havingRaw|orderByRaw|selectRaw|joinRaw|fromRaw)$/;
const SQL_RECEIVER = /(db|pool|client|conn|connection|knex|sequelize|prisma|sql|pg|mysql|database|cursor|sqlite|trx|tx|query(builder)?|postgres|neon|turso|libsql|d1|supabase\.rpc|sqlClient|dbClient|dataSource|entityManager|manager|typeorm|drizzle|kysely)/i;
const ALWAYS_SQL = /^\$(queryRawUnsafe|executeRawUnsafe)$|^(raw|whereRaw|havingRaw|orderByRaw|selectRaw|joinRaw|fromRaw|unsafe)$/;
const NOT_SQL_RECEIVER = /(index|collection|vector|store|retriever|engine|queryEngine|agent|chain|graph|model|llm|router|app|cache|redis|tool|queryClient|searchParams|params|url|document|\$)$/i;
const FS_MODULE = /^(fs|node:fs|fs\/promises|node:fs\/promises|fs-extra|fsp)(\.promises)?\./;
const FS_READ = /\.(readFile|readFileSync|createReadStream|readdir|readdirSync|stat|statSync|access|existsSync|opendir|readJson|readJSON)$/;
const FS_WRITE = /\.(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|outputFile|writeJson|copyFile|copyFileSync|cp|cpSync|rename|renameSync|mkdir|mkdirSync|symlink|chmod|chmodSync)$/;
const FS_DELETE = /\.(unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|remove|removeSync|emptyDir)$/;
const URL_CALLS = /^(fetch|globalThis\.fetch|node-fetch|cross-fetch|undici\.(fetch|request)|axios|axios\.(get|post|put|patch|delete|head|request)|got|got\.(get|post|put|patch|delete|stream)|ky|ky\.(get|post|put|delete)|superagent\.(get|post|put|delete)|(http|https|node:http|node:https)\.(get|request)|needle|needle\.(get|post)|request)$/;
const HTML_CALLS = /^(document\.write|document\.writeln|dangerouslySetInnerHTML|innerHTML|outerHTML|srcdoc)$|\.(insertAdjacentHTML|setHTMLUnsafe|createContextualFragment)$/;
const TEMPLATE_COMPILE = /^(handlebars|ejs|pug|nunjucks|mustache|lodash|lodash\.template|underscore|dot|doT|eta|liquidjs\.Liquid\(\))\.(compile|render|renderString|template|parseAndRender|precompile)$|^(lodash\.template|_\.template)$/;
const DESERIALIZE = /^(node-serialize\.unserialize|serialize\.unserialize|funcster\.\w+|js-yaml\.load|yaml\.load)$/;
const EMAIL = /\.(sendMail|sendEmail|send_email)$|\.chat\.postMessage$|\.(sendMessage|sendSms|sendSMS)$|^(resend\.emails\.send|@sendgrid\/mail\.send|sgMail\.send|nodemailer\.\w+\(\)\.sendMail)$|\.emails\.send$|\.messages\.create$(?=.*twilio)/i;
const PAYMENT = /^stripe\.|\.(charges|paymentIntents|refunds|transfers|payouts)\.create$|\.(createPayment|transferFunds|refund|charge|payout|sendPayment|wire)$/;
const DELETE = /\.(delete|deleteMany|deleteOne|destroy|drop|dropTable|truncate|remove|purge|deleteObject|deleteObjects|terminateInstances|deleteUser|deleteRepo|batchDelete|bulkDelete|trash|emptyTrash|deleteAll)$/;
const DEPLOY = /(kubectl|terraform|helm|deploy|ansible|\.scale|\.rollout|applyManifest)/i;
const DESTRUCTIVE_RECEIVER = /(db|database|prisma|session|client|s3|bucket|storage|table|collection|repo|github|octokit|api|service|ec2|k8s|cluster|drive|account|objects|index|store|cloud|blob|container|firestore|dynamo|redis|mongo|supabase|stripe|vault|registry|iam|users?$|records?$|customers?$|orders?$|files?$|knex|sequelize|model|mail|inbox|calendar|crm|ledger)/i;

function first(call: CallFact, ...names: string[]): ArgFact | undefined {
  return call.args.find((a) => a.index === 0) ?? call.args.find((a) => a.name !== null && names.includes(a.name));
}

function optionTrue(call: CallFact, name: string): boolean {
  const a = call.args.find((x) => x.name === name);
  return !!a && a.node.type !== 'false' && a.node.type !== 'null' && a.node.type !== 'undefined';
}

/** A string or template literal whose text the code fixes (no substitutions). */
export function isFixedString(n: AstNode): boolean {
  return n.type === 'string' || (n.type === 'template_string' && !n.children.some((c) => c.type === 'template_substitution'));
}

export function jsSinkArgs(model: PyModel, call: CallFact): SinkArg[] {
  const c = call.flat;
  const out: SinkArg[] = [];
  const add = (cls: SinkClass, a: ArgFact | undefined, sanitizer: SanitizedFor) => {
    if (a) out.push({ cls, arg: a, sanitizer });
  };
  const isTimer = /^(setTimeout|setInterval)$/.test(c);
  if (CODE.test(c) && (!isTimer || (call.args[0] && (call.args[0].node.type === 'string' || call.args[0].node.type === 'template_string' || call.args[0].node.type === 'binary_expression')))) {
    // `new Function(a, b, body)`: every argument is source code.
    if (c === 'Function') for (const a of call.args.filter((x) => x.name === null)) add('code', a, 'code');
    else add('code', first(call, 'code'), 'code');
  }
  // Template engines compile their template to code: a model-written template runs on the server.
  if (TEMPLATE_COMPILE.test(c)) add('code', call.args.find((a) => a.index === 0), 'code');
  // Headless browsers run a string handed to `evaluate` as page script (a function is the code's own).
  if (/^(evaluate|evaluateHandle|addScriptTag|\$eval|\$\$eval)$/.test(call.name) && call.receiver && /(page|tab|frame|browser)\w*$/i.test(model.text(call.receiver))) {
    const code = call.name === 'addScriptTag' ? call.args.find((a) => a.name === 'content') : call.args.find((a) => a.index === (/^\$/.test(call.name) ? 1 : 0));
    if (code && !/^(arrow_function|function_expression|function)$/.test(code.node.type)) add('code', code, 'code');
  }
  if (SHELL_ALWAYS.test(c)) add('shell', first(call, 'command'), 'shell');
  if (SPAWN.test(c)) {
    const cmd = call.args.find((a) => a.index === 0);
    const argv = call.args.find((a) => a.index === 1);
    if (optionTrue(call, 'shell')) {
      add('shell', cmd, 'shell');
      if (argv && argv.node.type === 'array') add('shell', argv, 'shell');
    } else if (cmd && !isFixedString(cmd.node)) add('shell', cmd, 'shell');
    else if (cmd && /^['"`](ba|z|)sh|cmd(\.exe)?|powershell|node|python3?['"`]$/.test(model.text(cmd.node)) && argv?.node.type === 'array') {
      // `spawn('bash', ['-c', cmd])`: the program is a shell or an interpreter, so its arguments are code.
      const items = argv.node.children.filter((n) => n.named);
      if (items.some((n) => /^['"`]-(c|e|Command)['"`]$/.test(model.text(n)))) add('shell', argv, 'shell');
    }
  }
  const recv = call.receiver ? model.text(call.receiver) : '';
  // `db.query(result.text)`, `db.exec(await ask(q))`: these methods only ever take a statement, so any expression is one.
  const statementOnly = /^(query|execute|exec|raw|unsafe|prepare)$/.test(call.name);
  // `db.prepare(sql).run(a, b)`, `stmt.all(x)`: a prepared statement's methods take bound values, not SQL.
  const boundValues = /^(run|all|get|each|iterate|pluck)$/.test(call.name) && !!call.receiver && (call.receiver.type === 'call_expression' || /stmt|statement|prepared/i.test(recv));
  if (SQL_METHODS.test(call.name) && !boundValues && call.receiver && (ALWAYS_SQL.test(call.name) ? true : SQL_RECEIVER.test(recv) || SQL_RECEIVER.test(call.receiverType ?? '')) && !NOT_SQL_RECEIVER.test(recv)) {
    const q = call.args.find((a) => a.index === 0);
    // `db.query({ text, values })`: the text is the statement.
    const text = q?.node.type === 'object' ? call.args.find((a) => a.name === 'text' || a.name === 'sql') : q;
    if (text && !(text.node.type === 'arrow_function') && (looksLikeSql(model, text.node) || ALWAYS_SQL.test(call.name) || text.node.type === 'identifier' || text.node.type === 'binary_expression' || text.node.type === 'template_string' || (statementOnly && STATEMENT_EXPR.test(text.node.type)))) add('sql', text, 'sql');
  }
  if (/^(sequelize|knex)\.(query|raw)$/.test(c)) add('sql', call.args.find((a) => a.index === 0), 'sql');
  // Graph databases: a Cypher string run by a neo4j session or driver is a query like SQL.
  if ((call.name === 'run' && /session|tx|transaction/i.test(recv) && /neo4j|session\(\)/.test(`${c} ${call.receiverType ?? ''}`)) || (call.name === 'executeQuery' && /driver|neo4j/i.test(`${recv} ${c}`))) add('sql', call.args.find((a) => a.index === 0), 'sql');
  // Redis `EVAL` runs a Lua script on the server.
  if (/^(eval|evalSha|EVAL)$/.test(call.name) && /redis|ioredis/i.test(`${c} ${call.receiverType ?? ''} ${recv}`)) add('code', call.args.find((a) => a.index === 0), 'code');
  // `new Worker(code, { eval: true })` compiles its first argument as a script.
  if (/(^|\.)Worker$/.test(c) && /worker_threads/.test(c) && optionTrue(call, 'eval')) add('code', call.args.find((a) => a.index === 0), 'code');
  if (HTML_CALLS.test(c)) add('html', call.name === 'insertAdjacentHTML' ? call.args.find((a) => a.index === 1) : first(call, 'html'), 'html');
  // Express `res.send(html)` of a markup template, or of anything once the response is declared HTML.
  if (/^(send|end|write)$/.test(call.name) && /^(res|response|reply|ctx)(\.|$)/.test(recv)) {
    const a = call.args.find((x) => x.index === 0);
    if (a && (a.node.type === 'template_string' || a.node.type === 'binary_expression') && /<[a-zA-Z][^>]*>/.test(model.text(a.node))) add('html', a, 'html');
    else if (a && declaredHtml(model, call, recv)) add('html', a, 'html');
  }
  // jQuery `$(sel).html(markup)`.
  if (call.name === 'html' && call.receiver?.type === 'call_expression' && /^(\$|jQuery)\(/.test(recv)) add('html', call.args.find((x) => x.index === 0), 'html');
  // Hono `c.html(body)`: the handler context renders its argument as an HTML page.
  if (call.name === 'html' && /^(c|ctx|context)$/.test(recv)) add('html', call.args.find((x) => x.index === 0), 'html');
  // Fetch-style handlers: `new Response(body, { headers: { 'Content-Type': 'text/html' } })`.
  if (/^(Response|NextResponse)$/.test(c) && call.args.some((x) => x.index === 1 && /text\/html/i.test(model.text(x.node)))) add('html', call.args.find((x) => x.index === 0), 'html');
  const target = redirectTarget(model, call, c, recv);
  if (target) add('redirect', target, 'url');
  if (FS_MODULE.test(c) || /^(fsp|fs|fse)\./.test(c)) {
    if (FS_READ.test(c) || FS_WRITE.test(c) || FS_DELETE.test(c)) add('path', first(call, 'path'), 'path');
  }
  // `res.writeHead(302, { Location: url })`, `res.setHeader('Location', url)`: a redirect by header.
  if (/^(res|response|reply)$/.test(recv) && call.name === 'writeHead') add('redirect', call.args.find((a) => a.name === 'Location' || a.name === 'location'), 'url');
  if (/^(res|response|reply)$/.test(recv) && /^(setHeader|set|header)$/.test(call.name) && call.args.some((a) => a.index === 0 && /^['"`]location['"`]$/i.test(model.text(a.node)))) add('redirect', call.args.find((a) => a.index === 1), 'url');
  if (/^(sendFile|download|sendfile)$/.test(call.name) && /^(res|response|reply)$/.test(recv)) add('path', first(call, 'path'), 'path');
  if (URL_CALLS.test(c)) add('url', first(call, 'url'), 'url');
  // Headless browsers (Playwright, Puppeteer) fetch whatever page they are sent to, internal hosts and file:// included.
  if (call.name === 'goto' && call.receiver && /(page|tab|frame|browser)\w*$/i.test(model.text(call.receiver))) add('url', first(call, 'url'), 'url');
  if (DESERIALIZE.test(c) && !/^(js-yaml|yaml)\.load$/.test(c)) add('deserialize', first(call, 'data'), 'code');
  return out;
}

/** Expressions that can only be the statement text when the method takes nothing else. */
const STATEMENT_EXPR = /^(member_expression|subscript_expression|call_expression|await_expression|as_expression|non_null_expression|parenthesized_expression)$/;

/**
 * The response was declared HTML before the body is sent: `res.type('html').send(x)`,
 * `res.set('Content-Type', 'text/html'); res.send(x)`, `reply.header('content-type', 'text/html')`.
 */
function declaredHtml(model: PyModel, call: CallFact, recv: string): boolean {
  const HEADER_CALL = /^(type|set|header|setHeader|contentType|writeHead|append)$/;
  if (call.receiver?.type === 'call_expression') {
    const inner = model.calls.find((o) => o.node === call.receiver);
    return !!inner && HEADER_CALL.test(inner.name) && inner.args.some((a) => /^['"`](text\/)?html\b/i.test(model.text(a.node)) || /text\/html/i.test(model.text(a.node)));
  }
  return call.fn.calls.some((o) => o.node.startIndex < call.node.startIndex && HEADER_CALL.test(o.name) && !!o.receiver && model.text(o.receiver) === recv && o.args.some((a) => /^['"`](text\/)?html['"`]$|text\/html/i.test(model.text(a.node))));
}

/**
 * Where a call sends the user's browser: Express/Fastify/Hono `res.redirect(url)`, Next.js
 * `redirect(url)` and `NextResponse.redirect(url)`, and in the browser `location.assign(url)`,
 * `window.open(url)` or an assignment to `window.location`/`location.href`.
 */
function redirectTarget(model: PyModel, call: CallFact, c: string, recv: string): ArgFact | undefined {
  const positional = call.args.filter((a) => a.index >= 0 && !a.splat);
  if (call.name === 'redirect' && (/^(res|response|reply|c|ctx|context|NextResponse|Response)$/.test(recv) || /^next\/navigation\.(redirect|permanentRedirect)$/.test(c))) {
    // Express also takes `redirect(status, url)`: the URL is the last argument.
    return /^(res|response)$/.test(recv) ? positional[positional.length - 1] : positional[0];
  }
  if (/^(next\/navigation\.permanentRedirect)$/.test(c)) return positional[0];
  if (/^(assign|replace)$/.test(call.name) && /^((window|document|globalThis|self|top)\.)?location$/.test(recv)) return positional[0];
  if (call.name === 'open' && /^(window|globalThis|self)$/.test(recv)) return positional[0];
  if (c === 'window.location') return positional[0];
  return undefined;
}

/** URL paths of money-moving and destructive endpoints on the application's own services. */
const PAYMENT_PATH = /\/(payments?|transfers?|payouts?|refunds?|charges?|disbursements?|withdrawals?|wires?|invoices\/[^/]*\/pay|credits?)\b/i;
const DEPLOY_PATH = /\/(deploy(ments)?|releases?|rollouts?|rollbacks?|promote)\b/i;

/**
 * A REST call that acts: `fetch(url, { method: 'DELETE' })`, `axios.delete(url)`, or a POST to a
 * payments or deployments endpoint. Agents often reach their own back office this way instead of
 * through an SDK.
 */
function httpAction(model: PyModel, call: CallFact, c: string): SinkClass | null {
  if (!URL_CALLS.test(c)) return null;
  const verb = /\.(delete|post|put|patch)$/.exec(c)?.[1] ?? literalMethod(model, call);
  if (!verb || verb === 'get' || verb === 'head' || verb === 'options') return null;
  const url = call.args.find((a) => a.index === 0);
  const target = url ? urlText(model, call, url.node) : '';
  if (PAYMENT_PATH.test(target)) return 'payment';
  if (DEPLOY_PATH.test(target)) return 'deploy';
  if (verb === 'delete') return 'delete';
  return null;
}

function literalMethod(model: PyModel, call: CallFact): string | undefined {
  const m = call.args.find((a) => a.name === 'method');
  return m && isFixedString(m.node) ? model.text(m.node).replace(/^['"`]|['"`]$/g, '').toLowerCase() : undefined;
}

/** A URL argument's text, with a local or module constant it names spelled out. */
function urlText(model: PyModel, call: CallFact, n: AstNode): string {
  if (n.type !== 'identifier') return model.text(n);
  const name = model.text(n);
  const def = model.assigns.filter((a) => a.target === name && (a.fn === call.fn || a.fn.isModule) && a.node.startIndex < call.node.startIndex).pop();
  return def ? model.text(def.value) : name;
}

function looksLikeSql(model: PyModel, n: AstNode): boolean {
  return /\b(select|insert|update|delete|drop|create|alter|with|from|where)\b/i.test(model.text(n));
}

export function jsDangerousAction(model: PyModel, call: CallFact): SinkClass | null {
  const c = call.flat;
  for (const s of jsSinkArgs(model, call)) {
    if (s.cls === 'code' || s.cls === 'shell' || s.cls === 'deserialize') return s.cls;
    // SQL text spelled out in the code says what it does; a statement held in a variable may do anything.
    if (s.cls === 'sql' && (s.arg.node.type === 'identifier' || /\b(insert|update|delete|drop|alter|truncate|create|grant|replace|merge)\b/i.test(model.text(s.arg.node)))) return 'sql';
    if (s.cls === 'path' && FS_DELETE.test(c)) return 'delete';
    if (s.cls === 'path' && FS_WRITE.test(c)) return 'file-write';
  }
  if (EMAIL.test(c)) return 'email';
  const http = httpAction(model, call, c);
  if (http) return http;
  // Money moved through the application's own billing services: `billing.applyCredit(...)`, `wallet.transfer(...)`.
  if (/^(apply_?credit|issue_?credit|add_?credit|grant_?credit|credit_?account|issue_?refund|refund|charge|payout|create_?payout|transfer|transfer_?funds|send_?money|pay|make_?payment|disburse|withdraw)$/i.test(call.name) && /(bank|payment|wallet|stripe|paypal|billing|ledger|finance|account|treasury|payout|credit)/i.test(`${c} ${call.receiver ? model.text(call.receiver) : ''}`)) return 'payment';
  if (PAYMENT.test(c) && /\.(create|update|refund|charge|payout|transfer)\w*$/i.test(c)) return 'payment';
  if (DELETE.test(c) && call.receiver && DESTRUCTIVE_RECEIVER.test(model.text(call.receiver)) && !/^(map|set|cache|seen|headers|searchParams|params|url|this\.(cache|map))$/i.test(model.text(call.receiver))) return 'delete';
  if (DEPLOY.test(c)) return 'deploy';
  // Octokit and other forge clients: merging, force-updating refs, releasing and dispatching workflows ship code.
  if (/\.(pulls\.merge|git\.updateRef|git\.deleteRef|repos\.merge|repos\.createRelease|actions\.createWorkflowDispatch|repos\.createDispatchEvent|repos\.updateBranchProtection|repos\.deleteBranchProtection)$/.test(c)) return 'deploy';
  // `execFile('git', ['push', '--force', branch])`: a fixed program, but a destructive verb on a steerable target.
  if (SPAWN.test(c)) {
    const argv = call.args.find((a) => a.index === 1);
    const items = argv?.node.type === 'array' ? argv.node.children.filter((n) => n.named) : [];
    if (items.some((n) => /^['"`](rm|rmdir|delete|del|drop|kill|pkill|restart|stop|scale|apply|destroy|push|reset|shutdown|reboot|terminate|uninstall|rollout|mv|truncate|revoke|merge)['"`]$/.test(model.text(n))) && argv!.taint.some((l) => (l.kind === 'model' || l.kind === 'user' || l.kind === 'web') && !l.sanitized?.length)) return 'shell';
  }
  // `child_process.exec` with a fixed command is still a shell the tool runs, but not a steerable one.
  if (CHILD_PROCESS.test(c) && field(call.node, 'arguments')) return null;
  return null;
}
