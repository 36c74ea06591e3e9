import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { ArgFact, CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { arg, describeKind, kw, literal, plain, type Label, type TaintKind } from '../helpers.js';
import { capitalise, chosenByOutsider, isVetted, tableOf, untrusted } from './common.js';
import { JS_LANGUAGES } from '../types.js';

/**
 * Model output is left out on purpose: synthetic data and distillation pipelines write it to
 * training files by design, and its risk is quality, not an outsider planting examples.
 */
const KINDS: TaintKind[] = ['user', 'web'];
const TRAINING_PATH = /(train|finetun|fine[-_ ]tun|dataset|\bsft\b|_sft|sft_|\bdpo\b|_dpo|dpo_|rlhf|preference_data|instruction_data)/i;
const TRAINING_COLLECTION = /^(self\.)?(\w*train\w*|\w*finetun\w*|\w*fine_tun\w*|\w*dataset\w*|\w*sft_\w*|\w*_sft|\w*dpo\w*|\w*rlhf\w*)$/i;
const TRAINER = /(^|\.)(Trainer|SFTTrainer|DPOTrainer|ORPOTrainer|KTOTrainer|RewardTrainer|PPOTrainer|Seq2SeqTrainer)$/;

/** Text of a path expression with constant names it uses spelled out, for matching training paths. */
function pathText(model: PyModel, n: AstNode | undefined, fn: FunctionFact): string {
  if (!n) return '';
  let out = model.text(n);
  const stack = [n];
  let guard = 0;
  while (stack.length && guard++ < 200) {
    const c = stack.pop()!;
    if (c.type === 'identifier') {
      const name = model.text(c);
      const def = model.assigns.find((a) => a.target === name && (a.fn === fn || a.fn.isModule) && a.node.startIndex < n.startIndex);
      if (def) out += ' ' + model.text(def.value);
    }
    for (const ch of c.children) if (ch.named) stack.push(ch);
  }
  return out;
}

function writeMode(model: PyModel, call: CallFact, modeIndex = 1): boolean {
  const mode = kw(call, 'mode') ?? call.args.find((a) => a.index === modeIndex);
  const m = mode ? literal(model, mode) : undefined;
  return m !== undefined && /[wax]/.test(m);
}

/** The name an opened handle is bound to: `f = open(...)` or `with open(...) as f`. */
function handleName(model: PyModel, call: CallFact): string | undefined {
  if (call.assignedTo) return call.assignedTo;
  const p = call.node.parent;
  if (p?.type === 'as_pattern') {
    const alias = field(p, 'alias');
    const target = alias?.children.find((c) => c.named) ?? alias;
    if (target) return model.text(target);
  }
  return undefined;
}

function isFineTuneUpload(model: PyModel, call: CallFact): boolean {
  return /\.files\.create$/.test(call.flat) && /fine-?tune/.test(literal(model, kw(call, 'purpose')) ?? '');
}

/** Paths the file uploads for fine-tuning: `files.create(file=open(P, "rb"), purpose="fine-tune")`. */
function uploadedPaths(model: PyModel): Set<string> {
  const out = new Set<string>();
  for (const c of model.calls) {
    if (!isFineTuneUpload(model, c)) continue;
    const f = arg(c, -1, 'file');
    if (!f) continue;
    const inner = model.calls.find((o) => o.node === f.node && (/^(open|io\.open)$/.test(o.flat) || (o.name === 'open' && !!o.receiver)));
    // `open(P, "rb")` or `P.open("rb")` on a pathlib path.
    const p = inner ? (inner.receiver && inner.name === 'open' && !/^(open|io\.open)$/.test(inner.flat) ? inner.receiver : arg(inner, 0, 'file')?.node) : f.node;
    if (p) out.add(model.text(p));
  }
  return out;
}

function firstOf(model: PyModel, args: (ArgFact | undefined)[]): Label | undefined {
  for (const a of args) {
    const l = a ? untrusted(a.taint, KINDS).filter((x) => chosenByOutsider(model, x))[0] : undefined;
    if (l) return l;
  }
  return undefined;
}

/**
 * Fine-tuning data decides what a model believes and how it behaves; examples written from user
 * submissions or scraped pages let anyone plant backdoors or false facts in the next model.
 * Curated files and examples that pass moderation or review first stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'data-poisoning/untrusted-training-data',
    owasp: 'LLM04',
    asi: 'ASI06',
    cwe: 'CWE-345',
    severity: 'MEDIUM',
    title: 'Untrusted data written to fine-tuning data',
    description: 'User-submitted or web content goes into a fine-tuning dataset or training job without review, so an attacker can poison the model with backdoors, biased behaviour or false facts.',
    fix: 'Keep untrusted submissions out of training data until they are reviewed: record provenance, moderate and de-duplicate them, require human approval for each batch, and evaluate the tuned model against a held-out set before deploying it.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    const report = (call: CallFact, l: Label, what: string) => {
      if (isVetted(model, call.fn, call.node.startIndex)) return;
      ctx.report({ node: call.node, source: l, message: `${capitalise(describeKind(l.kind))} (${l.what}, line ${l.line}) is written to ${what} without review; poisoned examples shape the next model.` });
    };
    if (model.language) {
      checkJs(model, report);
      return;
    }
    const uploads = uploadedPaths(model);

    for (const call of model.calls) {
      const c = call.flat;
      // Files opened for writing whose path says they hold training data.
      const fileOpen = /^(open|io\.open|codecs\.open|jsonlines\.open)$/.test(c);
      // `path.open("a")` on a pathlib path: the receiver is the path, the mode comes first.
      const pathOpen = !fileOpen && call.name === 'open' && !!call.receiver && call.receiver.type !== 'call' || (call.name === 'open' && call.receiver?.type === 'call' && /Path$/.test(plain(call.receiverType ?? '')));
      if ((fileOpen && writeMode(model, call)) || (pathOpen && writeMode(model, call, 0))) {
        const pNode = fileOpen ? arg(call, 0, 'file')?.node : call.receiver;
        const ptext = pathText(model, pNode, call.fn);
        if (!TRAINING_PATH.test(ptext) && !(pNode && uploads.has(model.text(pNode)))) continue;
        const handle = handleName(model, call);
        if (!handle) continue;
        for (const w of call.fn.calls) {
          if (w.node.startIndex < call.node.startIndex) continue;
          const onHandle = w.receiver && model.text(w.receiver) === handle && /^(write|writelines|write_all)$/.test(w.name);
          const dumped = /^(json\.dump|pickle\.dump|yaml\.dump|yaml\.safe_dump)$/.test(w.flat) && (arg(w, 1, 'fp') ?? arg(w, 1, 'stream')) && model.text((arg(w, 1, 'fp') ?? arg(w, 1, 'stream'))!.node) === handle;
          const csvRow = /^(writerow|writerows)$/.test(w.name) && w.receiver && model.calls.some((o) => o.assignedTo === model.text(w.receiver!) && o.args.some((a) => model.text(a.node) === handle));
          if (!onHandle && !dumped && !csvRow) continue;
          const l = firstOf(model, [arg(w, 0, 'obj')]);
          if (l) report(w, l, 'a fine-tuning data file');
        }
        continue;
      }
      // `Path(...).write_text(content)` straight into a training file.
      if (/^(write_text|write_bytes)$/.test(call.name) && call.receiver) {
        const ptext = pathText(model, call.receiver, call.fn);
        if (!TRAINING_PATH.test(ptext) && !uploads.has(model.text(call.receiver))) continue;
        const l = firstOf(model, [arg(call, 0, 'data')]);
        if (l) report(call, l, 'a fine-tuning data file');
        continue;
      }
      if (isFineTuneUpload(model, call)) {
        const l = firstOf(model, [kw(call, 'file')]);
        if (l) report(call, l, 'a fine-tuning upload');
        continue;
      }
      if (TRAINER.test(c)) {
        const l = firstOf(model, [kw(call, 'train_dataset'), kw(call, 'dataset')]);
        if (l) report(call, l, 'a trainer training set');
        continue;
      }
      // Datasets exported to training files or a hub.
      if (/^(to_json|to_csv|to_parquet|save_to_disk|push_to_hub)$/.test(call.name) && call.receiver) {
        const dest = arg(call, 0, 'path_or_buf');
        const named = TRAINING_PATH.test(model.text(call.receiver)) || TRAINING_PATH.test(pathText(model, dest?.node, call.fn)) || (call.name === 'push_to_hub' && /(ds|data|dataset)\w*$/i.test(model.text(call.receiver)));
        const l = untrusted(call.receiverTaint, KINDS).filter((x) => chosenByOutsider(model, x))[0];
        if (named && l) report(call, l, 'a training dataset export');
        continue;
      }
      // Examples appended to an in-memory training set or a dataset object.
      if (/^(append|extend|add_item|add_items|insert|add_example|add_examples)$/.test(call.name) && call.receiver && TRAINING_COLLECTION.test(model.text(call.receiver))) {
        const l = firstOf(model, call.args);
        if (l) report(call, l, `the training set ${model.text(call.receiver)}`);
      }
    }
  },
};

/** Node's file writers: `fs.appendFileSync(P, data)`, `fs.promises.writeFile`, `Bun.write`. */
const JS_FILE_WRITE = /^(appendFile|appendFileSync|writeFile|writeFileSync|outputFile|outputFileSync)$/;
const JS_FS_RECEIVER = /^(fs|fsp|fse|promises|fs\.promises|fsPromises|fsExtra|Deno|node:fs)$/;

/** Paths a JS file hands to a fine-tuning upload: `files.create({ file: fs.createReadStream(P), purpose: 'fine-tune' })`. */
function jsUploadedPaths(model: PyModel): Set<string> {
  const out = new Set<string>();
  for (const c of model.calls) {
    if (!isFineTuneUpload(model, c)) continue;
    const f = kw(c, 'file');
    if (!f) continue;
    const inner = model.calls.find((o) => o.node.startIndex >= f.node.startIndex && o.node.endIndex <= f.node.endIndex && /^(createReadStream|readFileSync|readFile|openAsBlob|fileFrom|toFile)$/.test(o.name));
    const p = inner?.args.find((a) => a.index === 0);
    if (p) out.add(model.text(p.node));
  }
  return out;
}

/**
 * Feedback loops through the database: a handler stores what users submit (`prisma.feedback.create`,
 * `INSERT INTO feedback`), and a job in the same file reads that table back into a fine-tuning
 * upload. The stored rows are the training examples.
 */
function tableRoundTrips(model: PyModel, report: (call: CallFact, l: Label, what: string) => void): void {
  const trainers = model.functions.filter((f) => f.calls.some((c) => isFineTuneUpload(model, c) || /fineTuning\.jobs\.create$/.test(plain(c.callee))));
  if (!trainers.length) return;
  const readTables = new Set<string>();
  for (const f of trainers) {
    for (const c of f.calls) {
      const t = tableOf(model, c, /^(findMany|findAll|find|select|all)$/, /\bfrom\s+([\w."]+)/i);
      if (t) readTables.add(t);
    }
  }
  for (const call of model.calls) {
    if (trainers.includes(call.fn)) continue;
    const t = tableOf(model, call, /^(create|createMany|upsert|insert)$/, /\binsert\s+into\s+([\w."]+)/i);
    if (!t || !readTables.has(t)) continue;
    const l = firstOf(model, call.args.filter((a) => a.index >= 0 || a.name === 'data'));
    if (l) report(call, l, `the ${t} table, which the fine-tuning job in this file trains on`);
  }
}

function checkJs(model: PyModel, report: (call: CallFact, l: Label, what: string) => void): void {
  tableRoundTrips(model, report);
  const uploads = jsUploadedPaths(model);
  const trainingPath = (n: AstNode | undefined, fn: FunctionFact) => !!n && (TRAINING_PATH.test(pathText(model, n, fn)) || uploads.has(model.text(n)));
  for (const call of model.calls) {
    const recv = call.receiver ? model.text(call.receiver) : '';
    // `fs.appendFileSync('data/finetune.jsonl', JSON.stringify(example) + '\n')`.
    if (JS_FILE_WRITE.test(call.name) && (!call.receiver || JS_FS_RECEIVER.test(recv)) || (call.name === 'write' && recv === 'Bun')) {
      const p = call.args.find((a) => a.index === 0);
      if (!trainingPath(p?.node, call.fn)) continue;
      const l = firstOf(model, [call.args.find((a) => a.index === 1)]);
      if (l) report(call, l, 'a fine-tuning data file');
      continue;
    }
    // `const out = fs.createWriteStream('train.jsonl', { flags: 'a' }); out.write(line)`.
    if (call.name === 'createWriteStream' && call.assignedTo && trainingPath(call.args.find((a) => a.index === 0)?.node, call.fn)) {
      const handle = call.assignedTo;
      for (const w of model.calls) {
        if (w.node.startIndex <= call.node.startIndex || w.name !== 'write' || !w.receiver || model.text(w.receiver).replace(/^this\./, '') !== handle.replace(/^this\./, '')) continue;
        const l = firstOf(model, [w.args.find((a) => a.index === 0)]);
        if (l) report(w, l, 'a fine-tuning data file');
      }
      continue;
    }
    // In-memory content uploaded for fine-tuning: `files.create({ file: await toFile(Buffer.from(jsonl)), purpose: 'fine-tune' })`.
    if (isFineTuneUpload(model, call)) {
      const l = firstOf(model, [kw(call, 'file')]);
      if (l) report(call, l, 'a fine-tuning upload');
      continue;
    }
    // Examples collected for a training set: `trainingExamples.push({ messages })`.
    if (/^(push|unshift|add|set)$/.test(call.name) && call.receiver && TRAINING_COLLECTION.test(recv.replace(/^this\./, '')) ) {
      const l = firstOf(model, call.args.filter((a) => a.index >= 0));
      if (l) report(call, l, `the training set ${recv}`);
    }
  }
}
