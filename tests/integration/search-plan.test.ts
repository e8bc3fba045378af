import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../app/store/archive.js';
import { LATEST_SCHEMA_VERSION } from '../../app/store/migrations/index.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';
import { dropBigramLookup, dropHostKey, restoreSearchInsertTrigger } from '../helpers/old-schema.js';

/**
 * How SQLite runs a search, asserted with EXPLAIN QUERY PLAN (archive.explainSearch): ranked
 * searches read the full-text index and fetch articles by id, never scanning the articles
 * table; id-only conditions (tags, other terms) are checked inside the ranking query; words
 * too common to rank by are not ranked but listed newest first along the saved-date index; one
 * character CJK terms scan migration 0004's partial index, never the article_search rows, and two
 * character ones are looked up in indexes (migration 0007); filter-only
 * searches count from migration 0005's covering index. Plus the upgrade of archives made before
 * those migrations.
 */
let dir: string;
let archive: Archive;

const DOCS = [
  { title: 'Understanding the borrow checker', text: 'The borrow checker enforces ownership rules at compile time.', byline: 'Ada Lovelace', tags: ['rust'] },
  { title: '東京の図書館', text: '市立図書館は来月から電子書籍の貸し出しを始めます。', byline: 'Tanaka', tags: [] },
  { title: 'Tokyo notes', text: 'Plain English text about a trip.', byline: '東京新聞', tags: ['travel'] },
  { title: 'Kitchen diaries', text: 'Bread baking in winter. 東京で食べたパンの話。', byline: 'Grace', tags: ['food'] },
  { title: 'River walks', text: 'A quiet walk along the river, with no Japanese at all.', byline: 'Ada Lovelace', tags: ['travel'] },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-search-plan-'));
  archive = openArchive(join(dir, 'folio.db'));
  DOCS.forEach((d, i) => {
    const { capture, blobs } = makeCapture({ seed: 500 + i, title: d.title, text: d.text, byline: d.byline, words: 30 });
    archive.saveCapture(capture, blobs, { tags: d.tags });
  });
});
afterAll(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

const plan = (q: string) => archive.explainSearch(q);

/** The indexes later migrations added, by the schema version that added them (0005's, 0007's and 0008's: see archiveAtSchema). */
const INDEX_ADDED_IN: Record<number, string[]> = {
  4: ['article_search_unspaced'],
};

/**
 * An archive file holding DOCS (seeds from `seed`), left as schema `version` would have it:
 * the indexes of later migrations dropped and the version stepped back. `observe` runs on it
 * first, at the latest schema, and what it returns is returned (the answers to compare).
 */
function archiveAtSchema<T>(file: string, seed: number, version: number, observe: (a: Archive) => T): T {
  const current = openArchive(file);
  DOCS.forEach((d, i) => {
    const { capture, blobs } = makeCapture({ seed: seed + i, title: d.title, text: d.text, byline: d.byline, words: 30 });
    current.saveCapture(capture, blobs, { tags: d.tags });
  });
  const observed = observe(current);
  current.close();
  const raw = new Database(file);
  const later = (added: Record<number, string[]>) => Object.entries(added).filter(([v]) => Number(v) > version).flatMap(([, names]) => names);
  const dropped = later(INDEX_ADDED_IN);
  for (const index of dropped) raw.exec(`DROP INDEX ${index}`);
  if (version < 7) {
    dropBigramLookup(raw);
    dropped.push('article_trigram_vocab', 'article_trigram_instances', 'article_search_title_tail', 'article_search_byline_tail', 'article_search_cjk_tail');
  }
  if (version < 8) {
    dropHostKey(raw);
    dropped.push('articles_site_name');
    if (version < 5) {
      raw.exec('DROP INDEX articles_live_filters');
      dropped.push('articles_live_filters');
    }
  }
  if (version < 6) restoreSearchInsertTrigger(raw);
  raw.pragma(`user_version = ${version}`);
  // The file really is as the old schema left it: none of the later indexes is there.
  for (const index of dropped) expect(raw.prepare('SELECT count(*) AS n FROM sqlite_schema WHERE name = ?').get(index)).toEqual({ n: 0 });
  raw.close();
  return observed;
}
const titles = (a: Archive, q: string) => a.search(q).items.map((h) => h.title).sort();

describe('search query plans', () => {
  it('a ranked search reads the word index, then fetches its page of articles by id', () => {
    const steps = plan('borrow');
    expect(steps).toContainEqual(expect.stringMatching(/^SCAN article_fts VIRTUAL TABLE INDEX/));
    expect(steps).toContainEqual('SEARCH a USING INTEGER PRIMARY KEY (rowid=?)');
    expect(steps.filter((s) => /^SCAN a\b/.test(s))).toEqual([]);
  });

  it('tags and other id conditions are checked inside the ranking query, not by scanning articles', () => {
    const steps = plan('borrow tag:rust -tag:travel');
    expect(steps).toContainEqual(expect.stringMatching(/^SCAN article_fts VIRTUAL TABLE INDEX/));
    expect(steps).toContainEqual(expect.stringMatching(/SEARCH t USING COVERING INDEX .*\(name=\?\)/));
    expect(steps.filter((s) => /^SCAN (a|at|article_tags)\b/.test(s))).toEqual([]);
  });

  it('every word in most articles: the saved-date index walked, each article looked up, nothing ranked or sorted', () => {
    // Every article here has "the" (in its site name, "The … Journal"): bm25 has nothing to rank.
    expect(archive.search('the')).toMatchObject({ sortedBy: 'saved', sortReason: 'common-words', total: DOCS.length });
    const steps = plan('the');
    expect(steps).toContain('SEARCH a USING INDEX articles_live_saved (saved_at>?)');
    expect(steps).toContainEqual(expect.stringMatching(/^SCAN article_fts VIRTUAL TABLE INDEX \d+:=M/)); // one article's lookup
    expect(steps.filter((s) => /TEMP B-TREE/.test(s))).toEqual([]);
    // A prefix (each lookup would expand it again): the match list, checked along the same walk.
    const prefix = plan('th*');
    expect(prefix).toContain('SCAN a USING INDEX articles_live_saved');
    expect(prefix).toContainEqual(expect.stringMatching(/^SCAN article_fts VIRTUAL TABLE INDEX \d+:M/));
    expect(prefix.filter((s) => /TEMP B-TREE/.test(s))).toEqual([]);
    // The same word ranked on request: the index scanned and its rows sorted by bm25.
    const ranked = plan('the sort:relevance');
    expect(ranked).toContainEqual(expect.stringMatching(/^SCAN article_fts VIRTUAL TABLE INDEX \d+:M/));
    expect(ranked).toContain('USE TEMP B-TREE FOR ORDER BY');
    expect(ranked).not.toContain('SEARCH a USING INDEX articles_live_saved (saved_at>?)');
  });

  it('a 1 character CJK term scans the partial index, not the article_search rows', () => {
    const steps = plan('東');
    expect(steps).toContain('SCAN article_search USING COVERING INDEX article_search_unspaced');
    expect(steps).not.toContain('SCAN article_search');
    expect(titles(archive, '東')).toEqual(['Kitchen diaries', 'Tokyo notes', '東京の図書館']);
    expect(titles(archive, 'title:東 OR title:river')).toEqual(['River walks', '東京の図書館']);
  });

  it('a 2 character CJK term is looked up in the trigram index and the column-end indexes: no scan of any text', () => {
    const steps = plan('東京');
    expect(steps).toContainEqual(expect.stringMatching(/^SCAN article_trigram_vocab VIRTUAL TABLE INDEX/));
    expect(steps).toContainEqual(expect.stringMatching(/^SCAN article_trigram VIRTUAL TABLE INDEX \d+:M/));
    for (const index of ['article_search_title_tail', 'article_search_byline_tail', 'article_search_cjk_tail']) {
      expect(steps).toContain(`SEARCH article_search USING INDEX ${index} (<expr>=?)`);
    }
    expect(steps.filter((s) => /^SCAN article_search\b/.test(s))).toEqual([]);
    expect(titles(archive, '東京')).toEqual(['Kitchen diaries', 'Tokyo notes', '東京の図書館']);
    expect(titles(archive, 'author:東京')).toEqual(['Tokyo notes']);
    // 新聞 ends the byline "東京新聞": no trigram starts with it, the byline's end index finds it.
    expect(titles(archive, '新聞')).toEqual(['Tokyo notes']);
    expect(titles(archive, 'title:新聞')).toEqual([]);
  });
});

describe('filter-only searches (migration 0005)', () => {
  it('count their matches from the covering filter index, not by reading every article row', () => {
    for (const q of ['is:unread', 'lang:en', 'is:favorite -lang:de']) {
      const steps = plan(q);
      expect(steps.some((s) => s.includes('COVERING INDEX articles_live_filters')), `${q}: ${steps.join(' | ')}`).toBe(true);
      expect(steps, q).not.toContain('SCAN a');
    }
    // A site and its sub-domains are one range of the host-key index (migration 0008).
    for (const q of ['site:example.com is:unread', 'site:example.com -is:favorite']) {
      const steps = plan(q);
      expect(steps, q).toContain('SEARCH a USING COVERING INDEX articles_live_filters (host_key>? AND host_key<?)');
      expect(steps, q).not.toContain('SCAN a');
    }
    // A date range may seek the saved-date index instead; either way no row-by-row scan.
    expect(plan('lang:en before:2030-01-01')).not.toContain('SCAN a');
    expect(archive.search('is:unread').total).toBe(DOCS.length);
    expect(archive.search('is:unread -tag:travel').total).toBe(3);
  });
});

describe('migration 0005 on an archive made before it', () => {
  it('adds the filter index; filter searches count the same articles', () => {
    const file = join(dir, 'v4.db');
    const queries = ['is:unread', 'is:read', 'site:example.com is:unread', 'tag:travel is:unread'];
    const before = archiveAtSchema(file, 700, 4, (a) => {
      a.setFlags([2], { read: true });
      return queries.map((q) => a.search(q).total);
    });

    const upgraded = openArchive(file);
    try {
      expect(upgraded.connectionInfo().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const steps = upgraded.explainSearch('is:unread').join('\n');
      expect(steps, steps).toContain('COVERING INDEX articles_live_filters');
      expect(queries.map((q) => upgraded.search(q).total)).toEqual(before);
      expect(before).toEqual([DOCS.length - 1, 1, DOCS.length - 1, 2]);
      expect(upgraded.checkIntegrity()).toEqual([]);
    } finally {
      upgraded.close();
    }
  });
});

describe('migration 0004 on an archive made before it', () => {
  it('adds the partial index; searches for short CJK terms find the same articles', () => {
    const file = join(dir, 'v3.db');
    const before = archiveAtSchema(file, 900, 3, (a) => ['東京', '図', 'author:東京', '東 -tag:food'].map((q) => titles(a, q)));

    const upgraded = openArchive(file);
    try {
      expect(upgraded.connectionInfo().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(upgraded.explainSearch('図')).toContain('SCAN article_search USING COVERING INDEX article_search_unspaced');
      expect(upgraded.explainSearch('東京')).toContain('SEARCH article_search USING INDEX article_search_cjk_tail (<expr>=?)');
      expect(['東京', '図', 'author:東京', '東 -tag:food'].map((q) => titles(upgraded, q))).toEqual(before);
      expect(before[0]).toEqual(['Kitchen diaries', 'Tokyo notes', '東京の図書館']);
      expect(upgraded.checkIntegrity()).toEqual([]);
    } finally {
      upgraded.close();
    }
  });
});

describe('migration 0007 on an archive made before it', () => {
  it('adds the trigram vocabulary and the column-end indexes; two character CJK terms find the same articles', () => {
    const file = join(dir, 'v6.db');
    const queries = ['東京', '新聞', '図書', 'author:東京', 'title:図書', '東京 -tag:food', '東京 OR 新聞'];
    const before = archiveAtSchema(file, 1100, 6, (a) => queries.map((q) => titles(a, q)));

    const upgraded = openArchive(file);
    try {
      expect(upgraded.connectionInfo().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const steps = upgraded.explainSearch('東京');
      expect(steps, steps.join(' | ')).toContain('SEARCH article_search USING INDEX article_search_title_tail (<expr>=?)');
      expect(queries.map((q) => titles(upgraded, q))).toEqual(before);
      expect(before).toEqual([
        ['Kitchen diaries', 'Tokyo notes', '東京の図書館'],
        ['Tokyo notes'],
        ['東京の図書館'],
        ['Tokyo notes'],
        ['東京の図書館'],
        ['Tokyo notes', '東京の図書館'],
        ['Kitchen diaries', 'Tokyo notes', '東京の図書館'],
      ]);
      expect(upgraded.checkIntegrity()).toEqual([]);
    } finally {
      upgraded.close();
    }
  });
});

describe('migration 0008 on an archive made before it', () => {
  it('keys every host, rebuilds the filter index led by the key; site filters and the site list answer the same', () => {
    const file = join(dir, 'v7.db');
    const queries = ['site:example.com', 'site:example.com is:unread', '-site:example.com', 'site:"the example journal"'];
    const before = archiveAtSchema(file, 1100, 7, (a) => ({ totals: queries.map((q) => a.search(q).total), sites: a.listSites() }));

    const upgraded = openArchive(file);
    try {
      expect(upgraded.connectionInfo().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const raw = new Database(file, { readonly: true });
      const keys = raw.prepare('SELECT host, host_key FROM articles').all() as { host: string; host_key: string }[];
      raw.close();
      expect(keys.length).toBe(DOCS.length);
      for (const k of keys) expect(k.host_key).toBe(`${k.host.split('.').reverse().join('.')}.`);
      expect(upgraded.explainSearch('site:example.com is:unread')).toContain('SEARCH a USING COVERING INDEX articles_live_filters (host_key>? AND host_key<?)');
      expect({ totals: queries.map((q) => upgraded.search(q).total), sites: upgraded.listSites() }).toEqual(before);
      expect(before.totals).toEqual([DOCS.length, DOCS.length, 0, DOCS.length]);
      expect(upgraded.checkIntegrity()).toEqual([]);
    } finally {
      upgraded.close();
    }
  });
});
