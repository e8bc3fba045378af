import type { Migration } from './types.js';

/**
 * Articles and everything hanging off them. Heavy columns live in side tables (bodies, original
 * HTML, searchable text) so that listing and sorting read only the small `articles` rows.
 * Times are ISO 8601 UTC strings (`2024-05-01T10:00:00.000Z`): they sort as text.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'articles',
  up(db) {
    db.exec(`
      CREATE TABLE articles (
        id              INTEGER PRIMARY KEY,
        status          TEXT    NOT NULL CHECK (status IN ('captured', 'bookmark')),
        input           TEXT    NOT NULL,            -- what the user gave (URL or file path), credentials stripped
        url             TEXT    NOT NULL,            -- normalised requested URL
        final_url       TEXT    NOT NULL,            -- after redirects, credentials stripped
        canonical_url   TEXT,
        host            TEXT    NOT NULL DEFAULT '', -- final URL's host without www., '' for files
        title           TEXT    NOT NULL,
        byline          TEXT,
        site_name       TEXT,
        excerpt         TEXT,
        lang            TEXT,
        dir             TEXT    CHECK (dir IN ('ltr', 'rtl')),
        published_at    TEXT,
        saved_at        TEXT    NOT NULL,
        updated_at      TEXT    NOT NULL,
        fetched_at      TEXT,
        deleted_at      TEXT,                        -- set = in the trash
        word_count      INTEGER NOT NULL DEFAULT 0,
        reading_minutes INTEGER NOT NULL DEFAULT 0,
        lead_image      TEXT,                        -- sha256 of a stored image
        extractor       TEXT,
        rendered        INTEGER NOT NULL DEFAULT 0 CHECK (rendered IN (0, 1)),
        is_read         INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
        is_archived     INTEGER NOT NULL DEFAULT 0 CHECK (is_archived IN (0, 1)),
        is_favorite     INTEGER NOT NULL DEFAULT 0 CHECK (is_favorite IN (0, 1)),
        progress        REAL    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1)
      );

      -- One index per list sort, partial on live articles so the trash costs nothing; each also
      -- ends with id, the tie-breaker, so ORDER BY x, id walks the index without a temp B-tree.
      CREATE INDEX articles_live_saved     ON articles (saved_at, id)                 WHERE deleted_at IS NULL;
      CREATE INDEX articles_live_published ON articles (published_at, id)             WHERE deleted_at IS NULL;
      CREATE INDEX articles_live_title     ON articles (title COLLATE NOCASE, id)     WHERE deleted_at IS NULL;
      CREATE INDEX articles_live_host      ON articles (host, saved_at)               WHERE deleted_at IS NULL;
      CREATE INDEX articles_trash          ON articles (deleted_at)                   WHERE deleted_at IS NOT NULL;

      -- Every normalised URL an article answers to (requested, final, canonical): dedup is one lookup.
      CREATE TABLE article_urls (
        url        TEXT    NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (url, article_id)
      ) WITHOUT ROWID;
      CREATE INDEX article_urls_article ON article_urls (article_id);

      CREATE TABLE article_bodies (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        html       TEXT    NOT NULL,               -- sanitized; images as folio-asset:<sha256>
        warnings   TEXT    NOT NULL DEFAULT '[]'   -- JSON array of capture warnings
      );

      -- The page as fetched, compressed (see compress.ts): kept for re-extraction and export.
      CREATE TABLE article_sources (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        codec      TEXT    NOT NULL,
        bytes      INTEGER NOT NULL,               -- uncompressed UTF-8 size
        data       BLOB    NOT NULL
      );

      -- Content-addressed image bytes, shared by every article that uses the same image.
      CREATE TABLE images (
        sha256 TEXT    PRIMARY KEY,
        type   TEXT    NOT NULL,
        bytes  INTEGER NOT NULL,
        data   BLOB    NOT NULL
      );
      CREATE TABLE article_images (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        sha256     TEXT    NOT NULL REFERENCES images (sha256),
        url        TEXT    NOT NULL,               -- where the image came from
        position   INTEGER NOT NULL,
        PRIMARY KEY (article_id, sha256)
      ) WITHOUT ROWID;
      CREATE INDEX article_images_sha256 ON article_images (sha256);

      CREATE TABLE tags (
        id   INTEGER PRIMARY KEY,
        name TEXT    NOT NULL UNIQUE               -- normalised (see app/core/query/tags.ts)
      );
      CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
      ) WITHOUT ROWID;
      CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);
    `);
  },
};
