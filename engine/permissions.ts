import type { Permissions } from './types.js';
import type { PyModel } from './flow/python.js';

/** npm packages (JS/TS models) that open sockets, spawn processes or touch files. */
const JS_NETWORK_MODULES = /^(node:)?(http|https|net|dgram|tls)$|^(axios|got|node-fetch|undici|ky|superagent|ws|openai|@anthropic-ai\/|@ai-sdk\/|ai$|@langchain\/|langchain|@modelcontextprotocol\/sdk\/client|@pinecone-database\/|nodemailer|@sendgrid\/|resend|stripe)/;
const JS_SUBPROCESS_MODULES = /^(node:)?child_process$|^(execa|shelljs|cross-spawn|zx)$/;
const JS_FILESYSTEM_MODULES = /^(node:)?fs(\/promises)?$|^(fs-extra|graceful-fs)$/;
const NETWORK_MODULES = /^(requests|httpx|aiohttp|urllib|urllib3|socket|http\.client|websockets|smtplib|ftplib|paramiko|boto3|openai|anthropic|langchain_openai|langchain_anthropic|google\.generativeai|google\.genai|litellm|cohere|groq|mistralai|pinecone|weaviate|qdrant_client|tavily|ollama)(\.|$)/;
const SUBPROCESS = /^(subprocess\.|os\.(system|popen|exec\w*|spawn\w*|fork)$|asyncio\.create_subprocess_(exec|shell)$|pexpect\.|sh\.|plumbum\.)/;
const FILESYSTEM = /^(open|io\.open|codecs\.open|os\.(remove|unlink|rmdir|removedirs|rename|replace|makedirs|mkdir|chmod|chown|walk|listdir|scandir)|shutil\.\w+|pathlib\.Path|tempfile\.\w+|glob\.\w+)$|\.(write_text|write_bytes|read_text|read_bytes|unlink|mkdir|rmdir|touch)$/;
const MODEL_CALL_NETWORK = new Set(['client', 'function', 'model', 'runner']);

/** What the scanned code can do, from its imports and calls; the union over all files. */
export function permissionsOf(models: PyModel[]): Permissions {
  const p: Permissions = { network: false, filesystem: false, environment: false, subprocess: false };
  for (const m of models) {
    for (const mod of m.modules) {
      if (NETWORK_MODULES.test(mod) || (m.language && JS_NETWORK_MODULES.test(mod))) p.network = true;
      if (m.language && JS_SUBPROCESS_MODULES.test(mod)) p.subprocess = true;
      if (m.language && JS_FILESYSTEM_MODULES.test(mod)) p.filesystem = true;
      if (mod === 'subprocess' || mod === 'pexpect') p.subprocess = true;
      if (mod === 'shutil') p.filesystem = true;
    }
    for (const c of m.calls) {
      const callee = c.flat;
      if (SUBPROCESS.test(callee)) p.subprocess = true;
      if (m.language && /^(fetch|globalThis\.fetch)$/.test(callee)) p.network = true;
      if (FILESYSTEM.test(callee)) p.filesystem = true;
      if (/^os\.(getenv|environ\.get|environ\.setdefault|putenv)$|^dotenv\.load_dotenv$/.test(callee)) p.environment = true;
      if (c.model && MODEL_CALL_NETWORK.has(c.model.kind)) p.network = true;
    }
    if (m.envReads > 0) p.environment = true;
  }
  return p;
}
