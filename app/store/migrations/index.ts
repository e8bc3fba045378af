import type Database from 'better-sqlite3';
import { migration0001 } from './0001-articles.js';
import { migration0002 } from './0002-fts.js';
import { migration0003 } from './0003-queue-settings.js';
import { migration0004 } from './0004-substring-index.js';
import { migration0005 } from './0005-filter-index.js';
import { migration0006 } from './0006-direct-index-writes.js';
import { migration0007 } from './0007-cjk-bigram-lookup.js';
import { migration0008 } from './0008-site-index.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every schema step, in order; versions are 1..n without gaps. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008];

/** The schema version this build of Folio writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the archive up to LATEST_SCHEMA_VERSION: each pending step in its own IMMEDIATE
 * transaction with its `user_version` bump. The version is re-read inside the transaction, so
 * two processes opening an old archive at once apply each step once. Returns the versions applied.
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  for (const m of migrations) {
    const step = db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= m.version) return false;
      if (current !== m.version - 1) {
        throw new Error(`schema step ${m.version} (${m.name}) expects version ${m.version - 1}, found ${current}`);
      }
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (step.immediate()) applied.push(m.version);
  }
  return applied;
}
