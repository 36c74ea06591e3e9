// Scans: run the engine, store the result once per content, read it back for its account.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { scan as runScan, newScanId } from '../../../engine/index.js';
import { languageOf } from '../../../engine/files.js';
import { redactSecrets } from '../../../engine/redact.js';
import { packageInfo } from '../../../engine/report/version.js';
import { riskLevel, trustScore } from '../../../engine/score.js';
import type { Issue, Notice, ScanResult, SourceFile } from '../../../engine/types.js';
import type { Actor, KeyActor } from '../../actor.js';
import type { Database, ScanRow, ScanSource } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus } from '../../events.js';
import type { QuotaService } from '../../limits/service.js';
import { Lru } from '../../lru.js';
import { readZip, type ZipLimits } from './zip.js';

export interface ScanMeta {
  description?: string;
  agent_name?: string;
  framework?: string;
}

/** A stored scan: the engine's result plus what the server knows about it. */
export interface StoredScan {
  id: string;
  account_id: string;
  source: ScanSource;
  agent_name: string | null;
  description: string | null;
  result: ScanResult;
}

const serialized = new WeakMap<StoredScan, string>();

/**
 * The stored scan as JSON (result plus source, agent_name, description), serialised once: a stored
 * scan never changes, and re-serialising a result with its issues on every cached hit is most of
 * what such a request would otherwise cost.
 */
export function scanJson(scan: StoredScan): string {
  let json = serialized.get(scan);
  if (json === undefined) {
    json = JSON.stringify({ ...scan.result, source: scan.source, agent_name: scan.agent_name, description: scan.description });
    serialized.set(scan, json);
  }
  return json;
}

export interface ScanSummary {
  scan_id: string;
  trust_score: number;
  risk_level: string;
  total_issues: number;
  files_scanned: number;
  source: ScanSource;
  agent_name: string | null;
  framework: string | null;
  created_at: string;
}

export interface ScanLimits {
  codeBytes: number;
  zip: ZipLimits;
}

