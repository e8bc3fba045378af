import type { Migration } from './types.js';

/**
 * The durable capture queue (survives crashes: a job left `running` by a dead process is put
 * back by requeueRunning) and the settings key/value table (values are JSON).
 */
export const migration0003: Migration = {
  version: 3,
  name: 'queue-settings',
  up(db) {
    db.exec(`
      CREATE TABLE capture_queue (
        id                 INTEGER PRIMARY KEY,
        input              TEXT    NOT NULL,     -- URL or file path as given (credentials stripped)
        url                TEXT,                 -- normalised URL; NULL for a file path
        dedup_key          TEXT    NOT NULL,     -- url, else input: one active job per key
        host               TEXT    NOT NULL DEFAULT '',
        status             TEXT    NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'running', 'saved', 'duplicate', 'failed')),
        attempts           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at    TEXT,                 -- NULL = due now
        last_error_code    TEXT,
        last_error_message TEXT,
        article_id         INTEGER REFERENCES articles (id) ON DELETE SET NULL,
        options            TEXT    NOT NULL DEFAULT '{}',
        batch_id           TEXT,
        created_at         TEXT    NOT NULL,
        updated_at         TEXT    NOT NULL
      );
      CREATE INDEX capture_queue_due ON capture_queue (status, next_attempt_at, id);
      CREATE INDEX capture_queue_recent ON capture_queue (updated_at, id);
      CREATE INDEX capture_queue_article ON capture_queue (article_id) WHERE article_id IS NOT NULL;
      -- The rule "an input already waiting is not queued twice", enforced by the database.
      CREATE UNIQUE INDEX capture_queue_active_key ON capture_queue (dedup_key)
        WHERE status IN ('pending', 'running');

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL                      -- JSON
      ) WITHOUT ROWID;
    `);
  },
};
