import type Database from 'better-sqlite3';

/**
 * Puts back the AFTER INSERT trigger of migration 0002 that migration 0006 dropped, so that a
 * test can make a file exactly as a schema before 6 left it.
 */
export function restoreSearchInsertTrigger(db: Database.Database): void {
  db.exec(`CREATE TRIGGER article_search_ai AFTER INSERT ON article_search BEGIN
      INSERT INTO article_fts (rowid, title, byline, site, text, tags)
        VALUES (new.article_id, new.title, new.byline, new.site, new.text, new.tags);
      INSERT INTO article_trigram (rowid, title, byline, cjk_text)
        VALUES (new.article_id, new.title, new.byline, new.cjk_text);
    END;`);
}

/** Removes what migration 0007 added (the trigram vocabulary, the column-end indexes): a file as schema 6 left it. */
export function dropBigramLookup(db: Database.Database): void {
  db.exec(`DROP TABLE article_trigram_vocab; DROP TABLE article_trigram_instances;
    DROP INDEX article_search_title_tail; DROP INDEX article_search_byline_tail; DROP INDEX article_search_cjk_tail;`);
}

/**
 * Removes what migration 0008 added (host_key, the name index) and puts back migration 0005's
 * filter index, which 0008 rebuilt led by host_key: a file as schema 7 left it.
 */
export function dropHostKey(db: Database.Database): void {
  db.exec(`DROP INDEX articles_site_name; DROP INDEX articles_live_filters; ALTER TABLE articles DROP COLUMN host_key;
    CREATE INDEX articles_live_filters ON articles
      (host, site_name, is_read, is_archived, is_favorite, lang, saved_at, deleted_at) WHERE deleted_at IS NULL;`);
}
