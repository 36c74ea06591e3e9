import { normalisePyPI, type Ecosystem } from './types.js';

/**
 * Agent and LLM framework packages. They move fast, several have shipped code-execution
 * vulnerabilities, and an agent built on them runs model output with real permissions, so a
 * floating version of one of these is a supply-chain risk worth a finding where a floating
 * `requests` is not.
 */
const PYPI = /^(langchain(-[\w-]+)?|langgraph(-[\w-]+)?|langsmith|langserve|llama-index(-[\w-]+)?|llama-parse|llamaindex|crewai(-[\w-]+)?|autogen(-[\w-]+)?|pyautogen|ag2|openai|openai-agents|anthropic|mcp|fastmcp|transformers|sentence-transformers|huggingface-hub|litellm|semantic-kernel|haystack-ai|farm-haystack|smolagents|pydantic-ai(-[\w-]+)?|dspy|dspy-ai|chromadb|pinecone(-[\w-]+)?|qdrant-client|weaviate-client|pymilvus|faiss-cpu|faiss-gpu|google-generativeai|google-genai|google-cloud-aiplatform|vertexai|ollama|instructor|guidance|cohere|mistralai|groq|together|agno|phidata|letta|mem0ai|browser-use|composio(-[\w-]+)?|e2b(-[\w-]+)?|vllm|llama-cpp-python|gpt4all|unstructured|tiktoken)$/;

/**
 * The npm side: LangChain.js and LangGraph.js, the OpenAI and Anthropic SDKs (and the OpenAI
 * Agents SDK), the Vercel AI SDK (`ai`, `@ai-sdk/*`), the MCP SDK and MCP tooling, LlamaIndex.TS,
 * Mastra, Genkit, provider SDKs, vector stores and code sandboxes agents drive.
 */
const NPM = /^(langchain|langsmith|@langchain\/[\w.-]+|openai|@openai\/[\w.-]+|@anthropic-ai\/[\w.-]+|ai|@ai-sdk\/[\w.-]+|@modelcontextprotocol\/[\w.-]+|mcp-remote|fastmcp|llamaindex|@llamaindex\/[\w.-]+|mastra|@mastra\/[\w.-]+|genkit|@genkit-ai\/[\w.-]+|@google\/generative-ai|@google\/genai|@google-cloud\/vertexai|@mistralai\/mistralai|cohere-ai|groq-sdk|ollama|together-ai|portkey-ai|@azure\/openai|@aws-sdk\/client-bedrock-runtime|@aws-sdk\/client-bedrock-agent-runtime|@huggingface\/[\w.-]+|@xenova\/transformers|chromadb|@pinecone-database\/pinecone|@qdrant\/js-client-rest|weaviate-client|weaviate-ts-client|@zilliz\/milvus2-sdk-node|e2b|@e2b\/[\w.-]+|@browserbasehq\/stagehand|composio-core|@composio\/[\w.-]+|@voltagent\/[\w.-]+|@openrouter\/ai-sdk-provider|crewai-js|autogen)$/;

export function isAgentPackage(ecosystem: Ecosystem, name: string): boolean {
  return ecosystem === 'npm' ? NPM.test(name.toLowerCase()) : PYPI.test(normalisePyPI(name));
}
