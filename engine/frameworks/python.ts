/**
 * What Python agent frameworks look like: which imports name a framework, which calls reach a
 * model, which return untrusted content, which clean it. The taint engine and the rules read these
 * tables so that knowledge of an API lives in one place.
 */
import type { SanitizedFor, TaintKind } from '../flow/labels.js';

/** Import prefix -> framework name reported in ScanResult.frameworks. */
const FRAMEWORK_PREFIXES: [string, string][] = [
  ['langgraph', 'langgraph'],
  ['langchain', 'langchain'],
  ['langchain_core', 'langchain'],
  ['langchain_community', 'langchain'],
  ['langchain_openai', 'langchain'],
  ['langchain_anthropic', 'langchain'],
  ['langchain_experimental', 'langchain'],
  ['crewai', 'crewai'],
  ['crewai_tools', 'crewai'],
  ['autogen', 'autogen'],
  ['autogen_agentchat', 'autogen'],
  ['autogen_ext', 'autogen'],
  ['autogen_core', 'autogen'],
  ['pyautogen', 'autogen'],
  ['agents', 'openai-agents'],
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['llama_index', 'llamaindex'],
  ['mcp', 'mcp'],
  ['fastmcp', 'mcp'],
  ['google.generativeai', 'gemini'],
  ['google.genai', 'gemini'],
  ['litellm', 'litellm'],
  ['semantic_kernel', 'semantic-kernel'],
  ['haystack', 'haystack'],
  ['smolagents', 'smolagents'],
  ['pydantic_ai', 'pydantic-ai'],
  ['dspy', 'dspy'],
  ['transformers', 'transformers'],
  ['ollama', 'ollama'],
  ['agno', 'agno'],
  ['phi', 'agno'],
  ['google.adk', 'google-adk'],
];

export function frameworkOfModule(module: string): string | null {
  for (const [prefix, name] of FRAMEWORK_PREFIXES) {
    if (module === prefix || module.startsWith(prefix + '.')) return name;
  }
  return null;
}

export function lastSegment(qname: string): string {
  const i = qname.lastIndexOf('.');
  return i < 0 ? qname : qname.slice(i + 1);
}

/**
 * Answers keyed by two spellings (callee and receiver type), looked up without joining them: the
 * joined key was a fresh string per call, flattened and hashed on every lookup. Bounded like the
 * one-key caches, so memory stays flat across a repository.
 */
class PairCache<V> {
  private readonly outer = new Map<string, Map<string, V>>();
  private entries = 0;
  get(a: string, b: string): V | undefined {
    return this.outer.get(a)?.get(b);
  }
  set(a: string, b: string, value: V): void {
    if (this.entries > 50000) {
      this.outer.clear();
      this.entries = 0;
    }
    let inner = this.outer.get(a);
    if (!inner) this.outer.set(a, (inner = new Map()));
    inner.set(b, value);
    this.entries++;
  }
}

/** Strips `()` markers a qualified name carries for calls in a chain: `openai.OpenAI().chat` -> `openai.OpenAI.chat`. */
const plainCache = new Map<string, string>();

export function plain(qname: string): string {
  if (!qname.includes('()')) return qname;
  let hit = plainCache.get(qname);
  if (hit === undefined) {
    // Only calls in the middle of a chain go: `OpenAI().chat` is the client's chat, but a trailing
    // `()` means the callee is the *result* of a call (`model = torch.load(f); model(x)`).
    hit = qname.includes('(') ? qname.replace(/\(\)(?=\.)/g, '') : qname;
    // Callee spellings repeat across a repository; a bounded cache keeps memory flat.
    if (plainCache.size > 50000) plainCache.clear();
    plainCache.set(qname, hit);
  }
  return hit;
}

// ---- Model types -------------------------------------------------------------------------------

