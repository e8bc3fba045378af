import { hostKey } from '../../core/host-key.js';
import type { Migration } from './types.js';

/**
 * `site:` (the host, any sub-domain of it, or the publication's name) could not seek an index:
 * "any sub-domain" is a suffix of the host. At 100,000 articles, counting
 * `site:example.com is:unread` scanned the whole covering filter index of migration 0005:
 * 24 ms of the search's 38 ms.
 *
 * `host_key` is the host with its labels reversed (app/core/host-key.ts), so the host and its
 * sub-domains are one key range. The filter index is rebuilt led by it, still holding every
 * column the filters read (and `host`, which the site list groups by): the same count is one
 * range of it, 1.8 ms. Rebuilt rather than added beside, so saving an article updates as many
 * indexes as before plus the small name index. The publication's name stays a second way to
 * match, checked first from that name index (app/store/filters.ts: when no article matches by
 * name alone, the range is the whole condition). The name index holds the key too, so a site
 * whose articles are all named after it ("example.com") is settled from the index alone, not
 * by looking up each such article. It is partial (named articles only) so that only a query
 * naming a publication can use it: as a full index, with statistics (PRAGMA optimize) it let
 * SQLite skip-scan it for the host-key range instead of reading the covering filter index, and
 * look up every article it found (`site:example.com is:unread` at 100k: 3.3 → 100 ms).
 * The articles repo writes `host_key` with every `host`.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'site-index',
  up(db) {
    db.function('folio_host_key', { deterministic: true }, (host: unknown) => hostKey(String(host)));
    db.exec(`
      ALTER TABLE articles ADD COLUMN host_key TEXT NOT NULL DEFAULT '.';
      UPDATE articles SET host_key = folio_host_key(host);
      DROP INDEX articles_live_filters;
      CREATE INDEX articles_live_filters ON articles
        (host_key, host, site_name, is_read, is_archived, is_favorite, lang, saved_at, deleted_at) WHERE deleted_at IS NULL;
      CREATE INDEX articles_site_name ON articles (site_name COLLATE NOCASE, host_key) WHERE site_name IS NOT NULL;
    `);
    // As in migration 0005: an archive already analysed would otherwise lack statistics for these.
    const analysed = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'`).get();
    if (analysed) db.exec('ANALYZE articles_live_filters; ANALYZE articles_site_name;');
  },
};
