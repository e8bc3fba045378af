import type Database from 'better-sqlite3';

/**
 * One schema step. `up` runs inside a transaction together with the `PRAGMA user_version`
 * bump, so a step is applied entirely or not at all. Never edit a released migration: add one.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
