import type { ArgFact, CallFact, PyModel } from '../../flow/python.js';
import type { Label } from '../../flow/labels.js';
import type { Rule } from '../types.js';
import { calleeOf, kw, reaching, namedCalls } from '../helpers.js';
import { JS_LANGUAGES } from '../types.js';

/** transformers.js `pipeline(task, modelId)`, `AutoModel.from_pretrained(id)`, Ollama `pull({ model })`, node-llama-cpp `resolveModelFile(uri)`. */
const JS_HUB_LOADER = /((^|[./])(from_pretrained|resolveModelFile|createModelDownloader)$|transformers\.pipeline$|^pipeline$|(^|\.)ollama\.(pull|create)$)/;

const HUB_LOADER = /(^|\.)(from_pretrained|hf_hub_download|snapshot_download|load_dataset|SentenceTransformer|CrossEncoder)$|^(transformers\.)?pipeline$/;
const MODEL_ID_KEYWORDS = ['pretrained_model_name_or_path', 'model_name_or_path', 'model', 'model_id', 'model_name', 'repo_id', 'path'];
const DOWNLOAD = /^(urllib\.request\.urlretrieve|urllib\.request\.urlopen|requests\.get|httpx\.get|wget\.download|torch\.hub\.download_url_to_file|torch\.hub\.load_state_dict_from_url|requests\.Session\(\)\.get|httpx\.Client\(\)\.get)$/;
const WEIGHT_FILE = /\.(bin|pt|pth|pkl|pickle|ckpt|onnx|gguf|ggml|safetensors|h5|keras|joblib|npz|tflite|mlmodel)(\?[^"'\s]*)?$/i;
/** People choosing the model from a terminal are the operator, not an attacker. */
const OPERATOR_INPUT = /command-line|^(builtins\.)?input\(\)|getpass|click\.prompt|typer\.prompt|rich\.prompt/;

function modelIdArg(call: CallFact): ArgFact | undefined {
  const c = calleeOf(call);
  if (/(^|\.)pipeline$/.test(c)) return kw(call, 'model') ?? call.args.find((a) => a.index === 1);
  for (const k of MODEL_ID_KEYWORDS) {
    const a = kw(call, k);
    if (a) return a;
  }
  return call.args.find((a) => a.index === 0);
}

function controlled(a: ArgFact): Label | undefined {
  return reaching(a.taint, ['user', 'model', 'web', 'retrieved']).find((l) => !(l.kind === 'user' && OPERATOR_INPUT.test(l.what)));
}

/** The literal text of a URL argument: the string itself, or an f-string's fixed parts. */
function urlText(model: PyModel, a: ArgFact | undefined): string {
  if (!a) return '';
  if (a.node.type === 'string') return model.text(a.node).replace(/^[a-zA-Z]*["']+|["']+$/g, '');
  if (a.node.type === 'identifier') {
    const assign = model.assigns.filter((x) => x.target === model.text(a.node) && x.value.type === 'string').pop();
    if (assign) return model.text(assign.value).replace(/^[a-zA-Z]*["']+|["']+$/g, '');
  }
  return '';
}

/** A digest compared after download: the accepted mitigation for fetching artefacts by URL. */
function verifiesHash(model: PyModel, call: CallFact): boolean {
  if (call.args.some((a) => (a.name === 'check_hash' && a.node.type === 'true') || a.name === 'hash_prefix' || a.name === 'sha256' || a.name === 'expected_hash')) return true;
  return call.fn.calls.some((c) => /^hashlib\.|(^|\.)(verify_checksum|verify_hash|check_sha256|verify_sha256|check_hash)$/.test(calleeOf(c)));
}

/**
 * Which model runs is a supply-chain decision: a model id chosen by the user or by the model
 * lets them load any repository from the hub; weights fetched from an arbitrary URL or over plain
 * HTTP can be swapped on the way.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/untrusted-model-source',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-494',
    severity: 'MEDIUM',
    title: 'Model loaded from an untrusted or unverified source',
    description: 'The model, dataset or weight file comes from a source the application does not control: an identifier chosen by the user or the model, a plain-HTTP URL, or a download without integrity check.',
    fix: 'Load models from an allow-list of vetted repositories pinned to a commit (revision="<sha>"), download over HTTPS and verify a known SHA-256 before loading.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of namedCalls(model)) {
      const c = calleeOf(call);
      if (model.language ? JS_HUB_LOADER.test(c) : HUB_LOADER.test(c)) {
        const a = model.language ? jsModelIdArg(call) : modelIdArg(call);
        if (!a) continue;
        const l = controlled(a);
        if (l) {
          ctx.report({ node: call.node, source: l, message: `The model loaded by ${call.name}() is chosen by ${l.kind === 'model' ? 'the model' : l.kind === 'user' ? 'the user' : 'outside content'} (${l.what}, line ${l.line}); any hub repository can be loaded.` });
          continue;
        }
        if (/^http:\/\//i.test(urlText(model, a))) ctx.report({ node: call.node, message: `${call.name}() loads from a plain-HTTP URL, which can be tampered with in transit.` });
        continue;
      }
      if (model.language) continue;
      if (DOWNLOAD.test(c)) {
        const url = urlText(model, kw(call, 'url') ?? call.args.find((a) => a.index === 0));
        if (!url || !WEIGHT_FILE.test(url.split('#')[0])) continue;
        if (verifiesHash(model, call)) continue;
        ctx.report({ node: call.node, message: `Model weights are downloaded from ${/^http:/i.test(url) ? 'a plain-HTTP URL' : 'a URL'} by ${call.name}() without verifying a checksum.` });
      }
    }
  },
};

function jsModelIdArg(call: CallFact): ArgFact | undefined {
  if (/pipeline$/.test(calleeOf(call))) return call.args.find((a) => a.index === 1);
  return kw(call, 'model') ?? kw(call, 'modelUri') ?? kw(call, 'uri') ?? call.args.find((a) => a.index === 0 && a.node.type !== 'object');
}
