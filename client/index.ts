// A small typed client for the AgentCop runtime gate. No dependencies beyond the platform's
// `fetch` (Node ≥18, browsers, Deno, Bun); nothing from the server is imported, so it can ship alone.
//
//   const cop = new AgentCopClient({ baseUrl: 'https://agentcop.example.com', apiKey, agentId: 'billing-bot' });
//   const refund = cop.guard('refund', async (p: { amount: number }) => payments.refund(p));
//   await refund({ amount: 120 }); // evaluated first; waits for a person when approval is required;
//                                  // throws GateBlockedError when blocked

export type Decision = 'allow' | 'block' | 'require_approval';

export interface GateReason {
  code: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  title: string;
  evidence: string;
  effect: Decision;
}

export interface GateResult {
  evaluation_id: string;
  decision: Decision;
  reason: string;
  reasons: GateReason[];
  risk_score: number;
  approval_request_id: string | null;
  policy_version: { permissions: number | null; base: number | null; gate_policy: number | null };
  evaluated_at: string;
}

export interface EvaluateRequest {
  /** Defaults to the client's agentId. */
  agent_id?: string;
  tool_name: string;
  parameters?: Record<string, unknown>;
  context?: { run_id?: string; triggered_by?: string; tokens?: number; [key: string]: unknown };
  approval_request_id?: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface Approval {
  id: string;
  agent_id: string;
  action: string;
  status: ApprovalStatus;
  approver: string | null;
  reason: string | null;
  expires_at: string | null;
  [key: string]: unknown;
}

export interface AgentCopClientOptions {
  /** The server, e.g. `https://agentcop.example.com`. */
  baseUrl: string;
  apiKey: string;
  /** The agent every call is made for, unless a call names another. */
  agentId?: string;
  /** Sent as context.run_id with every evaluation (compute caps count per run). */
  runId?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** How often waitForApproval asks (default 2 s). */
  pollIntervalMs?: number;
  /** How long guard() waits for a person (default 15 minutes). */
  approvalTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** The server answered with an error envelope (or not at all). */
export class AgentCopError extends Error {
  override readonly name = 'AgentCopError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** The gate blocked the call; `result` says why. */
export class GateBlockedError extends Error {
  override readonly name = 'GateBlockedError';
  constructor(readonly result: GateResult) {
    super(`AgentCop blocked ${result.reasons.length ? `the call: ${result.reason} — ${result.reasons.find((r) => r.code === result.reason)?.title ?? ''}` : `the call: ${result.reason}`}`);
  }
  get reason(): string {
    return this.result.reason;
  }
}

/** Nobody decided within the wait. */
export class ApprovalTimeoutError extends Error {
  override readonly name = 'ApprovalTimeoutError';
  constructor(readonly approvalId: string) {
    super(`approval request ${approvalId} is still pending`);
  }
}

export interface GuardOptions<A extends unknown[]> {
  /** The parameters to evaluate, from the wrapped function's arguments. Default: a single object
   * argument as is, otherwise `{ args: [...] }`. */
  parameters?: (...args: A) => Record<string, unknown>;
  agentId?: string;
  context?: EvaluateRequest['context'];
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

export class AgentCopClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AgentCopClientOptions) {
    if (!options.baseUrl) throw new TypeError('AgentCopClient: baseUrl is required');
    if (!options.apiKey) throw new TypeError('AgentCopClient: apiKey is required');
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.fetchImpl = options.fetch ?? fetch;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}`, {
        method,
        headers: { 'x-agentcop-key': this.options.apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new AgentCopError(`AgentCop is unreachable: ${(err as Error).message}`, 0, 'unreachable');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    if (!res.ok) {
      const env = (json ?? {}) as { error?: string; message?: string };
      throw new AgentCopError(env.message ?? `HTTP ${res.status}`, res.status, env.error ?? 'http_error', json);
    }
    return json as T;
  }

  /** Asks the gate about one tool call. */
  evaluate(req: EvaluateRequest): Promise<GateResult> {
    const agent_id = req.agent_id ?? this.options.agentId;
    if (!agent_id) throw new TypeError('AgentCopClient.evaluate: agent_id is required (or set agentId on the client)');
    const context = this.options.runId && !req.context?.run_id ? { ...(req.context ?? {}), run_id: this.options.runId } : req.context;
    return this.request<GateResult>('POST', '/gate/evaluate', { ...req, agent_id, ...(context ? { context } : {}) });
  }

  getApproval(id: string): Promise<Approval> {
    return this.request<Approval>('GET', `/approvals/${encodeURIComponent(id)}`);
  }

  /** Polls until the request is decided or expired; ApprovalTimeoutError after `timeoutMs`. */
  async waitForApproval(id: string, opts: { timeoutMs?: number; pollIntervalMs?: number; signal?: AbortSignal } = {}): Promise<Approval> {
    const deadline = Date.now() + (opts.timeoutMs ?? this.options.approvalTimeoutMs ?? 15 * 60_000);
    const every = opts.pollIntervalMs ?? this.options.pollIntervalMs ?? 2_000;
    for (;;) {
      const a = await this.getApproval(id);
      if (a.status !== 'pending') return a;
      const left = deadline - Date.now();
      if (left <= 0) throw new ApprovalTimeoutError(id);
      await sleep(Math.min(every, left), opts.signal);
    }
  }

  /**
   * Wraps a tool: each call is evaluated first. Allowed: `fn` runs. Approval required: waits for a
   * person, then asks again with the approval (allowed once). Blocked: throws GateBlockedError and
   * `fn` never runs.
   */
  guard<A extends unknown[], R>(toolName: string, fn: (...args: A) => R | Promise<R>, opts: GuardOptions<A> = {}): (...args: A) => Promise<R> {
    return async (...args: A) => {
      const parameters = opts.parameters ? opts.parameters(...args) : args.length === 1 && isPlainObject(args[0]) ? args[0] : { args };
      const req: EvaluateRequest = { tool_name: toolName, parameters, ...(opts.agentId ? { agent_id: opts.agentId } : {}), ...(opts.context ? { context: opts.context } : {}) };
      let result = await this.evaluate(req);
      if (result.decision === 'require_approval' && result.approval_request_id) {
        await this.waitForApproval(result.approval_request_id);
        result = await this.evaluate({ ...req, approval_request_id: result.approval_request_id });
      }
      if (result.decision !== 'allow') throw new GateBlockedError(result);
      return fn(...args);
    };
  }
}