/** Classes whose instances are language models (LangChain, LlamaIndex, others). */
const MODEL_CLASS = /(^|\.)(Chat[A-Z]\w*|AzureChatOpenAI|OpenAI|Anthropic|Ollama|HuggingFaceHub|HuggingFaceEndpoint|HuggingFacePipeline|VertexAI|Bedrock|BedrockChat|Cohere|LlamaCpp|GPT4All|Groq|MistralAI|GenerativeModel|LLM|init_chat_model)$/;
/** Provider SDK clients; their model calls are `client.<resource>.create`. */
const CLIENT_CLASS = /^(openai\.(Async)?(Azure)?OpenAI|anthropic\.(Async)?Anthropic(Bedrock|Vertex)?|groq\.(Async)?Groq|mistralai\.Mistral|together\.Together|cohere\.Client(V2)?)$/;

/** Agents, chains and graphs: calling them runs a model on the input. */
const RUNNER_CLASS = /(^|\.)(LLMChain|ConversationChain|RetrievalQA|RetrievalQAWithSourcesChain|ConversationalRetrievalChain|AgentExecutor|initialize_agent|create_react_agent|create_tool_calling_agent|create_openai_functions_agent|create_openai_tools_agent|create_structured_chat_agent|create_sql_agent|create_pandas_dataframe_agent|create_csv_agent|create_supervisor|create_swarm|StateGraph\(\)\.compile|compile|Crew|ReActAgent|OpenAIAgent|FunctionAgent|AgentWorkflow|as_query_engine|as_chat_engine|CodeAgent|ToolCallingAgent|pydantic_ai\.Agent|agno\.agent\.Agent|phi\.agent\.Agent|haystack\.Pipeline|AssistantAgent|ConversableAgent|UserProxyAgent|GroupChatManager|runnable)$/;

export function isClientType(type: string | undefined): boolean {
  return !!type && CLIENT_CLASS.test(plain(type));
}

export function isModelType(type: string | undefined): boolean {
  if (!type) return false;
  const t = plain(type);
  if (CLIENT_CLASS.test(t)) return false;
  return MODEL_CLASS.test(t);
}

export function isRunnerType(type: string | undefined): boolean {
  return !!type && RUNNER_CLASS.test(plain(type));
}

const MODEL_METHODS = new Set(['invoke', 'ainvoke', 'predict', 'apredict', 'generate', 'agenerate', 'stream', 'astream', 'batch', 'abatch', 'call', '__call__', 'predict_messages', 'complete', 'acomplete', 'chat', 'achat', 'stream_chat', 'stream_complete', 'generate_content', 'generate_content_async']);
const RUNNER_METHODS = new Set(['run_sync', 'invoke', 'ainvoke', 'run', 'arun', 'stream', 'astream', 'batch', 'abatch', 'predict', '__call__', 'call', 'kickoff', 'kickoff_async', 'query', 'aquery', 'chat', 'achat', 'stream_chat', 'initiate_chat', 'a_initiate_chat', 'generate_reply', 'a_generate_reply', 'run_stream', 'execute']);
/** Names people give model, chain and agent objects, used only when no type is known. */
const MODEL_NAME = /^(llm|llm_\w+|\w+_llm|chat_model|model|chat|agent|\w+_agent|agent_\w+|chain|\w+_chain|executor|agent_executor|crew|graph|workflow|query_engine|chat_engine)$/;

export type ModelCallKind = 'client' | 'model' | 'runner' | 'function';

export interface ModelCallShape {
  kind: ModelCallKind;
  /** Keyword names that carry prompt text; positional index 0 is the prompt for model/runner calls. */
  promptKeywords: string[];
  promptPositional: number[];
}

