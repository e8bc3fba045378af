import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostKey } from '../../app/core/host-key.js';
import type { Archive } from '../../app/store/archive.js';
import { SITE_BY_NAME_ONLY_SQL } from '../../app/store/filters.js';
import type { ArticleRecord } from '../../app/store/articles-repo.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

/**
 * `site:` through the host key (migration 0008): the host, any sub-domain of it, or the
 * publication's name, exactly as the full condition it replaces selects them, from every path
 * that writes an article's host. The full condition, as filters.ts wrote it before, is the
 * reference here.
 */
let dir: string;
let archive: Archive;
let file: string;

/** [host, publication name]: look-alikes of example.com that are not it, an IP address, a trailing dot. */
const SITES: [string, string | null][] = [
  ['example.com', 'Example News'],
  ['news.example.com', null],
  ['a.b.example.com', 'The B Desk'],
  ['notexample.com', null],
  ['example.com.evil.org', null],
  ['example.co', null],
  ['127.0.0.1', null],
  ['10.0.0.1', 'Intranet'],
  ['other.org', 'Example.com'], // matches site:example.com by its name alone
  ['trailing.example.com.', null],
  ['blog.other.org', 'Other Blog'],
];

const VALUES = ['example.com', 'Example.com', 'news.example.com', 'com', 'example', '0.0.1', '127.0.0.1', 'other.org', 'the b desk', 'intranet', 'com.', 'nothing.here'];

function reference(db: Database.Database, site: string, negated: boolean): number[] {
  const condition = `(a.host = ? OR (length(a.host) > length(?) AND substr(a.host, -length(?) - 1) = '.' || ?) OR coalesce(a.site_name = ? COLLATE NOCASE, 0))`;
  const rows = db
    .prepare(`SELECT a.id FROM articles a WHERE a.deleted_at IS NULL AND ${negated ? 'NOT ' : ''}${condition} ORDER BY a.id`)
    .pluck()
    .all(site, site, site, site, site) as number[];
  return rows;
}

