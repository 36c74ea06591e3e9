// The public contract every door shares (ARCHITECTURE §2). Changing a field here changes the CLI,
// the Action, the App and the REST API at once, so add fields; do not rename them.

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFO';
export type RiskLevel = 'SAFE' | 'LOW' | 'MODERATE' | 'HIGH' | 'CRITICAL';

export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];

/** OWASP Top 10 for LLM Applications 2025. */
export const OWASP_LLM = {
  LLM01: 'Prompt Injection',
  LLM02: 'Sensitive Information Disclosure',
  LLM03: 'Supply Chain',
  LLM04: 'Data and Model Poisoning',
  LLM05: 'Improper Output Handling',
  LLM06: 'Excessive Agency',
  LLM07: 'System Prompt Leakage',
  LLM08: 'Vector and Embedding Weaknesses',
  LLM09: 'Misinformation',
  LLM10: 'Unbounded Consumption',
} as const;
export type OwaspId = keyof typeof OWASP_LLM;

/** OWASP Top 10 for Agentic Applications 2026. */
export const OWASP_ASI = {
  ASI01: 'Agent Goal Hijack',
  ASI02: 'Tool Misuse and Exploitation',
  ASI03: 'Identity and Privilege Abuse',
  ASI04: 'Agentic Supply Chain Vulnerabilities',
  ASI05: 'Unexpected Code Execution',
  ASI06: 'Memory and Context Poisoning',
  ASI07: 'Insecure Inter-Agent Communication',
  ASI08: 'Cascading Failures',
  ASI09: 'Human-Agent Trust Exploitation',
  ASI10: 'Rogue Agents',
} as const;
export type AsiId = keyof typeof OWASP_ASI;

/** `LLM05` -> `LLM05_IMPROPER_OUTPUT_HANDLING`. */
export function owaspType(id: OwaspId): string {
  return `${id}_${OWASP_LLM[id].toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export interface Issue {
  id: string;
  type: string;
  rule: string;
  severity: Severity;
  title: string;
  description: string;
  file: string;
  line: number;
  column: number;
  end_line: number;
  code_snippet: string;
  fix: string;
  owasp: OwaspId;
  asi?: AsiId;
  cwe: string;
  fingerprint: string;
  /** Where the tainted value came from, when a flow produced the finding. */
  source?: { kind: string; line: number; description: string };
  suppressed?: { kind: 'inline' | 'baseline' | 'config'; justification: string };
}

export interface Permissions {
  network: boolean;
  filesystem: boolean;
  environment: boolean;
  subprocess: boolean;
}

export interface Notice {
  file: string;
  message: string;
  kind: 'skipped' | 'parse_error' | 'timeout' | 'config';
}

export interface ScanResult {
  scan_id: string;
  trust_score: number;
  risk_level: RiskLevel;
  total_issues: number;
  issues: Issue[];
  /** Issues silenced by inline comments, the baseline or config: kept for SARIF, out of the score. */
  suppressed_issues: Issue[];
  files_scanned: number;
  frameworks: string[];
  permissions: Permissions;
  notices: Notice[];
  scan_time_ms: number;
  created_at: string;
  share_url?: string;
  badge_url?: string;
}

export interface SourceFile {
  /** Path relative to the scan root, with forward slashes. */
  path: string;
  content: string | Buffer;
}