const CLIENT_SUFFIXES = ['.chat.completions.create', '.chat.completions.parse', '.completions.create', '.responses.create', '.responses.parse', '.messages.create', '.messages.stream', '.beta.chat.completions.parse', '.chat.complete', '.chat.stream'];
const FUNCTION_CALLS = new Set(['litellm.completion', 'litellm.acompletion', 'ollama.chat', 'ollama.generate', 'openai.ChatCompletion.create', 'openai.Completion.create', 'agents.Runner.run', 'agents.Runner.run_sync', 'agents.Runner.run_streamed']);

/**
 * Decides whether a call runs a model. `callee` is the resolved dotted name, `receiverType` what the
 * receiver variable was built from, `receiverName` the receiver's own spelling.
 */
const shapeCache = new Map<string, ModelCallShape | null>();
const shapeByType = new PairCache<ModelCallShape | null>();
const shapeByName = new PairCache<ModelCallShape | null>();

/** Callee and receiver spellings repeat; the answer depends on them alone. Read-only result, shared between calls. */
export function modelCallShape(callee: string, receiverType: string | undefined, receiverName: string | undefined): ModelCallShape | null {
  // The receiver's name is read only when its type is unknown.
  if (receiverType !== undefined) {
    let hit = shapeByType.get(callee, receiverType);
    if (hit === undefined) shapeByType.set(callee, receiverType, (hit = modelCallShapeUncached(callee, receiverType, receiverName)));
    return hit;
  }
  if (receiverName !== undefined) {
    let hit = shapeByName.get(callee, receiverName);
    if (hit === undefined) shapeByName.set(callee, receiverName, (hit = modelCallShapeUncached(callee, receiverType, receiverName)));
    return hit;
  }
  let hit = shapeCache.get(callee);
  if (hit === undefined) {
    hit = modelCallShapeUncached(callee, receiverType, receiverName);
    if (shapeCache.size > 50000) shapeCache.clear();
    shapeCache.set(callee, hit);
  }
  return hit;
}

