// The one Kysely `Database` interface for every server module. A module that adds tables adds a
// numbered migration and its table interfaces here, so every query in the code base is checked
// against one picture of the schema.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** timestamptz: both drivers hand back a Date; we write Dates or let the default fill it in. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as a JSON string (pg would turn a JS array into a PG array), read back parsed. */
export type Json<T> = ColumnType<T, string, string>;

export type Plan = 'free' | 'pro' | 'enterprise';

export interface AccountsTable {
  id: string;
  name: string;
  plan: Plan;
  /** The operator account (the one the first start creates) may create other accounts. */
  is_operator: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  /** `ac_` plus the first characters of the secret: enough to recognise a key in a list. */
  prefix: string;
  /** SHA-256 hex of the whole key. The key itself is never stored. */
  key_hash: string;
  scopes: Json<string[]>;
  /** Per-key override of the plan's per-minute limit (never above it). */
  rate_limit_per_minute: number | null;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** The key this one replaced by rotation. */
  rotated_from: string | null;
  /** The key that created this one (null for the bootstrap key). */
  created_by: string | null;
  created_at: Timestamp;
}

/** Small server-wide facts (the bootstrap marker) that must be decided once across replicas. */
export interface MetaTable {
  key: string;
  value: string;
  created_at: Timestamp;
}

export type ScanSource = 'api' | 'zip' | 'import' | 'github';

