import type { Migration } from './types.js';

/**
 * Counting what a filter matches read every article row. The `site:` condition (the host, any
 * sub-domain of it, or the publication's name) and `lang:` cannot seek an index, and even the
 * plain count of live articles scanned the table, each row carrying its title, excerpt and
 * metadata. At 100,000 articles: the library's count 32 ms, `is:unread` 32 ms, `lang:en` 43 ms,
 * `site:example.com is:unread` 35–42 ms.
 *
 * This partial index holds every column the filters of app/store/filters.ts read (tags are
 * checked by article id), so counts scan a narrow b-tree instead: 1.6, 3.6, 22.7 and 10.5 ms.
 * `deleted_at` is listed although the index holds live rows only: SQLite counts an index as
 * covering only when it names every column the query mentions. It leads with `host`, which no
 * filter seeks by, on purpose: led by `is_read`, the planner seeked it for `is:unread` pages too
 * and sorted 66,666 rows for a page of 50 (7.3 ms) instead of walking the saved-date index.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'filter-index',
  up(db) {
    db.exec(
      `CREATE INDEX articles_live_filters ON articles
         (host, site_name, is_read, is_archived, is_favorite, lang, saved_at, deleted_at) WHERE deleted_at IS NULL;`,
    );
    // An archive already analysed (PRAGMA optimize on close) has statistics for every index but
    // this one, and the planner then preferred the old host index, which is not covering. The new
    // index's own statistics settle it (one pass over the index, 0.1 s at 100,000).
    const analysed = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'`).get();
    if (analysed) db.exec('ANALYZE articles_live_filters;');
  },
};