function modelCallShapeUncached(callee: string, receiverType: string | undefined, receiverName: string | undefined): ModelCallShape | null {
  const flat = plain(callee);
  const method = lastSegment(flat);
  if (CLIENT_SUFFIXES.some((s) => flat.endsWith(s)) && (receiverType === undefined || !isModelType(receiverType) || isClientType(receiverType) || flat.includes('.chat.'))) {
    return { kind: 'client', promptKeywords: ['messages', 'prompt', 'input', 'instructions', 'system'], promptPositional: [] };
  }
  // Provider SDKs whose model calls have their own method names.
  if (/^(converse|converse_stream|invoke_model|invoke_model_with_response_stream)$/.test(method) && /(boto3|bedrock|Bedrock)/.test((receiverType ?? '') + flat)) {
    return { kind: 'client', promptKeywords: ['messages', 'body', 'system'], promptPositional: [] };
  }
  if (/^(chat_completion|text_generation)$/.test(method) && /InferenceClient/.test(receiverType ?? flat)) {
    return { kind: 'client', promptKeywords: ['messages', 'prompt'], promptPositional: [0] };
  }
  if (/^(chat|chat_stream|generate)$/.test(method) && /^cohere\.(Async)?Client(V2)?$/.test(plain(receiverType ?? ''))) {
    return { kind: 'client', promptKeywords: ['message', 'messages', 'prompt', 'preamble'], promptPositional: [] };
  }
  if (/^ollama\.(Async)?Client\.(chat|generate)$/.test(flat) || /(^|\.)Router\.a?completion$/.test(flat) || /^litellm\.Router\.a?completion$/.test(flat)) {
    return { kind: 'function', promptKeywords: ['messages', 'prompt'], promptPositional: [] };
  }
  // Semantic Kernel chat services and kernels.
  if (/^(get_chat_message_contents?|get_streaming_chat_message_contents?|get_text_contents?|invoke_prompt)$/.test(method)) {
    return { kind: 'model', promptKeywords: ['chat_history', 'prompt'], promptPositional: [0] };
  }
  // Haystack generators, and DSPy modules called like functions.
  if (method === 'run' && /(Generator|ChatGenerator)$/.test(plain(receiverType ?? ''))) return { kind: 'model', promptKeywords: ['prompt', 'messages'], promptPositional: [0] };
  if (/^dspy\.(Predict|ChainOfThought|ReAct|ProgramOfThought|MultiChainComparison)\(\)$/.test(callee)) return { kind: 'model', promptKeywords: [], promptPositional: [] };
  // `generator = pipeline("text-generation", ...)`, then `generator(prompt)`.
  if (/^transformers\.pipeline\(\)$/.test(callee)) return { kind: 'model', promptKeywords: ['text_inputs', 'inputs'], promptPositional: [0] };
  if (FUNCTION_CALLS.has(flat)) {
    const runner = flat.startsWith('agents.Runner');
    return { kind: 'function', promptKeywords: ['messages', 'prompt', 'input'], promptPositional: runner ? [1] : [] };
  }
  if (method === 'generate_content' || method === 'send_message') {
    return { kind: 'model', promptKeywords: ['contents', 'content'], promptPositional: [0] };
  }
  // CrewAI's `kickoff` names one thing only: running a crew, however the crew was built.
  if (/^kickoff(_async|_for_each|_for_each_async)?$/.test(method) && !FUNCTION_CALLS.has(flat)) {
    return { kind: 'runner', promptKeywords: ['inputs'], promptPositional: [] };
  }
  if (receiverType && isModelType(receiverType) && MODEL_METHODS.has(method)) {
    return { kind: 'model', promptKeywords: ['input', 'prompt', 'messages'], promptPositional: [0] };
  }
  if (receiverType && isRunnerType(receiverType) && RUNNER_METHODS.has(method)) {
    return { kind: 'runner', promptKeywords: ['input', 'inputs', 'message', 'task', 'query', 'question', 'messages'], promptPositional: method === 'initiate_chat' ? [] : [0] };
  }
  if (!receiverType && receiverName && MODEL_NAME.test(receiverName) && (MODEL_METHODS.has(method) || RUNNER_METHODS.has(method)) && method !== 'execute') {
    return { kind: 'runner', promptKeywords: ['input', 'inputs', 'message', 'task', 'query', 'question', 'messages'], promptPositional: [0] };
  }
  return null;
}

/**
 * A helper imported from elsewhere whose name says it asks a model (`ask_llm`, `call_gpt`,
 * `query_model`): its result is model output even though its body is out of sight.
 */
const MODEL_HELPER = /^_?((ask|call|query|prompt|invoke|run|chat_with|complete_with|get)_(llm|model|gpt\w*|claude|gemini|openai|anthropic|ai|the_model|agent)|llm_(complete|completion|call|query|ask|chat|generate|invoke|classify|judge|decide)|(classify|judge|decide|grade|review|assess|evaluate|screen)_with_(llm|gpt\w*|claude|gemini|ai|model))$/i;

export function modelHelperShape(callee: string): ModelCallShape | null {
  const flat = plain(callee);
  if (flat.includes('.') && !/^[\w.]+$/.test(flat)) return null;
  return MODEL_HELPER.test(lastSegment(flat)) ? { kind: 'function', promptKeywords: ['prompt', 'messages', 'question', 'text'], promptPositional: [0] } : null;
}

/** Constructors whose keyword arguments become system-level instructions. */
export const INSTRUCTION_KEYWORDS: Record<string, string[]> = {
  Agent: ['instructions', 'role', 'goal', 'backstory', 'system_prompt', 'system_message'],
  AssistantAgent: ['system_message'],
  ConversableAgent: ['system_message'],
  UserProxyAgent: ['system_message'],
  create_react_agent: ['prompt', 'state_modifier', 'messages_modifier'],
  ReActAgent: ['system_prompt', 'context'],
  FunctionAgent: ['system_prompt'],
  OpenAIAgent: ['system_prompt'],
  Task: ['description', 'expected_output'],
  SystemMessage: ['content'],
  SystemMessagePromptTemplate: ['template', 'prompt'],
};