const ids = (page: { items: { id: number }[] }) => page.items.map((i) => i.id).sort((a, b) => a - b);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-search-site-'));
  file = join(dir, 'folio.db');
  archive = openArchive(file);
  SITES.forEach(([host, siteName], i) => {
    const { capture, blobs } = makeCapture({ seed: 300 + i, host, words: 40, siteName });
    archive.saveCapture(capture, blobs, { read: i % 2 === 0 });
  });
});
afterAll(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('site: through the host key', () => {
  it('keys a host by its labels reversed, so a site and its sub-domains share a prefix', () => {
    expect(hostKey('news.example.com')).toBe('com.example.news.');
    expect(hostKey('example.com')).toBe('com.example.');
    expect(hostKey('')).toBe('.');
    expect(hostKey('example.com.')).toBe('.com.example.');
  });

  it('selects exactly what the full condition selects, for search, negation, the list and export', () => {
    const db = new Database(file, { readonly: true });
    try {
      for (const site of VALUES) {
        const q = /\s/.test(site) ? `site:"${site}"` : `site:${site}`;
        // The query language and the list take site values in lower case.
        const want = reference(db, site.toLowerCase(), false);
        expect(ids(archive.search(q, { limit: 200 })), q).toEqual(want);
        expect(archive.search(q).total, q).toBe(want.length);
        expect(ids(archive.search(`-${q} is:unread`, { limit: 200 })), `-${q}`).toEqual(
          reference(db, site.toLowerCase(), true).filter((id) => !archive.getArticle(id)!.read),
        );
        if (site === site.toLowerCase()) {
          expect(ids(archive.listArticles({ site, limit: 200 })), `list ${site}`).toEqual(want);
          expect(archive.listArticles({ site }).total).toBe(want.length);
          expect([...archive.iterateArticles({ site })].map((a) => a.id), `iterate ${site}`).toEqual(want);
        }
      }
      // The cases that matter, spelled out: sub-domains yes, look-alikes no, the name alone yes.
      const hosts = (site: string) => reference(db, site, false).map((id) => new URL(archive.getArticle(id)!.url).hostname);
      // (A host saved with its trailing dot is not a sub-domain of example.com, in either form.)
      expect(hosts('example.com')).toEqual(['example.com', 'news.example.com', 'a.b.example.com', 'other.org']);
      expect(hosts('0.0.1')).toEqual(['127.0.0.1', '10.0.0.1']);
    } finally {
      db.close();
    }
  });

  it('reads one range of the filter index when no article matches by name alone, the full condition otherwise', () => {
    expect(archive.explainSearch('site:news.example.com is:unread')).toContain(
      'SEARCH a USING COVERING INDEX articles_live_filters (host_key>? AND host_key<?)',
    );
    // other.org's publication is called "Example.com": the range alone would miss it.
    expect(archive.explainSearch('site:example.com is:unread').join('\n')).not.toContain('host_key>?');
    expect(archive.search('site:example.com').items.map((i) => new URL(i.url).hostname)).toContain('other.org');
    // That question itself is answered from the name index alone, however many articles bear the name.
    const db = new Database(file, { readonly: true });
    try {
      const steps = db.prepare(`EXPLAIN QUERY PLAN ${SITE_BY_NAME_ONLY_SQL}`).all('example.com', 'com.example.', 'com.example/') as { detail: string }[];
      expect(steps.map((s) => s.detail)).toEqual(['SEARCH articles USING COVERING INDEX articles_site_name (site_name=?)']);
    } finally {
      db.close();
    }
  });

  it("keeps to the covering range once the archive has statistics, not a skip-scan of the name index", () => {
    const statsFile = join(dir, 'stats.db');
    const many = openArchive(statsFile);
    // As the bench's archives: a few sites, each with its publication name, many articles each.
    const hosts = ['example.com', 'news.example.org', 'blog.example.net', 'journal.example.edu', 'daily.example.co.uk'];
    for (let start = 0; start < 2000; start += 200) {
      many.saveCaptures(
        Array.from({ length: 200 }, (_, k) => {
          const i = start + k;
          const { capture, blobs } = makeCapture({ seed: 5000 + i, host: hosts[i % hosts.length]!, words: 5, imageCount: 0 });
          return { capture, blobs, options: { read: i % 3 === 0 } };
        }),
      );
    }
    many.close();
    // The statistics PRAGMA optimize gathers: with them, a full name index was skip-scanned for
    // the host-key range and every article it found looked up (100,000 articles: 3 → 100 ms).
    const raw = new Database(statsFile);
    raw.exec('ANALYZE');
    raw.close();
    const analysed = openArchive(statsFile);
    try {
      const steps = analysed.explainSearch('site:example.com is:unread');
      expect(steps).toContain('SEARCH a USING COVERING INDEX articles_live_filters (host_key>? AND host_key<?)');
      expect(steps.join('\n')).not.toContain('articles_site_name');
      expect(analysed.search('site:example.com is:unread').total).toBe(266);
    } finally {
      analysed.close();
    }
  });

  it('every path that writes a host writes its key: batches, bookmarks, refreshes, restores', () => {
    const a = openArchive(join(dir, 'paths.db'));
    try {
      const batch = [0, 1].map((i) => makeCapture({ seed: 900 + i, host: `s${i}.batch.example.net` }));
      a.saveCaptures(batch.map(({ capture, blobs }) => ({ capture, blobs })));
      const bookmark = a.addBookmark({ url: 'https://bookmarks.example.org/page', title: 'Later' });
      const refreshed = makeCapture({ seed: 950, host: 'moved.example.io' });
      a.replaceCapture(bookmark.id, refreshed.capture, refreshed.blobs);
      const source = [...a.iterateArticles()][0]!;
      const { id: _id, ...article } = source;
      const restoredUrl = 'https://restored.example.dev/a';
      const record: ArticleRecord = { ...article, url: restoredUrl, finalUrl: restoredUrl, canonicalUrl: null, images: [], originalHtml: null };
      const restored = openArchive(join(dir, 'restored.db'));
      try {
        restored.importRecord(record, []);
        for (const target of [a, restored]) {
          const rows = (target as unknown as { db: Database.Database }).db.prepare('SELECT host, host_key FROM articles').all() as { host: string; host_key: string }[];
          expect(rows.length).toBeGreaterThan(0);
          for (const r of rows) expect(r.host_key, r.host).toBe(hostKey(r.host));
        }
        expect(a.search('site:example.io').total).toBe(1);
        expect(a.search('site:batch.example.net').total).toBe(2);
        expect(a.listSites().map((s) => s.site).sort()).toEqual(['moved.example.io', 's0.batch.example.net', 's1.batch.example.net']);
      } finally {
        restored.close();
      }
    } finally {
      a.close();
    }
  });
});
