/**
 * What JavaScript/TypeScript agent code looks like: which packages name a framework, which calls
 * reach a model, which return untrusted content, which clean it, which functions the model or a
 * web client calls. The JS taint engine reads these tables, as the Python engine reads
 * frameworks/python.ts, so the knowledge of an API lives in one place.
 */
import type { SanitizedFor } from '../flow/labels.js';
import { envSource, lastSegment, modelCallShape, type ModelCallShape, type SourceInfo } from './python.js';

/** npm package prefix -> framework name reported in ScanResult.frameworks. */
const PACKAGE_FRAMEWORKS: [RegExp, string][] = [
  [/^@langchain\/langgraph/, 'langgraph'],
  [/^(langchain|@langchain\/)/, 'langchain'],
  [/^(ai|@ai-sdk\/.*)$/, 'vercel-ai'],
  [/^openai(\/|$)/, 'openai'],
  [/^@openai\/agents/, 'openai-agents'],
  [/^@anthropic-ai\/sdk/, 'anthropic'],
  [/^@modelcontextprotocol\/sdk/, 'mcp'],
  [/^(fastmcp|@mastra\/mcp)$/, 'mcp'],
  [/^@mastra\//, 'mastra'],
  [/^llamaindex|^@llamaindex\//, 'llamaindex'],
  [/^@google\/(generative-ai|genai)/, 'gemini'],
  [/^ollama/, 'ollama'],
  [/^@pinecone-database\//, 'pinecone'],
];

export function frameworkOfPackage(pkg: string): string | null {
  for (const [re, name] of PACKAGE_FRAMEWORKS) if (re.test(pkg)) return name;
  return null;
}

/** Vercel AI SDK entry points: one call runs the model (and its tool loop). */
const AI_SDK_FUNCTIONS = /^(ai\.)?(generateText|streamText|generateObject|streamObject|embed|embedMany)$/;
/** OpenAI Agents JS `run(agent, input)`, Mastra/LangGraph style `agent.generate`. */
const AGENT_RUN_FUNCTIONS = /^@openai\/agents\.(run)$|^(@openai\/agents\.)?Runner\(\)\.run$/;

/**
 * Model-call shape of a JS call. `callee` has imports expanded (`ai.generateText`,
 * `openai.chat.completions.create` on a client built with `new OpenAI()`).
 */
export function jsModelCallShape(callee: string, receiverType: string | undefined, receiverName: string | undefined): ModelCallShape | null {
  const flat = callee.replace(/\(\)(?=\.)/g, '');
  if (AI_SDK_FUNCTIONS.test(flat) && !/embed/.test(flat)) {
    return { kind: 'function', promptKeywords: ['prompt', 'messages', 'system'], promptPositional: [] };
  }
  if (AGENT_RUN_FUNCTIONS.test(flat)) return { kind: 'function', promptKeywords: ['input'], promptPositional: [1] };
  const method = lastSegment(flat);
  // Mastra / Agents: `agent.generate(prompt)`, `agent.stream(prompt)`.
  if (/^(generate|stream|generateVNext|streamVNext)$/.test(method) && (receiverType && /Agent$/.test(receiverType) || (!receiverType && receiverName && /agent$/i.test(receiverName)))) {
    return { kind: 'runner', promptKeywords: ['input', 'messages', 'prompt'], promptPositional: [0] };
  }
  // LangChain.js sequences: `RunnableSequence.from([prompt, model, parser]).invoke(...)` runs the model.
  if (/^(invoke|stream|batch|call)$/.test(method) && receiverType && /(^|\.)(RunnableSequence(\.from)?|RunnableSequence\.from\(\)|RunnableMap|LLMChain|ConversationChain|RetrievalQAChain|ConversationalRetrievalQAChain|createRetrievalChain|createStuffDocumentsChain|createSqlQueryChain)$/.test(receiverType)) {
    return { kind: 'runner', promptKeywords: ['input', 'question', 'query'], promptPositional: [0] };
  }
  // Camel-cased spellings of the Python shapes: `model.invoke`, `chain.invoke`, `client.messages.create`.
  const snake = method.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  // Factory functions read as their Python names (`createReactAgent` -> `create_react_agent`); classes keep theirs.
  const rtype = receiverType?.replace(/(^|\.)([a-z]\w*)$/, (_m, dot: string, fn: string) => dot + fn.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const shape = modelCallShape(flat.slice(0, flat.length - method.length) + snake, rtype, receiverName ? receiverName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : undefined);
  if (!shape) return null;
  // `.stream()` on a client call is `client.messages.stream`; LangChain methods keep their names.
  return { ...shape, promptKeywords: [...shape.promptKeywords, 'system', 'input'] };
}

/** Constructors whose options become system-level instructions, by option name. */
export const JS_INSTRUCTION_OPTIONS: Record<string, string[]> = {
  Agent: ['instructions', 'system', 'systemPrompt'],
  createReactAgent: ['prompt', 'stateModifier', 'messageModifier'],
  createAgent: ['systemPrompt', 'prompt'],
  ToolLoopAgent: ['instructions', 'system'],
  Experimental_Agent: ['system', 'instructions'],
  ChatPromptTemplate: [],
};

export const JS_MESSAGE_CLASSES: Record<string, string> = { SystemMessage: 'system', HumanMessage: 'user', AIMessage: 'assistant', ToolMessage: 'tool', ChatMessage: 'user' };

// ---- Sources -----------------------------------------------------------------------------------

/** Properties of an HTTP request object that hold client data. */
export const REQUEST_PROPS = new Set(['body', 'query', 'params', 'headers', 'cookies', 'files', 'file', 'searchParams', 'nextUrl', 'url', 'raw', 'rawBody']);
/** Request-object methods returning client data: Fetch `request.json()`, Hono `c.req.json()`, `formData.get()`. */
export const REQUEST_METHODS = new Set(['json', 'text', 'formData', 'blob', 'arrayBuffer', 'param', 'query', 'queries', 'header', 'parseBody', 'valid', 'get', 'getAll', 'cookie']);
/** Fields that by their nature hold text an end user typed (read in snake case; as in the Python engine). */
export const USER_AUTHORED_FIELD = /(^|_)(persona|bio|biography|about_me|custom_instructions|instructions_from_user|brief|preferences|notes|feedback|comments?|body|nickname|display_name|signature|review_text|user_message|user_input|user_request)$/i;
export const REQUEST_NAME = /^(req|request|ctx|c|context|event|evt)$/;

const WEB_CALLS = /^(fetch|globalThis\.fetch|node-fetch|undici\.(fetch|request)|axios|axios\.(get|post|put|patch|request|head)|got|got\.(get|post)|ky|ky\.(get|post)|superagent\.(get|post)|cross-fetch|isomorphic-fetch)$/;
const RETRIEVE_METHODS = new Set(['similaritySearch', 'similaritySearchWithScore', 'similaritySearchVectorWithScore', 'maxMarginalRelevanceSearch', 'getRelevantDocuments', 'retrieve', 'asRetriever']);
const WEB_LOADER = /(Cheerio|Puppeteer|Playwright|Recursive|Sitemap|Firecrawl|Spider|Apify|Web|Url|Html|Browserbase)\w*Loader$/;
const SEARCH_TOOL = /(TavilySearchResults|TavilySearch|DuckDuckGoSearch|SerpAPI|GoogleCustomSearch|BingSerpAPI|BraveSearch|WikipediaQueryRun|SearchApi|ExaSearchResults)$/;
const FILE_READS = /^(fs|node:fs|fs-extra|fs\/promises|node:fs\/promises)\.(readFile|readFileSync|promises\.readFile|createReadStream)$|^Bun\.file$/;

export function jsCallSource(flat: string, receiverType: string | undefined, receiverName: string | undefined): SourceInfo | null {
  const method = lastSegment(flat);
  if (flat === 'process.argv' || /^(readline|node:readline|readline\/promises|node:readline\/promises)\.\w+\(\)\.question$/.test(flat) || /^(prompts|inquirer\.prompt|@inquirer\/prompts\.(input|editor|password))$/.test(flat)) {
    return { kind: 'user', what: `${flat}()` };
  }
  // React chat hooks hold the conversation, the model's streamed answers included.
  if (/^(@ai-sdk\/react|ai\/react|@ai-sdk\/vue|@ai-sdk\/svelte)\.(useChat|useCompletion|useObject)$/.test(flat)) return { kind: 'model', what: `model answers from ${method}()` };
  // `readline.createInterface({ input: process.stdin })`: every line read from it is typed by the user.
  if (/^(node:)?readline(\/promises)?\.createInterface$/.test(flat)) return { kind: 'user', what: 'console input (readline)' };
  if (method === 'question' && receiverName && /^(rl|readline|cli|prompt|input)$/i.test(receiverName)) return { kind: 'user', what: 'readline input' };
  if (WEB_CALLS.test(flat)) return { kind: 'web', what: `the response of ${flat}()` };
  if (FILE_READS.test(flat)) return { kind: 'file', what: 'file contents' };
  const rtype = receiverType ?? '';
  if (RETRIEVE_METHODS.has(method) && method !== 'asRetriever') return { kind: 'retrieved', what: `documents from ${method}()` };
  if (/^(invoke|getRelevantDocuments|_getRelevantDocuments)$/.test(method) && (/asRetriever|Retriever$/.test(rtype) || (!rtype && receiverName && /retriever$/i.test(receiverName)))) {
    return { kind: 'retrieved', what: 'documents from a retriever' };
  }
  if (method === 'query' && (/(Index|index|Collection|collection|namespace|Namespace)$/.test(rtype) || (!rtype && receiverName && /(index|collection|namespace|vectors?|vectorize)$/i.test(receiverName)))) {
    return { kind: 'retrieved', what: 'vector store query results' };
  }
  if (/^(load|loadAndSplit|lazyLoad|scrape|crawl)$/.test(method) && /Loader$/.test(rtype)) {
    return WEB_LOADER.test(rtype) ? { kind: 'web', what: `pages loaded by ${lastSegment(rtype)}` } : { kind: 'file', what: `documents loaded by ${lastSegment(rtype)}` };
  }
  if (/^(invoke|call|search|_call)$/.test(method) && SEARCH_TOOL.test(rtype)) return { kind: 'web', what: `web search results from ${lastSegment(rtype)}` };
  if (/^(text|json|blob|arrayBuffer)$/.test(method) && /^(fetch|Response)/.test(rtype)) return { kind: 'web', what: 'a fetched response body' };
  return null;
}

export { envSource };

// ---- Sanitisers --------------------------------------------------------------------------------

// JSON.parse is no sanitiser: a parsed tool-call argument (`eval(JSON.parse(args).expr)`) is still the model's text.
const SANITIZERS: [RegExp, SanitizedFor][] = [
  [/^(shell-quote\.quote|shellescape|shell-escape|shlex\.quote|quote)$/, 'shell'],
  [/^(DOMPurify\.sanitize|dompurify\.sanitize|isomorphic-dompurify\.sanitize|sanitize-html|sanitizeHtml|escape-html|escapeHtml|he\.(encode|escape)|xss|xss\.filterXSS|filterXSS|lodash\.escape|_\.escape|validator\.escape|htmlEscape|escapeHTML|encodeHTML|marked\.parseInline)$/, 'html'],
  [/^(path|node:path)\.basename$|^(sanitize-filename|sanitizeFilename)$/, 'path'],
  [/^(encodeURIComponent|querystring\.escape|URLSearchParams)$/, 'url'],
  [/^(Number|parseInt|parseFloat|Boolean|Number\.parseInt|Number\.parseFloat|Math\.\w+|String\(\)\.length|isNaN|Number\.isInteger|Date\.parse|crypto\.createHash|uuid\.validate)$/, 'all'],
  [/^(sqlstring\.escape|mysql\.escape|pg-format|SqlString\.escape|escapeIdentifier|escapeLiteral)$/, 'sql'],
];
const SANITIZER_NAME = /^_?(sanitize|sanitise|validate|escape|clean|redact|scrub|stripInjection|isSafe|isAllowed|allowlist|whitelist|assertSafe|ensureSafe)\w*$/i;
/** Schema libraries: a parsed value has the schema's shape and constraints. */
const SCHEMA_METHODS = /^(parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|assert|cast|decode|check)$/;
const SCHEMA_RECEIVER = /(schema|Schema|^z\.|zod|yup|joi|Joi|valibot|^v\.|ajv|typebox|TypeCompiler|Type\b|validator|Validator)/;

export function jsSanitizer(flat: string, receiverText: string | undefined, receiverType: string | undefined): SanitizedFor | null {
  for (const [re, kind] of SANITIZERS) if (re.test(flat)) return kind;
  const method = lastSegment(flat);
  if (SCHEMA_METHODS.test(method) && receiverText !== undefined && (SCHEMA_RECEIVER.test(receiverText) || SCHEMA_RECEIVER.test(receiverType ?? '') || /^zod\./.test(receiverType ?? ''))) return 'all';
  if (SANITIZER_NAME.test(method)) return 'all';
  return null;
}

// ---- Tools and handlers ------------------------------------------------------------------------

/** `tool({execute})`, `createTool({execute})`, `dynamicTool({execute})`: Vercel AI SDK, Mastra, OpenAI Agents JS; AI SDK provider tools (`anthropic.tools.bash_20250124({ execute })`). */
export const TOOL_OPTION_WRAPPERS = /^(ai\.)?(tool|dynamicTool|createTool|@openai\/agents\.tool|@mastra\/core\.createTool|@mastra\/core\/tools\.createTool|defineTool|betaZodTool|zodFunction)$|^@ai-sdk\/[\w-]+\.\w+\.tools\.\w+$/;
/** LangChain.js `tool(fn, {...})` and `DynamicStructuredTool({func})`. */
export const LANGCHAIN_TOOL_FN = /^(@langchain\/core\/tools\.tool|langchain\/tools\.tool)$/;
export const TOOL_CLASSES = /(^|\.)(DynamicStructuredTool|DynamicTool|StructuredTool|Tool|FunctionTool)$/;
/** MCP TS SDK servers: `server.tool(...)`, `server.registerTool(...)`, fastmcp's `server.addTool({execute})`. */
export const MCP_SERVER_TYPE = /(McpServer|FastMCP|Server)$/;
export const MCP_SERVER_NAME = /^(server|mcp|mcpServer|mcp_server|app)$/i;
export const HTTP_VERBS = /^(get|post|put|patch|delete|del|all|use|head|options|route|on)$/;
export const HTTP_APP_NAME = /^(app|router|api|server|fastify|hono|route|routes|r|v1|apiRouter|koa)$/i;
export const NEXT_ROUTE_EXPORTS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/;
/** Handler parameters that are framework plumbing, not client data. */
export const NOT_CLIENT_PARAM = /^(res|response|reply|next|h|env|_)$/;