// ---- Sources -----------------------------------------------------------------------------------

const USER_CALLS = new Set(['input', 'builtins.input', 'raw_input', 'sys.stdin.read', 'sys.stdin.readline', 'click.prompt', 'typer.prompt', 'getpass.getpass', 'streamlit.text_input', 'streamlit.text_area', 'streamlit.chat_input', 'streamlit.file_uploader', 'rich.prompt.Prompt.ask']);
const WEB_CALLS = /^(requests|httpx|aiohttp|urllib3)\.(get|post|put|patch|request|head)$|^urllib\.request\.urlopen$|^urllib\.request\.urlretrieve$|^(httpx\.(Async)?Client|requests\.Session|requests\.sessions\.Session|aiohttp\.ClientSession)(\(\))?\.(get|post|request|stream)$|^trafilatura\.fetch_url$/;
const RETRIEVE_METHODS = new Set(['similarity_search', 'asimilarity_search', 'similarity_search_with_score', 'similarity_search_with_relevance_scores', 'max_marginal_relevance_search', 'similarity_search_by_vector', 'get_relevant_documents', 'aget_relevant_documents', 'retrieve', 'aretrieve']);
const LOADER_CLASS = /(Loader|Reader)$/;
const WEB_LOADER_CLASS = /(WebBase|AsyncHtml|AsyncChromium|RecursiveUrl|SeleniumURL|PlaywrightURL|UnstructuredURL|Sitemap|SimpleWeb|BeautifulSoupWeb|Firecrawl|Spider|Apify|Url)\w*(Loader|Reader)$/;
const SEARCH_TOOL_CLASS = /(TavilySearchResults|TavilySearch|DuckDuckGoSearchRun|DuckDuckGoSearchResults|SerpAPIWrapper|GoogleSearchAPIWrapper|GoogleSerperAPIWrapper|BingSearchAPIWrapper|BraveSearch|WikipediaQueryRun|ScrapeWebsiteTool|SerperDevTool|WebsiteSearchTool|TavilyClient|ExaSearchResults|FirecrawlScrapeWebsiteTool)$/;
const SECRET_NAME = /(api[_-]?key|secret|token|passw(or)?d|passwd|pwd|credential|private[_-]?key|auth)/i;

export interface SourceInfo {
  kind: TaintKind;
  what: string;
}

