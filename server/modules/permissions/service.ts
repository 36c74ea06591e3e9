// Permission layers per agent, every version kept. Writes append a row with the next version;
// two concurrent writers race for the same primary key and the loser retries on the new head (or,
// for a POST, learns the layer now exists: 409). The account-wide base layer is the same table
// under the reserved agent id `_base`.
import { sql, type Kysely, type Selectable } from 'kysely';
import { actorLabel, type Actor } from '../../actor.js';
import type { Database, PermissionChange, PermissionLayersTable } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus } from '../../events.js';
import { BASE_AGENT, normalizeLayer, patchLayer, type PatchInput, type PermissionLayer, type PermissionLayerInput } from './model.js';

export interface PermissionsView extends PermissionLayer {
  agent_id: string;
  version: number;
  change: PermissionChange;
  changed_by: string;
  updated_at: string;
}

export interface PermissionVersionView {
  agent_id: string;
  version: number;
  change: PermissionChange;
  changed_by: string;
  deleted: boolean;
  created_at: string;
  permissions: PermissionLayer | null;
}

export interface PermissionsEvent {
  account_id: string;
  /** The agent id (`_base` for the base layer): the audit log's target id. */
  permissions_id: string;
  agent_id: string;
  version: number;
  change: PermissionChange;
}

declare module '../../events.js' {
  interface AppEvents {
    'permissions.changed': PermissionsEvent;
  }
}

type Row = Selectable<PermissionLayersTable>;

function toView(row: Row): PermissionsView {
  const layer = row.layer as unknown as PermissionLayer;
  return {
    agent_id: row.agent_id,
    version: row.version,
    change: row.change,
    changed_by: row.changed_by,
    updated_at: row.created_at.toISOString(),
    tools: layer.tools,
    data: layer.data,
    network: layer.network,
    compute: layer.compute,
  };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

export class PermissionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    /** Called after a change commits (the gate drops its cached snapshot). */
    private readonly onChange: (accountId: string, agentId: string) => void = () => {},
  ) {}

  /** The current row of an agent, tombstone included; undefined if it never had one. */
  private head(db: Kysely<Database>, accountId: string, agentId: string): Promise<Row | undefined> {
    return db
      .selectFrom('permission_layers')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('agent_id', '=', agentId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The current layer, or undefined (never set, or deleted). */
  async current(accountId: string, agentId: string, db: Kysely<Database> = this.db): Promise<PermissionsView | undefined> {
    const row = await this.head(db, accountId, agentId);
    return row && !row.deleted ? toView(row) : undefined;
  }

  async get(accountId: string, agentId: string): Promise<PermissionsView> {
    const view = await this.current(accountId, agentId);
    if (!view) throw notFound(agentId === BASE_AGENT ? 'base permission layer' : `permission layer for agent ${agentId}`);
    return view;
  }

  /**
   * Appends a version computed from the current head by `next` (which may throw: 404, 409),
   * retrying when a concurrent writer took the version number first.
   */
  private async write(actor: Actor, accountId: string, agentId: string, change: PermissionChange, next: (head: Row | undefined) => PermissionLayer | null): Promise<Row> {
    for (let attempt = 0; ; attempt++) {
      try {
        const row = await this.db.transaction().execute(async (trx) => {
          const head = await this.head(trx, accountId, agentId);
          const layer = next(head);
          const inserted = await trx
            .insertInto('permission_layers')
            .values({
              account_id: accountId,
              agent_id: agentId,
              version: (head?.version ?? 0) + 1,
              layer: layer === null ? null : JSON.stringify(layer),
              deleted: layer === null,
              change,
              changed_by: actorLabel(actor),
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await this.events.emit(
            'permissions.changed',
            { account_id: accountId, permissions_id: agentId, agent_id: agentId, version: inserted.version, change },
            { db: trx, actor },
          );
          return inserted;
        });
        this.onChange(accountId, agentId);
        return row;
      } catch (err) {
        if (isUniqueViolation(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  async create(actor: Actor, accountId: string, agentId: string, input: PermissionLayerInput): Promise<PermissionsView> {
    const layer = normalizeLayer(input);
    try {
      return toView(
        await this.write(actor, accountId, agentId, 'create', (head) => {
          if (head && !head.deleted) throw conflict(agentId, head.version);
          return layer;
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(agentId);
      throw err;
    }
  }

  /** PUT: full replace, or create when absent. */
  async replace(actor: Actor, accountId: string, agentId: string, input: PermissionLayerInput): Promise<{ view: PermissionsView; created: boolean }> {
    const layer = normalizeLayer(input);
    let created = false;
    const row = await this.write(actor, accountId, agentId, 'replace', (head) => {
      created = !head || head.deleted;
      return layer;
    });
    return { view: toView(row), created };
  }

  async patch(actor: Actor, accountId: string, agentId: string, ops: PatchInput): Promise<PermissionsView> {
    const row = await this.write(actor, accountId, agentId, 'patch', (head) => {
      if (!head || head.deleted) throw notFound(`permission layer for agent ${agentId}`);
      return patchLayer(head.layer as unknown as PermissionLayer, ops);
    });
    return toView(row);
  }

  async delete(actor: Actor, accountId: string, agentId: string): Promise<void> {
    await this.write(actor, accountId, agentId, 'delete', (head) => {
      if (!head || head.deleted) throw notFound(`permission layer for agent ${agentId}`);
      return null;
    });
  }

  /** Every version, newest first; 404 when the agent never had a layer. */
  async versions(accountId: string, agentId: string, page: number, limit: number): Promise<{ data: PermissionVersionView[]; total: number }> {
    const base = this.db.selectFrom('permission_layers').where('account_id', '=', accountId).where('agent_id', '=', agentId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('version', 'desc').limit(limit).offset((page - 1) * limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const total = Number(count.n);
    if (total === 0) throw notFound(`permission layer for agent ${agentId}`);
    return {
      data: rows.map((r) => ({
        agent_id: r.agent_id,
        version: r.version,
        change: r.change,
        changed_by: r.changed_by,
        deleted: r.deleted,
        created_at: r.created_at.toISOString(),
        permissions: r.layer as unknown as PermissionLayer | null,
      })),
      total,
    };
  }

  async version(accountId: string, agentId: string, version: number): Promise<PermissionVersionView> {
    const r = await this.db
      .selectFrom('permission_layers')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('agent_id', '=', agentId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!r) throw notFound(`version ${version} of the permission layer for agent ${agentId}`);
    return { agent_id: r.agent_id, version: r.version, change: r.change, changed_by: r.changed_by, deleted: r.deleted, created_at: r.created_at.toISOString(), permissions: r.layer as unknown as PermissionLayer | null };
  }
}

function conflict(agentId: string, version?: number): ApiError {
  return new ApiError(409, 'permissions_exist', `agent ${agentId} already has a permission layer${version ? ` (version ${version})` : ''}; use PUT to replace it or PATCH to change it`);
}

/** The current (non-deleted) layers of an agent and of the base, in one round trip: the gate's loader. */
export async function loadLayers(db: Kysely<Database>, accountId: string, agentId: string): Promise<{ own: Row | undefined; base: Row | undefined }> {
  const { rows } = await sql<Row>`
    SELECT DISTINCT ON (agent_id) * FROM permission_layers
     WHERE account_id = ${accountId} AND agent_id IN (${agentId}, ${BASE_AGENT})
     ORDER BY agent_id, version DESC`.execute(db);
  const pick = (id: string) => rows.find((r) => r.agent_id === id && !r.deleted);
  return { own: pick(agentId), base: agentId === BASE_AGENT ? undefined : pick(BASE_AGENT) };
}