export interface ScansTable {
  id: string;
  account_id: string;
  /** Cache key for `POST /scan` and `/scan/zip`; null for imports, which are never deduplicated. */
  content_hash: string | null;
  source: ScanSource;
  agent_name: string | null;
  description: string | null;
  framework: string | null;
  filename: string | null;
  trust_score: number;
  risk_level: string;
  total_issues: number;
  files_scanned: number;
  /** The whole ScanResult (snippets redacted), minus the per-request share/badge URLs. */
  result: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

/** Per-key request counts per minute (epoch minute), for the sliding window. */
export interface RateWindowsTable {
  key_id: string;
  window_start: number;
  count: number;
}

export type QuotaMetric = 'scans' | 'gate_evaluations' | 'approval_requests';

/** Per-account daily usage, for plan quotas. `day` is the UTC date as YYYY-MM-DD. */
export interface UsageDailyTable {
  account_id: string;
  day: string;
  metric: QuotaMetric;
  count: number;
}

// Approvals, webhooks and the audit log (migrations 010–012).

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';
export type ApprovalSource = 'api' | 'gate' | 'github';
export type ApprovalUrgency = 'low' | 'medium' | 'high' | 'critical';

export interface ApprovalsTable {
  id: string;
  account_id: string;
  agent_id: string;
  action: string;
  parameters: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  urgency: ApprovalUrgency;
  source: ApprovalSource;
  /** As stored; a pending request past `expires_at` reads as `expired` before the sweep persists it. */
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  /** Actor label of whoever asked (`key:…`, `system:gate`). */
  requested_by: string;
  expires_at: NullableTimestamp;
  /** The approver as named in the decision (a person, a bot); `decided_by` is the key that sent it. */
  approver: string | null;
  note: string | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  confirmed_by: string | null;
  confirmed_at: NullableTimestamp;
  /** Gate approvals (migration 016): the hash of the one call (agent, tool, parameters) approved. */
  gate_call_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the gate let the approved call through; an approval is spent once. */
  consumed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhooksTable {
  id: string;
  account_id: string;
  url: string;
  events: Json<string[]>;
  description: string | null;
  /** HMAC signing key: write-only through the API, readable here because signing needs it. */
  secret: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryAttempt {
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  account_id: string;
  webhook_id: string;
  event: string;
  event_id: string;
  /** The exact JSON body sent (and signed) on every attempt. */
  body: string;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  next_attempt_at: Timestamp;
  lease_id: string | null;
  locked_until: NullableTimestamp;
  last_attempt_at: NullableTimestamp;
  response_status: number | null;
  last_error: string | null;
  attempt_log: ColumnType<DeliveryAttempt[], string | undefined, string>;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: string;
  account_id: string;
  /** 1, 2, 3… per account: the entry's place in its account's chain. */
  seq: number;
  action: string;
  actor: string;
  actor_kind: string;
  actor_key_prefix: string | null;
  ip: string | null;
  target_type: string | null;
  target_id: string | null;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
  prev_hash: string;
  hash: string;
}

// Sandboxes (migration 018).

export type SandboxMode = 'wasm' | 'container';
/** As stored; a `ready` sandbox past `expires_at` reads as `expired` before the sweep persists it. */
export type SandboxStatus = 'ready' | 'destroyed' | 'expired';

export interface SandboxConfig {
  filesystem: { paths: string[] };
  network: { allow: string[] };
  resources: { cpu: number; memory: number; timeout: number };
}

export interface SandboxViolation {
  kind: 'timeout' | 'memory_limit' | 'file_limit' | 'interpreter_crash';
  message: string;
}

export interface SandboxesTable {
  id: string;
  account_id: string;
  agent_id: string;
  mode: SandboxMode;
  config: Json<SandboxConfig>;
  status: ColumnType<SandboxStatus, SandboxStatus | undefined, SandboxStatus>;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  destroyed_at: NullableTimestamp;
}

export interface SandboxRunsTable {
  id: string;
  sandbox_id: string;
  account_id: string;
  code: string;
  timeout_seconds: number;
  async: boolean;
  /** As stored; a run still `running` well past its timeout reads as `interrupted` (its server died). */
  status: ColumnType<'running' | 'completed', 'running' | 'completed' | undefined, 'running' | 'completed'>;
  stdout: string | null;
  stderr: string | null;
  stdout_truncated: boolean | null;
  stderr_truncated: boolean | null;
  exit_code: number | null;
  duration_ms: number | null;
  violation: ColumnType<SandboxViolation | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

// Permissions, the gate and approval policies (migrations 015–017).

export type PermissionChange = 'create' | 'replace' | 'patch' | 'delete';

export interface PermissionLayersTable {
  account_id: string;
  /** An agent id, or `_base` for the account-wide layer every agent inherits. */
  agent_id: string;
  version: number;
  /** The layer as written; null for a deletion (a tombstone version). */
  layer: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  change: PermissionChange;
  changed_by: string;
  created_at: Timestamp;
}

export interface GatePoliciesTable {
  account_id: string;
  agent_id: string;
  version: number;
  format: 'yaml' | 'json';
  /** The document exactly as sent. */
  source: string;
  policy: Json<Record<string, unknown>>;
  changed_by: string;
  created_at: Timestamp;
}

export type GateDecision = 'allow' | 'block' | 'require_approval';

export interface GateLogTable {
  id: string;
  account_id: string;
  agent_id: string;
  tool_name: string;
  decision: GateDecision;
  reason: string;
  reasons: Json<unknown[]>;
  risk_score: number;
  run_id: string | null;
  approval_request_id: string | null;
  policy_version: Json<Record<string, number | null>>;
  evaluated_at: Timestamp;
}

export interface GateRunsTable {
  account_id: string;
  agent_id: string;
  run_id: string;
  tool_calls: ColumnType<number, number | undefined, number>;
  tokens: ColumnType<number, number | undefined, number>;
  started_at: Timestamp;
  updated_at: Timestamp;
}

export type PolicyDecision = 'auto_approve' | 'auto_deny' | 'route_to_human';

export interface ApprovalPoliciesTable {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  priority: number;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  match: Json<Record<string, unknown>>;
  decision: PolicyDecision;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// The GitHub App (migration 014).

/** bigint ids from GitHub: pg hands int8 back as a number through our parser (see db/index.ts). */
export type GithubId = ColumnType<number, number, number>;

export interface GithubInstallationsTable {
  installation_id: GithubId;
  account_id: string;
  account_login: string | null;
  created_at: Timestamp;
}

/** What a check run shows besides the stored scan, so it can be drawn again (after a decision). */
export interface PrScanOutcome {
  new_fingerprints: string[];
  gate: { minScore: number; failOn: string };
  failures: string[];
  changed_files: number;
  comment: boolean;
}

export type PrScanStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface GithubPrScansTable {
  id: string;
  account_id: string;
  installation_id: GithubId;
  repository: string;
  pull_number: number;
  head_sha: string;
  base_sha: string | null;
  /** What asked for it: `pull_request.opened`, `check_suite.rerequested`, `command.rescan`, … */
  trigger: string;
  status: ColumnType<PrScanStatus, PrScanStatus | undefined, PrScanStatus>;
  check_run_id: ColumnType<number | null, number | null | undefined, number | null>;
  conclusion: string | null;
  title: string | null;
  scan_id: string | null;
  trust_score: number | null;
  new_issues: number | null;
  /** The approval request a failing scan opened (source `github`). */
  approval_id: string | null;
  outcome: ColumnType<PrScanOutcome | null, string | null | undefined, string | null>;
  /** Why it failed, when it did. */
  message: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GithubRepoScansTable {
  /** lower(owner/name): GitHub names are case-insensitive. */
  repository_key: string;
  repository: string;
  account_id: string;
  installation_id: GithubId;
  ref: string;
  head_sha: string;
  scan_id: string;
  trust_score: number;
  risk_level: string;
  updated_at: Timestamp;
}

export type GithubJobKind = 'pr_scan' | 'repo_scan' | 'command' | 'decision';
export type GithubJobStatus = 'pending' | 'done' | 'failed';

export interface GithubJobsTable {
  id: string;
  kind: GithubJobKind;
  installation_id: GithubId;
  payload: Json<Record<string, unknown>>;
  pr_scan_id: string | null;
  status: ColumnType<GithubJobStatus, GithubJobStatus | undefined, GithubJobStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  next_attempt_at: Timestamp;
  lease_id: string | null;
  locked_until: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  meta: MetaTable;
  scans: ScansTable;
  rate_windows: RateWindowsTable;
  usage_daily: UsageDailyTable;
  approvals: ApprovalsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  audit_log: AuditLogTable;
  sandboxes: SandboxesTable;
  sandbox_runs: SandboxRunsTable;
  permission_layers: PermissionLayersTable;
  gate_policies: GatePoliciesTable;
  gate_log: GateLogTable;
  gate_runs: GateRunsTable;
  approval_policies: ApprovalPoliciesTable;
  github_installations: GithubInstallationsTable;
  github_pr_scans: GithubPrScansTable;
  github_repo_scans: GithubRepoScansTable;
  github_jobs: GithubJobsTable;
}

export type Account = Selectable<AccountsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
export type ApiKeyUpdate = Updateable<ApiKeysTable>;
export type ScanRow = Selectable<ScansTable>;
export type { Generated };