export function envSource(keyName: string | undefined): SourceInfo {
  if (keyName && SECRET_NAME.test(keyName)) return { kind: 'secret', what: `environment secret ${keyName}` };
  return { kind: 'env', what: keyName ? `environment value ${keyName}` : 'the environment' };
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The untrusted kind a call's result carries, if its API makes it a source. `receiverType` is the
 * constructor the receiver came from (e.g. `langchain_community.vectorstores.Chroma`).
 */
const sourceCache = new Map<string, SourceInfo | null>();
const sourceByType = new PairCache<SourceInfo | null>();

/** Callee and receiver spellings repeat; the answer depends on them alone. Read-only result. */
export function callSource(callee: string, receiverType: string | undefined): SourceInfo | null {
  if (receiverType !== undefined) {
    let hit = sourceByType.get(callee, receiverType);
    if (hit === undefined) sourceByType.set(callee, receiverType, (hit = callSourceUncached(callee, receiverType)));
    return hit;
  }
  let hit = sourceCache.get(callee);
  if (hit === undefined) {
    hit = callSourceUncached(callee, receiverType);
    if (sourceCache.size > 50000) sourceCache.clear();
    sourceCache.set(callee, hit);
  }
  return hit;
}

function callSourceUncached(callee: string, receiverType: string | undefined): SourceInfo | null {
  const flat = plain(callee);
  const method = lastSegment(flat);
  if (USER_CALLS.has(flat)) return { kind: 'user', what: `${flat}()` };
  if (WEB_CALLS.test(flat)) return { kind: 'web', what: `the response of ${flat}()` };
  if (/^(os\.getenv|os\.environ\.get)$/.test(flat)) return null; // handled with the key name
  const rtype = receiverType ? plain(receiverType) : '';
  if (RETRIEVE_METHODS.has(method)) return { kind: 'retrieved', what: `documents from ${method}()` };
  if ((method === 'invoke' || method === 'ainvoke' || method === 'batch') && /as_retriever|Retriever$/.test(rtype)) {
    return { kind: 'retrieved', what: 'documents from a retriever' };
  }
  if (method === 'query' && /(chromadb|Collection|get_or_create_collection|get_collection|create_collection|Index|pinecone)/.test(rtype)) {
    return { kind: 'retrieved', what: 'vector store query results' };
  }
  if ((method === 'search' || method === 'query_points') && /(QdrantClient|qdrant)/.test(rtype)) return { kind: 'retrieved', what: 'vector store search results' };
  if (/^(load|aload|lazy_load|load_and_split|load_data)$/.test(method)) {
    if (WEB_LOADER_CLASS.test(rtype)) return { kind: 'web', what: `pages loaded by ${lastSegment(rtype)}` };
    if (LOADER_CLASS.test(rtype)) return { kind: 'file', what: `documents loaded by ${lastSegment(rtype)}` };
  }
  if ((SEARCH_TOOL_CLASS.test(rtype) && /^(run|invoke|arun|ainvoke|results|search|_run)$/.test(method)) || SEARCH_TOOL_CLASS.test(lastSegment(flat))) {
    if (SEARCH_TOOL_CLASS.test(rtype)) return { kind: 'web', what: `web search results from ${lastSegment(rtype)}` };
  }
  if (/^(read_text|read_bytes)$/.test(method) && /(Path|pathlib)/.test(rtype + flat)) return { kind: 'file', what: 'file contents' };
  // Mail and chat messages are written by whoever sends them: outside content like a web page.
  const email = thirdPartyMessages(flat, method, rtype);
  if (email) return { kind: 'web', what: email };
  if (/^(pandas\.read_csv|pandas\.read_json|pandas\.read_excel)$/.test(flat)) return { kind: 'file', what: `data from ${flat}()` };
  return null;
}

function thirdPartyMessages(flat: string, method: string, rtype: string): string | null {
  if (/^imaplib\.IMAP4(_SSL)?\.(fetch|uid)$/.test(flat) || (/^(fetch|uid)$/.test(method) && /imaplib/.test(rtype))) return 'emails fetched over IMAP';
  if (/^poplib\.POP3(_SSL)?\.retr$/.test(flat)) return 'emails fetched over POP3';
  if (/^email\.(message_from_bytes|message_from_string|message_from_file|message_from_binary_file)$/.test(flat)) return 'an email message';
  if (/\.users\.(messages|threads|drafts)\.(get|list)\.execute$/.test(flat)) return 'Gmail messages';
  if (/^(conversations_history|conversations_replies|search_messages)$/.test(method) && /(slack|WebClient)/i.test(rtype + flat)) return 'Slack messages';
  if (/^(get_issue|get_issues|get_pull|get_pulls|get_comments|get_issue_comments|get_review_comments)$/.test(method) && /github/i.test(rtype)) return 'GitHub issues and comments';
  return null;
}

/** Attribute names on a web request object that hold client-supplied data. */
export const REQUEST_DATA_ATTRS = new Set(['args', 'form', 'json', 'values', 'data', 'files', 'cookies', 'headers', 'GET', 'POST', 'body', 'query_params', 'path_params', 'get_json', 'get_data', 'query', 'params', 'content', 'text', 'stream', 'FILES', 'COOKIES', 'META']);

// ---- Sanitisers --------------------------------------------------------------------------------

const SANITIZERS: [RegExp, SanitizedFor][] = [
  [/^(shlex\.quote|pipes\.quote|shlex\.join)$/, 'shell'],
  [/^(html\.escape|markupsafe\.escape|markupsafe\.Markup\.escape|bleach\.clean|bleach\.linkify|nh3\.clean|cgi\.escape|django\.utils\.html\.escape|flask\.escape|werkzeug\.utils\.escape|xml\.sax\.saxutils\.escape)$/, 'html'],
  [/^(os\.path\.basename|werkzeug\.utils\.secure_filename|secure_filename|pathvalidate\.sanitize_filename)$/, 'path'],
  [/^(ast\.literal_eval|json\.loads)$/, 'code'],
  [/^(urllib\.parse\.quote|urllib\.parse\.quote_plus|urllib\.parse\.urlencode)$/, 'url'],
  [/^(int|float|bool|len|abs|round|hash|id|uuid\.UUID|datetime\.\w+|decimal\.Decimal|isinstance|callable|ord|chr|hex|bin)$/, 'all'],
  [/\.(model_validate|model_validate_json|parse_obj|parse_raw|validate_python|validate_json)$/, 'all'],
  [/^(jsonschema\.validate|fastjsonschema\.\w+)$/, 'all'],
];
/** Functions whose own name promises cleaning; trusted like a library sanitiser. */
const SANITIZER_NAME = /^_?(sanitize|sanitise|validate|escape|clean|redact|scrub|strip_injection|is_safe|is_allowed|whitelist|allowlist)\w*$/i;

const sanitizerCache = new Map<string, SanitizedFor | null>();

export function callSanitizer(callee: string): SanitizedFor | null {
  let hit = sanitizerCache.get(callee);
  if (hit === undefined) {
    hit = callSanitizerUncached(callee);
    if (sanitizerCache.size > 50000) sanitizerCache.clear();
    sanitizerCache.set(callee, hit);
  }
  return hit;
}

function callSanitizerUncached(callee: string): SanitizedFor | null {
  const flat = plain(callee);
  for (const [re, kind] of SANITIZERS) if (re.test(flat)) return kind;
  if (SANITIZER_NAME.test(lastSegment(flat))) return 'all';
  return null;
}

// ---- Tools and handlers ------------------------------------------------------------------------

/** Decorators whose functions an LLM calls with arguments it chooses. */
export function isToolDecorator(qname: string, receiverType?: string): boolean {
  const flat = plain(qname);
  const name = lastSegment(flat);
  if (name === 'tool' || name === 'function_tool' || name === 'kernel_function' || name === 'register_for_llm' || name === 'register_for_execution') return true;
  if ((name === 'tool' || name === 'resource' || name === 'prompt') && receiverType && /FastMCP|Server|MCP/.test(receiverType)) return name === 'tool';
  if (name === 'call_tool' && receiverType && /Server/.test(receiverType)) return true;
  return false;
}

/** Route decorators: the function's parameters come from the HTTP client. */
export function isRouteDecorator(qname: string): boolean {
  const name = lastSegment(plain(qname));
  return /^(route|get|post|put|patch|delete|websocket|api_route|api_view|endpoint|view_config|on_message|message|command|event)$/.test(name) && qname.includes('.');
}

/** Base classes whose `_run`/`_arun`/`run`/`forward` methods receive model-chosen arguments. */
export const TOOL_BASE_CLASS = /(^|\.)(BaseTool|Tool|StructuredTool|FunctionTool|BaseToolSpec)$/;
/** Constructors taking a plain function that becomes a tool. */
export const TOOL_WRAPPERS = /(^|\.)(Tool|StructuredTool|StructuredTool\.from_function|Tool\.from_function|FunctionTool|FunctionTool\.from_defaults|register_function|function_tool|tool|FunctionTool\.from_function|add_tool)$/;
