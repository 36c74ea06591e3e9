import type { AsiId, OwaspId, Severity } from '../types.js';
import type { AstNode } from '../parse/index.js';
import type { PyModel, Label } from '../flow/python.js';
import type { JsonNode } from '../parse/jsonc.js';

/**
 * Languages a rule can run on. Text kinds are files we read without a grammar: manifests, MCP
 * client configs (`mcp.json`, `claude_desktop_config.json`, …), agent instruction files
 * (`SKILL.md`, `AGENTS.md`, `.cursorrules`, …) and coding-agent settings (`.claude/settings.json`).
 */
export type RuleLanguage = 'python' | 'javascript' | 'typescript' | 'requirements' | 'pyproject' | 'package-json' | 'mcp-config' | 'instructions' | 'claude-settings';

/** JavaScript and TypeScript (TSX included) share one engine and one set of rule branches. */
export const JS_LANGUAGES: RuleLanguage[] = ['javascript', 'typescript'];

export interface RuleMeta {
  /** `category/short-name`, stable: suppressions, baselines and config refer to it. */
  id: string;
  owasp: OwaspId;
  asi?: AsiId;
  cwe: string;
  severity: Severity;
  title: string;
  description: string;
  fix: string;
  languages: RuleLanguage[];
}

export interface Finding {
  /** A node of the file's tree, or an explicit position for text files. */
  node?: AstNode;
  line?: number;
  column?: number;
  endLine?: number;
  /** Overrides meta.description with what flowed where. */
  message?: string;
  severity?: Severity;
  source?: Label;
}

export interface RuleContext {
  file: string;
  language: RuleLanguage;
  source: string;
  /** Present for Python, JavaScript and TypeScript files (`model.language` tells JS/TS apart). */
  model?: PyModel;
  /** The parsed document of JSON files (`mcp-config`, `claude-settings`, `package-json`); absent when it did not parse. */
  json?: JsonNode;
  /** Frameworks detected in this file, plus the scan's `framework` hint. */
  frameworks: ReadonlySet<string>;
  report(finding: Finding): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