export class ScanService {
  /** scan id -> stored scan; `${account}:${hash}` -> scan id. Scans are immutable (see Lru). */
  private readonly byId = new Lru<string, StoredScan>(500);
  private readonly byHash = new Lru<string, string>(5_000);
  private readonly badgeFacts = new Lru<string, { trust_score: number; risk_level: string }>(20_000);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    private readonly quotas: QuotaService,
    readonly limits: ScanLimits,
  ) {}

  /** `POST /scan`: one file of code. */
  async scanCode(actor: KeyActor, input: ScanMeta & { code: string; filename?: string }): Promise<{ scan: StoredScan; cached: boolean }> {
    const bytes = Buffer.byteLength(input.code, 'utf8');
    if (bytes > this.limits.codeBytes) {
      throw new ApiError(413, 'code_too_large', `code is ${bytes} bytes; the limit is ${this.limits.codeBytes} (use POST /scan/zip for projects)`);
    }
    const filename = normaliseFilename(input.filename ?? 'agent.py');
    const hash = contentHash(['code', filename, input.framework ?? '', input.agent_name ?? '', input.code]);
    return this.scanOnce(actor, hash, 'api', input, filename, async () => runScan([{ path: filename, content: input.code }], { framework: input.framework }));
  }

  /** `POST /scan/zip`: every supported file inside. The ZIP is fully vetted before anything is stored. */
  async scanZip(actor: KeyActor, zip: Buffer, meta: ScanMeta): Promise<{ scan: StoredScan; cached: boolean }> {
    const hash = contentHash(['zip', meta.framework ?? '', meta.agent_name ?? '', zip]);
    const cached = await this.findByHash(actor.account_id, hash);
    if (cached) return { scan: cached, cached: true };
    const contents = await readZip(zip, this.limits.zip);
    return this.scanOnce(actor, hash, 'zip', meta, null, async () => {
      const result = await runScan(contents.files, { framework: meta.framework, threads: threadsFor(contents.files) });
      result.notices = [...contents.notices, ...result.notices];
      return result;
    });
  }

  private async scanOnce(
    actor: KeyActor,
    hash: string,
    source: ScanSource,
    meta: ScanMeta,
    filename: string | null,
    run: () => Promise<ScanResult>,
  ): Promise<{ scan: StoredScan; cached: boolean }> {
    const cached = await this.findByHash(actor.account_id, hash);
    if (cached) return { scan: cached, cached: true };
    // Quota is taken only for real work; a failed scan gives it back.
    await this.takeQuota(actor);
    let result: ScanResult;
    try {
      result = await run();
    } catch (err) {
      await this.quotas.refund(actor.account_id, 'scans');
      throw err;
    }
    const stored = await this.store(actor, result, { source, hash, meta, filename });
    return stored;
  }

  /** `POST /scans/import`: a result produced elsewhere (the GitHub Action). */
  async importResult(actor: KeyActor, body: ImportBody): Promise<StoredScan> {
    await this.takeQuota(actor);
    const { scan } = await this.store(actor, sanitiseImport(body), {
      source: 'import',
      hash: null,
      meta: { agent_name: body.agent_name, description: body.description, framework: body.frameworks?.[0] },
      filename: null,
    });
    return scan;
  }

  private async takeQuota(actor: KeyActor): Promise<void> {
    const q = await this.quotas.consume(actor.account_id, actor.plan, 'scans');
    if (!q.allowed) {
      throw new ApiError(429, 'quota_exceeded', `the ${actor.plan} plan allows ${q.limit} scans per day; the quota resets at 00:00 UTC`, { metric: 'scans', limit: q.limit }, {
        'retry-after': String(q.retryAfter),
      });
    }
  }

  /**
   * A result the GitHub App produced for an installation's account. No quota: App scans are
   * driven by pushes to repositories the operator installed the App on, not by a key holder.
   */
  async storeAppResult(accountId: string, result: ScanResult, meta: ScanMeta): Promise<StoredScan> {
    const actor: Actor = { kind: 'system', reason: 'github-app' };
    const { scan } = await this.store({ account_id: accountId, actor }, result, { source: 'github', hash: null, meta, filename: null });
    return scan;
  }

  private async store(
    who: KeyActor | { account_id: string; actor: Actor },
    result: ScanResult,
    opts: { source: ScanSource; hash: string | null; meta: ScanMeta; filename: string | null },
  ): Promise<{ scan: StoredScan; cached: boolean }> {
    const actor: Actor = 'actor' in who ? who.actor : who;
    const { share_url: _s, badge_url: _b, ...clean } = result;
    const id = newScanId();
    const stored: ScanResult = { ...clean, scan_id: id };
    const row = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('scans')
        .values({
          id,
          account_id: who.account_id,
          content_hash: opts.hash,
          source: opts.source,
          agent_name: opts.meta.agent_name ?? null,
          description: opts.meta.description ?? null,
          framework: opts.meta.framework ?? null,
          filename: opts.filename,
          trust_score: stored.trust_score,
          risk_level: stored.risk_level,
          total_issues: stored.total_issues,
          files_scanned: stored.files_scanned,
          result: JSON.stringify(stored),
        })
        // Two identical requests racing: the second finds the first's row below.
        .onConflict((oc) => oc.columns(['account_id', 'content_hash']).where('content_hash', 'is not', null).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) {
        await this.events.emit(
          'scan.completed',
          {
            account_id: who.account_id,
            scan_id: id,
            source: opts.source,
            trust_score: stored.trust_score,
            risk_level: stored.risk_level,
            total_issues: stored.total_issues,
            files_scanned: stored.files_scanned,
            agent_name: inserted.agent_name,
            created_at: inserted.created_at.toISOString(),
          },
          { db: trx, actor },
        );
      }
      return inserted;
    });
    if (!row) {
      const winner = await this.findByHash(who.account_id, opts.hash!);
      if (!winner) throw new Error('scan insert conflicted but no row was found');
      return { scan: winner, cached: true };
    }
    const scan = toStored(row);
    this.remember(scan, opts.hash);
    return { scan, cached: false };
  }

  private remember(scan: StoredScan, hash: string | null): void {
    this.byId.set(scan.id, scan);
    if (hash) this.byHash.set(`${scan.account_id}:${hash}`, scan.id);
    this.badgeFacts.set(scan.id, { trust_score: scan.result.trust_score, risk_level: scan.result.risk_level });
  }

  private async findByHash(accountId: string, hash: string): Promise<StoredScan | undefined> {
    const id = this.byHash.get(`${accountId}:${hash}`);
    if (id) {
      const hit = this.byId.get(id);
      if (hit) return hit;
    }
    const row = await this.db.selectFrom('scans').selectAll().where('account_id', '=', accountId).where('content_hash', '=', hash).executeTakeFirst();
    if (!row) return undefined;
    const scan = toStored(row);
    this.remember(scan, hash);
    return scan;
  }

  /** A scan of this account; another account's id is 404, like a missing one. */
  async get(accountId: string, id: string): Promise<StoredScan> {
    const scan = await this.getPublic(id);
    if (!scan || scan.account_id !== accountId) throw notFound('scan');
    return scan;
  }

  /** By id alone, for the share page: the 128-bit random id is the capability. */
  async getPublic(id: string): Promise<StoredScan | undefined> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const row = await this.db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const scan = toStored(row);
    this.remember(scan, row.content_hash);
    return scan;
  }

  /** What a badge needs, without loading the whole result. */
  async badgeFactsOf(id: string): Promise<{ trust_score: number; risk_level: string } | undefined> {
    const hit = this.badgeFacts.get(id);
    if (hit) return hit;
    const row = await this.db.selectFrom('scans').select(['trust_score', 'risk_level']).where('id', '=', id).executeTakeFirst();
    if (row) this.badgeFacts.set(id, row);
    return row;
  }

  async list(accountId: string, q: { page: number; limit: number; agent_name?: string }): Promise<{ data: ScanSummary[]; total: number }> {
    let base = this.db.selectFrom('scans').where('account_id', '=', accountId);
    if (q.agent_name !== undefined) base = base.where('agent_name', '=', q.agent_name);
    const [rows, count] = await Promise.all([
      base
        .select(['id', 'trust_score', 'risk_level', 'total_issues', 'files_scanned', 'source', 'agent_name', 'framework', 'created_at'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.limit)
        .offset((q.page - 1) * q.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      data: rows.map((r) => ({
        scan_id: r.id,
        trust_score: r.trust_score,
        risk_level: r.risk_level,
        total_issues: r.total_issues,
        files_scanned: r.files_scanned,
        source: r.source,
        agent_name: r.agent_name,
        framework: r.framework,
        created_at: r.created_at.toISOString(),
      })),
      total: Number(count.n),
    };
  }
}

function toStored(row: ScanRow): StoredScan {
  return {
    id: row.id,
    account_id: row.account_id,
    source: row.source,
    agent_name: row.agent_name,
    description: row.description,
    result: row.result as unknown as ScanResult,
  };
}

/** The engine version is part of every hash: a new scanner never serves an old scanner's verdict. */
function contentHash(parts: (string | Buffer)[]): string {
  const h = createHash('sha256').update(`agentcop-scan-v1\0${packageInfo().version}\0`);
  for (const p of parts) {
    h.update(String(Buffer.byteLength(p)));
    h.update('\0');
    h.update(p);
  }
  return h.digest('hex');
}

function normaliseFilename(name: string): string {
  const clean = name.replace(/\\/g, '/').replace(/^\.\/+/, '');
  if (!clean || clean.startsWith('/') || clean.split('/').some((s) => s === '..' || s === '')) {
    throw new ApiError(400, 'invalid_filename', 'filename must be a relative path without ".." (for example agent.py or src/bot.ts)');
  }
  if (!languageOf(clean)) {
    throw new ApiError(400, 'unsupported_file_type', `${clean} is not a file type AgentCop scans (.py, .ipynb, .js, .ts, MCP configs, agent instruction files, manifests)`);
  }
  return clean;
}

function threadsFor(files: SourceFile[]): true | undefined {
  const bytes = files.reduce((n, f) => n + f.content.length, 0);
  return files.length >= 20 && bytes >= 1024 * 1024 ? true : undefined;
}

export type ImportBody = Partial<ScanResult> & Pick<ScanResult, 'issues'> & { agent_name?: string; description?: string };

function redactIssue(i: Issue): Issue {
  return {
    ...i,
    description: redactSecrets(i.description),
    code_snippet: redactSecrets(i.code_snippet),
    ...(i.fix !== undefined ? { fix: redactSecrets(i.fix) } : {}),
    ...(i.title !== undefined ? { title: redactSecrets(i.title) } : {}),
    ...(i.source ? { source: { ...i.source, description: redactSecrets(i.source.description) } } : {}),
    ...(i.suppressed ? { suppressed: { ...i.suppressed, justification: redactSecrets(i.suppressed.justification) } } : {}),
  };
}

/**
 * An imported result is somebody else's word. Snippets are redacted again (the uploader may run an
 * older engine, or none), and the score and risk level are recomputed from the issues with the
 * ARCHITECTURE §2 formula, so a badge cannot claim better than its issues.
 */
export function sanitiseImport(body: ImportBody): ScanResult {
  const issues = body.issues.map(redactIssue);
  const suppressed = (body.suppressed_issues ?? []).map(redactIssue);
  const score = trustScore(issues);
  const notices: Notice[] = (body.notices ?? []).map((n) => ({ ...n, message: redactSecrets(n.message) }));
  const { agent_name: _a, description: _d, share_url: _s, badge_url: _b, cached: _c, source: _src, ...rest } = body as ImportBody & Record<string, unknown>;
  return {
    ...(rest as object),
    scan_id: '',
    trust_score: score,
    risk_level: riskLevel(score, issues),
    total_issues: issues.length,
    issues,
    suppressed_issues: suppressed,
    files_scanned: body.files_scanned ?? new Set(issues.map((i) => i.file)).size,
    frameworks: body.frameworks ?? [],
    permissions: body.permissions ?? { network: false, filesystem: false, environment: false, subprocess: false },
    notices,
    scan_time_ms: body.scan_time_ms ?? 0,
    created_at: body.created_at ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
