import type { Migration } from './types.js';

/**
 * Full-text search: one real table holding the searchable text of each article
 * (`article_search`, rowid = article id, tags denormalised as space-separated text), and two
 * FTS5 indexes that use it as external content, kept in sync by the triggers below, so no
 * code path can update the text and forget an index.
 *
 * article_fts — words: `porter unicode61 remove_diacritics 2`. bm25 weights are chosen at query
 *   time (app/store/search.ts: title 10, byline 3, site 2, text 1, tags 5).
 *
 *   Porter stemming was decided by measurement (tests/integration/search-porter.test.ts keeps
 *   the relevance half of it honest). 1,697 documents of real English prose (the Markdown
 *   files under node_modules, ~2 KB each), same machine, one transaction per document:
 *                            insert/s   index size   query    docs found for
 *                                                             running / run / runs
 *     unicode61              5,981      1.5 MB       0.02 ms  113 / 244 / 79
 *     porter unicode61       5,844      1.4 MB       0.02 ms  351 / 351 / 351
 *   Same speed, a slightly smaller index (fewer distinct terms), and a search for "running"
 *   finds the articles that say "run" or "runs" (3x the recall). The cost — occasional
 *   conflation such as configure/configuration, and English suffix rules applied to other
 *   languages (consistently on both sides, so nothing is lost) — is the usual one for a
 *   personal archive where missing an article is worse than an extra hit.
 *
 * article_trigram — substrings for scripts written without spaces (Chinese, Japanese, Thai…),
 *   where unicode61 sees a whole run of text as one token and could never find a word inside
 *   it. It indexes title and byline fully, but of the body only `cjk_text`: the
 *   whitespace-separated runs that contain such a script (see unspacedRuns in
 *   app/core/query/scripts.ts), one per line. On the corpus above a trigram index over the
 *   whole text was 9.0 MB (6x the word index) and tripled insert time, for lookups that only
 *   ever concern those scripts; with `cjk_text` an English article costs only its title.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'fts',
  up(db) {
    db.exec(`
      CREATE TABLE article_search (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        title      TEXT NOT NULL DEFAULT '',
        byline     TEXT NOT NULL DEFAULT '',
        site       TEXT NOT NULL DEFAULT '',   -- site name and host
        text       TEXT NOT NULL DEFAULT '',   -- the article's plain text (its only copy)
        tags       TEXT NOT NULL DEFAULT '',   -- space-separated
        cjk_text   TEXT NOT NULL DEFAULT ''    -- runs of unspaced scripts from text, one per line
      );

      CREATE VIRTUAL TABLE article_fts USING fts5 (
        title, byline, site, text, tags,
        content = 'article_search', content_rowid = 'article_id',
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE VIRTUAL TABLE article_trigram USING fts5 (
        title, byline, cjk_text,
        content = 'article_search', content_rowid = 'article_id',
        tokenize = 'trigram remove_diacritics 1'
      );

      CREATE TRIGGER article_search_ai AFTER INSERT ON article_search BEGIN
        INSERT INTO article_fts (rowid, title, byline, site, text, tags)
          VALUES (new.article_id, new.title, new.byline, new.site, new.text, new.tags);
        INSERT INTO article_trigram (rowid, title, byline, cjk_text)
          VALUES (new.article_id, new.title, new.byline, new.cjk_text);
      END;

      CREATE TRIGGER article_search_ad AFTER DELETE ON article_search BEGIN
        INSERT INTO article_fts (article_fts, rowid, title, byline, site, text, tags)
          VALUES ('delete', old.article_id, old.title, old.byline, old.site, old.text, old.tags);
        INSERT INTO article_trigram (article_trigram, rowid, title, byline, cjk_text)
          VALUES ('delete', old.article_id, old.title, old.byline, old.cjk_text);
      END;

      -- Split by column so that retagging (the common update) leaves the trigram index alone.
      CREATE TRIGGER article_search_au_words AFTER UPDATE OF title, byline, site, text, tags ON article_search BEGIN
        INSERT INTO article_fts (article_fts, rowid, title, byline, site, text, tags)
          VALUES ('delete', old.article_id, old.title, old.byline, old.site, old.text, old.tags);
        INSERT INTO article_fts (rowid, title, byline, site, text, tags)
          VALUES (new.article_id, new.title, new.byline, new.site, new.text, new.tags);
      END;

      CREATE TRIGGER article_search_au_trigram AFTER UPDATE OF title, byline, cjk_text ON article_search BEGIN
        INSERT INTO article_trigram (article_trigram, rowid, title, byline, cjk_text)
          VALUES ('delete', old.article_id, old.title, old.byline, old.cjk_text);
        INSERT INTO article_trigram (rowid, title, byline, cjk_text)
          VALUES (new.article_id, new.title, new.byline, new.cjk_text);
      END;

      -- Articles saved before this step get their metadata indexed (the body text starts here).
      INSERT INTO article_search (article_id, title, byline, site, tags)
        SELECT a.id, a.title, coalesce(a.byline, ''), trim(coalesce(a.site_name, '') || ' ' || a.host),
               coalesce((SELECT group_concat(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id
                          WHERE at.article_id = a.id), '')
          FROM articles a;
    `);
  },
};
