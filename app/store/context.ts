import type Database from 'better-sqlite3';

/**
 * What every repository of one archive connection shares: the connection, a statement cache
 * (each distinct SQL text is prepared once per connection, including the few built from
 * filters at run time), the clock, and a transaction helper.
 */
export class StoreContext {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    readonly path: string,
    private readonly clock: () => Date,
  ) {}

  /** The prepared statement for `sql`, prepared on first use. */
  stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as Database.Statement<unknown[], R>;
  }

  /** The current time as stored: ISO 8601 UTC with milliseconds. */
  now(): string {
    return this.clock().toISOString();
  }

  /**
   * Runs `fn` in a write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so
   * two writers wait on busy_timeout instead of failing on a read→write upgrade). Nested calls
   * become savepoints.
   */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Runs `fn` in a read transaction so several SELECTs see one snapshot. */
  read<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }
}
