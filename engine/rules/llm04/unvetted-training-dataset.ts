import type { Rule } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import type { PyModel } from '../../flow/python.js';
import { kw, literal, namedCalls } from '../helpers.js';

const LOAD_DATASET = /^(datasets\.load_dataset|load_dataset)$/;
/** What makes a script a training script: a trainer, a fine-tuning job, or an explicit train call. */
const TRAINS = /(^|\.)(Trainer|SFTTrainer|DPOTrainer|ORPOTrainer|RewardTrainer|KTOTrainer|GRPOTrainer|Seq2SeqTrainer|fine_tuning\.jobs\.create|FineTuningJob\.create)$|\.train$/;

/**
 * A community dataset on a hub can be changed by its owner at any time; fine-tuning straight on
 * its moving head lets whoever controls it poison the model. Pinning a reviewed revision (a
 * commit hash) is what makes the training data the data that was vetted.
 */
export const rule: Rule = {
  meta: {
    id: 'data-poisoning/unvetted-training-dataset',
    owasp: 'LLM04',
    asi: 'ASI06',
    cwe: 'CWE-345',
    severity: 'MEDIUM',
    title: 'Training on an unpinned community dataset',
    description: 'A third-party dataset is loaded from a hub at its latest revision and used to train or fine-tune a model, so whoever controls that dataset controls what the model learns.',
    fix: 'Pin the dataset to a reviewed commit (load_dataset(name, revision="<sha>")), mirror it into storage you control, and validate or filter records before training.',
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
    const calls = namedCalls(model);
    if (!calls.some((c) => TRAINS.test(c.flat))) return;
    for (const call of calls) {
      if (!LOAD_DATASET.test(call.flat)) continue;
      const nameArg = call.args.find((a) => a.index === 0) ?? kw(call, 'path');
      const name = literal(model, nameArg) ?? (nameArg ? resolvedName(model, nameArg.node) : undefined);
      // Local files and builder names (`json`, `csv`) are the team's own data; `owner/name` is someone else's.
      if (!name || !/^[\w.-]+\/[\w.-]+$/.test(name) || /^(json|csv|parquet|text|arrow|imagefolder|audiofolder)$/.test(name)) continue;
      const revArg = kw(call, 'revision');
      const revision = literal(model, revArg) ?? (revArg ? resolvedName(model, revArg.node) : undefined);
      if (revision && /^[0-9a-f]{7,40}$/i.test(revision)) continue;
      ctx.report({ node: call.node, message: `The training data comes from the hub dataset "${name}" ${revision ? `at the moving revision "${revision}"` : 'at its latest revision'}; its owner decides what this model learns.` });
    }
  },
};

/**
 * The dataset a name stands for when it is not written at the call: a constant's value, or the
 * default of the command-line option it comes from (`args.dataset` with `default="owner/name"`).
 */
function resolvedName(model: PyModel, n: AstNode): string | undefined {
  if (n.type === 'identifier') {
    const def = model.assigns.filter((a) => a.target === model.text(n) && a.node.startIndex < n.startIndex).pop();
    return def ? literal(model, def.value) : undefined;
  }
  if (n.type !== 'attribute') return undefined;
  const opt = model.text(n).split('.').pop()!;
  for (const c of model.calls) {
    if (c.name !== 'add_argument') continue;
    const flags = c.args.filter((a) => a.name === null).map((a) => literal(model, a) ?? '');
    const dest = literal(model, kw(c, 'dest'));
    if (dest !== opt && !flags.some((f) => f.replace(/^-+/, '').replace(/-/g, '_') === opt)) continue;
    return literal(model, kw(c, 'default'));
  }
  return undefined;
}
