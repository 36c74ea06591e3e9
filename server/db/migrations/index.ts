import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_accounts_and_keys.js';
import * as m002 from './002_scans.js';
import * as m003 from './003_usage_counters.js';
import * as m010 from './010_approvals.js';
import * as m011 from './011_webhooks.js';
import * as m012 from './012_audit_log.js';
import * as m013 from './013_webhook_retention.js';
import * as m014 from './014_github.js';
import * as m015 from './015_permissions.js';
import * as m016 from './016_gate.js';
import * as m017 from './017_policies.js';
import * as m018 from './018_sandboxes.js';
import * as m019 from './019_gate_log_lean.js';

/**
 * Every migration, in order. A static list rather than a folder scan: it survives bundling and
 * `dist/` layouts, and a migration cannot be skipped by a file that failed to copy.
 * Add new ones at the end with the next number; never renumber or edit one that has shipped.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001_accounts_and_keys': m001,
  '002_scans': m002,
  '003_usage_counters': m003,
  '010_approvals': m010,
  '011_webhooks': m011,
  '012_audit_log': m012,
  '013_webhook_retention': m013,
  '014_github': m014,
  '015_permissions': m015,
  '016_gate': m016,
  '017_policies': m017,
  '018_sandboxes': m018,
  '019_gate_log_lean': m019,
};

export class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}
