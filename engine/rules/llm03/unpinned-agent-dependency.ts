import type { Rule, RuleContext } from '../types.js';

/**
 * Agent and LLM framework packages move fast, and several have shipped code-execution
 * vulnerabilities and hijacked releases. A range lets the next install pick up whatever was
 * published last; an exact pin (with hashes, ideally) makes the installed code a reviewed choice.
 */
const AGENT_PACKAGE = /^(langchain(-[\w-]+)?|langgraph(-[\w-]+)?|langsmith|langserve|llama-index(-[\w-]+)?|llama-parse|llamaindex|crewai(-[\w-]+)?|autogen(-[\w-]+)?|pyautogen|ag2|openai|openai-agents|anthropic|mcp|fastmcp|transformers|sentence-transformers|huggingface-hub|litellm|semantic-kernel|haystack-ai|farm-haystack|smolagents|pydantic-ai(-[\w-]+)?|dspy|dspy-ai|chromadb|pinecone(-[\w-]+)?|qdrant-client|weaviate-client|pymilvus|faiss-cpu|faiss-gpu|google-generativeai|google-genai|google-cloud-aiplatform|vertexai|ollama|instructor|guidance|cohere|mistralai|groq|together|agno|phidata|letta|mem0ai|browser-use|composio(-[\w-]+)?|e2b(-[\w-]+)?|vllm|llama-cpp-python|gpt4all|unstructured|tiktoken)$/;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[_.]+/g, '-');
}

export function isAgentPackage(name: string): boolean {
  return AGENT_PACKAGE.test(normalise(name));
}

/** A PEP 440 specifier set that allows exactly one version. */
function isExactPep440(spec: string): boolean {
  const s = spec.trim();
  if (/^===\s*\S+$/.test(s)) return true;
  return /^==\s*[\w.+!-]+$/.test(s) && !s.includes('*');
}

/** A Poetry constraint that allows exactly one version: `1.2.3` or `==1.2.3`. */
function isExactPoetry(spec: string): boolean {
  const s = spec.trim();
  return /^(==\s*)?\d[\w.+!-]*$/.test(s) && !s.includes('*');
}

interface Dep {
  name: string;
  spec: string;
  line: number;
  hashed?: boolean;
  url?: boolean;
  poetry?: boolean;
}

/** `name[extras] spec ; marker`, or `name @ url`. */
function parsePep508(text: string): { name: string; spec: string; url: boolean } | null {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(text);
  if (!m) return null;
  let rest = m[3].split(';')[0].trim();
  if (rest.startsWith('@')) return { name: m[1], spec: rest, url: true };
  rest = rest.replace(/^\(|\)$/g, '').trim();
  return { name: m[1], spec: rest, url: false };
}

function requirementsDeps(source: string): Dep[] | null {
  const lines = source.split('\n');
  const out: Dep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, ' ') + lines[++i];
    const text = logical.replace(/(^|\s)#.*$/, '').trim();
    if (!text) continue;
    // Versions pinned in a constraints file are pinned, just elsewhere.
    if (/^(-c|--constraint)\b/.test(text)) return null;
    if (text.startsWith('-') || /^(git\+|https?:|file:|\.{0,2}\/)/.test(text)) continue;
    const hashed = /--hash[=\s]/.test(text);
    const dep = parsePep508(text.replace(/\s--\S+(=\S+)?/g, ''));
    if (dep) out.push({ ...dep, line: start + 1, hashed });
  }
  return out;
}

/** Dependencies of `[project] dependencies` and `[tool.poetry.dependencies]`, with their lines. */
function pyprojectDeps(source: string): Dep[] {
  const lines = source.split('\n');
  const out: Dep[] = [];
  let table = '';
  let inArray = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const text = raw.replace(/(^|\s)#.*$/, '').trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(text);
    if (header && !inArray) {
      table = header[1].replace(/["']/g, '');
      continue;
    }
    if (table === 'project') {
      if (!inArray) {
        const m = /^dependencies\s*=\s*\[(.*)$/.exec(text);
        if (!m) continue;
        inArray = true;
        scanArrayPart(m[1], i + 1);
      } else scanArrayPart(text, i + 1);
      continue;
    }
    if (table === 'tool.poetry.dependencies') {
      const m = /^["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=\s*(.+)$/.exec(text);
      if (!m || m[1].toLowerCase() === 'python') continue;
      const value = m[2].trim();
      let spec: string | undefined;
      const str = /^["']([^"']*)["']/.exec(value);
      if (str) spec = str[1];
      else if (value.startsWith('{')) {
        // Local paths and git revisions are fixed sources; a git branch is not.
        if (/\b(path|rev|tag)\s*=/.test(value)) continue;
        const v = /\bversion\s*=\s*["']([^"']*)["']/.exec(value);
        spec = v ? v[1] : /\bgit\s*=/.test(value) ? 'a git branch' : '';
      }
      out.push({ name: m[1], spec: spec ?? '', line: i + 1, poetry: true });
    }
  }
  return out;

  function scanArrayPart(part: string, line: number): void {
    for (const m of part.matchAll(/"([^"]*)"|'([^']*)'/g)) {
      const dep = parsePep508(m[1] ?? m[2]);
      if (dep) out.push({ ...dep, line });
    }
    if (/\]\s*(,\s*)?$/.test(part.replace(/"[^"]*"|'[^']*'/g, ''))) inArray = false;
  }
}

function report(ctx: RuleContext, dep: Dep, exact: boolean): void {
  if (exact || dep.hashed || dep.url) return;
  const how = dep.spec ? `is constrained only by "${dep.spec}"` : 'has no version constraint';
  ctx.report({ line: dep.line, message: `Agent framework dependency ${dep.name} ${how}; the next install can pull a different release.` });
}

export const rule: Rule = {
  meta: {
    id: 'supply-chain/unpinned-agent-dependency',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-1104',
    severity: 'MEDIUM',
    title: 'Agent framework dependency not pinned',
    description: 'An LLM or agent framework package is declared without an exact version, so builds silently pick up new releases, including compromised or breaking ones.',
    fix: 'Pin agent packages to exact versions (==) and install with hashes (pip-compile --generate-hashes, uv lock, poetry.lock); update them deliberately after review.',
    languages: ['requirements', 'pyproject'],
  },
  check(ctx) {
    if (ctx.language === 'requirements') {
      for (const dep of requirementsDeps(ctx.source) ?? []) {
        if (isAgentPackage(dep.name)) report(ctx, dep, isExactPep440(dep.spec));
      }
      return;
    }
    for (const dep of pyprojectDeps(ctx.source)) {
      if (!isAgentPackage(dep.name)) continue;
      report(ctx, dep, dep.poetry ? isExactPoetry(dep.spec) : isExactPep440(dep.spec));
    }
  },
};
