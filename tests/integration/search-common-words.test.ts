import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/core/query/parse-query.js';
import { planTextQuery } from '../../app/core/query/to-fts5.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { ensureCliBuilt, repoRoot } from '../helpers/cli-build.js';
import { makeCapture, rng } from '../helpers/make-capture.js';

/**
 * When every word of a query is in at least half of the archive, bm25 has nothing to rank by
 * (FTS5 weighs such a word at 1e-6), so without `sort:` the results come newest first and the
 * page says why (`sortReason: 'common-words'`); a query with one informative word keeps bm25.
 *
 * The archive is written so the expected answers come from the fixture itself, not from SQL:
 * 260 articles whose saved dates are shuffled against their ids (newest first is not id
 * order), some sharing a date (ties go to the higher id); words in a known number of articles,
 * repeated a varying number of times (so bm25 order and date order differ): `alpha` in exactly
 * half, `beta` in one fewer, `oldword` only in the oldest 150 (absent from the newest, where
 * the page is looked for first), `quasar` in three; the phrase "quick fox" in most articles,
 * "fox quick" in two; 東京 (a term bm25 never weighs) in a few. Three articles are in the trash.
 */
// Past 127 rows, so the row count FTS5 stores (a varint) takes two bytes.
const N = 260;
const OLDWORD_IN = 150;
let dir: string;
let file: string;
let archive: Archive;
let raw: Database.Database;

interface Fixture {
  id: number;
  savedAt: string;
  words: Set<string>;
  favorite: boolean;
  trashed: boolean;
}
const fixture: Fixture[] = [];

/** The text of article i; `age` is its rank in saved date, 0 the oldest. */
function articleText(i: number, age: number): string {
  const parts = ['Filler words keep every body long enough.'];
  if (i % 10 !== 0) parts.push(i % 3 !== 0 ? 'A quick fox ran.' : 'The fox jumps, quick as ever.');
  if (i === 7 || i === 8) parts.push('Then fox quick.');
  if (i % 2 === 0) parts.push('alpha '.repeat(1 + (i % 7)));
  if (i % 2 === 1 && i !== 1) parts.push('beta '.repeat(1 + (i % 5)));
  if (i === 5 || i === 50 || i === 100) parts.push('quasar '.repeat(1 + (i % 3)));
  if (age < OLDWORD_IN) parts.push('oldword '.repeat(1 + (i % 4)));
  if (i % 20 === 3) parts.push('東京の話。');
  return parts.join(' ');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-common-words-'));
  file = join(dir, 'folio.db');
  archive = openArchive(file);
  // A shuffled order of saved dates; two articles per day, so some dates are equal.
  const next = rng(7);
  const age = Array.from({ length: N }, (_, i) => i);
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [age[i], age[j]] = [age[j]!, age[i]!];
  }
  for (let i = 0; i < N; i++) {
    const text = articleText(i, age[i]!);
    const savedAt = new Date(Date.UTC(2024, 0, 1) + Math.floor(age[i]! / 2) * 86_400_000).toISOString();
    const { capture, blobs } = makeCapture({ seed: i + 1, text, title: `Entry ${i}`, imageCount: 0 });
    const favorite = i % 4 === 1;
    const { id } = archive.saveCapture(capture, blobs, { savedAt, favorite });
    const words = new Set<string>([...(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []), 'the']); // "The example Journal"
    fixture.push({ id, savedAt, words, favorite, trashed: false });
  }
  // The trash holds articles with alpha: still counted by FTS5 (the index keeps them).
  const trash = [fixture[0]!, fixture[2]!, fixture[4]!];
  archive.deleteArticles(trash.map((f) => f.id));
  for (const f of trash) f.trashed = true;
  raw = new Database(file, { readonly: true });
}, 60_000);

afterAll(() => {
  raw?.close();
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Live articles passing `test`, newest first (ties: higher id first). */
function newestFirst(test: (f: Fixture) => boolean): number[] {
  return fixture
    .filter((f) => !f.trashed && test(f))
    .sort((a, b) => (a.savedAt === b.savedAt ? b.id - a.id : a.savedAt < b.savedAt ? 1 : -1))
    .map((f) => f.id);
}

/** The bm25 order of a MATCH as the search ranks it (same weights), over live articles. */
function bm25Order(match: string): number[] {
  return (
    raw
      .prepare(
        `SELECT a.id FROM article_fts JOIN articles a ON a.id = article_fts.rowid
          WHERE article_fts MATCH ? AND a.deleted_at IS NULL
          ORDER BY bm25(article_fts, 10.0, 3.0, 2.0, 1.0, 5.0), a.saved_at DESC, a.id DESC`,
      )
      .pluck()
      .all(match) as number[]
  );
}

const has = (...words: string[]) => (f: Fixture) => words.every((w) => f.words.has(w));
/** Up to 200 (the most a page holds). */
const ids = (q: string, opts: { limit?: number; offset?: number } = {}) => archive.search(q, { limit: 200, ...opts }).items.map((h) => h.id);

describe('every word in at least half of the articles: newest first', () => {
  it('`the` (in every article): saved date descending, says why, scores 0, exact count', () => {
    const page = archive.search('the', { limit: 20 });
    expect(page.sortedBy).toBe('saved');
    expect(page.sortReason).toBe('common-words');
    expect(page.items.map((h) => h.id)).toEqual(newestFirst(() => true).slice(0, 20));
    expect(page.items.map((h) => h.score)).toEqual(Array(20).fill(0));
    expect(page.total).toBe(N - 3);
    expect(page.totalIsLowerBound).toBeUndefined();
    // Not id order: the fixture would not tell date order from it otherwise.
    expect(newestFirst(() => true).slice(0, 20)).not.toEqual([...newestFirst(() => true)].sort((a, b) => b - a).slice(0, 20));
    // Every page, shallow (walking the date index) and deep (the whole match list), and the count
    // with a count limit (still exact: the index counts it).
    expect(ids('the', { limit: 30, offset: 20 })).toEqual(newestFirst(() => true).slice(20, 50));
    expect(ids('the', { limit: 50, offset: 60 })).toEqual(newestFirst(() => true).slice(60, 110));
    expect(archive.search('the', { limit: 5, countLimit: 5 })).toMatchObject({ total: N - 3 });
    expect(archive.search('the', { limit: 5, countLimit: 5 }).totalIsLowerBound).toBeUndefined();
  });

  it('at exactly half (FTS5 floors the weight) newest first; one article fewer keeps bm25', () => {
    // FTS5's own verdict, at the boundary: alpha's scores are at the floor, beta's are not.
    const scores = (w: string) => raw.prepare(`SELECT abs(bm25(article_fts)) FROM article_fts WHERE article_fts MATCH ?`).pluck().all(w) as number[];
    expect(scores('alpha')).toHaveLength(N / 2);
    expect(Math.max(...scores('alpha'))).toBeLessThan(1e-4);
    expect(scores('beta')).toHaveLength(N / 2 - 1);
    expect(Math.min(...scores('beta'))).toBeGreaterThan(1e-3);

    const alpha = archive.search('alpha', { limit: 200 });
    expect(alpha).toMatchObject({ sortedBy: 'saved', sortReason: 'common-words', total: N / 2 - 3 });
    expect(alpha.items.map((h) => h.id)).toEqual(newestFirst(has('alpha')));
    const beta = archive.search('beta', { limit: 200 });
    expect(beta.sortedBy).toBe('relevance');
    expect(beta.sortReason).toBeUndefined();
    expect(beta.items.map((h) => h.id)).toEqual(bm25Order('beta'));
    expect(beta.items.map((h) => h.id)).not.toEqual(newestFirst(has('beta')));
    expect(beta.items.every((h) => h.score > 0)).toBe(true);
  });

  it('common words missing from the newest articles: the page is still the newest matches', () => {
    expect(newestFirst(() => true).slice(0, 20).some((id) => newestFirst(has('oldword')).includes(id))).toBe(false);
    expect(archive.search('oldword', { limit: 5 })).toMatchObject({ sortedBy: 'saved', total: newestFirst(has('oldword')).length });
    expect(ids('oldword', { limit: 5 })).toEqual(newestFirst(has('oldword')).slice(0, 5));
    expect(ids('oldword', { limit: 20, offset: 60 })).toEqual(newestFirst(has('oldword')).slice(60, 80));
    expect(ids('oldword')).toEqual(newestFirst(has('oldword')));
    // A page the walk cannot fill although it reaches back to the oldest article.
    const oldFavorites = newestFirst((f) => f.favorite && f.words.has('oldword'));
    expect(oldFavorites.length).toBeLessThan(80);
    expect(ids('oldword is:favorite', { limit: 50, offset: 30 })).toEqual(oldFavorites.slice(30, 80));
  });

  it('phrases and prefixes go by their own document frequency', () => {
    expect(archive.search('"quick fox"')).toMatchObject({ sortedBy: 'saved', sortReason: 'common-words' });
    expect(ids('"quick fox"')).toEqual(newestFirst((f) => fixture.indexOf(f) % 10 !== 0 && fixture.indexOf(f) % 3 !== 0));
    // Both words are common; the phrase is not.
    expect(archive.search('"fox quick"').sortedBy).toBe('relevance');
    expect(ids('"fox quick"')).toEqual(bm25Order('"fox quick"'));
    expect(archive.search('fo*')).toMatchObject({ sortedBy: 'saved', sortReason: 'common-words' });
    expect(ids('fo*')).toEqual(newestFirst(has('fox')).slice(0, 200));
    expect(ids('fo*', { limit: 10, offset: 3 })).toEqual(newestFirst(has('fox')).slice(3, 13));
  });

  it('one informative word keeps bm25 (in an AND or an OR); an excluded rare word does not count', () => {
    for (const q of ['fox quasar', 'fox OR quasar', 'the fox beta']) {
      const page = archive.search(q, { limit: 200 });
      expect({ q, sortedBy: page.sortedBy, reason: page.sortReason }).toEqual({ q, sortedBy: 'relevance', reason: undefined });
      expect(page.items.map((h) => h.id)).toEqual(bm25Order(planTextQuery(parseQuery(q)).words!).slice(0, 200));
    }
    const page = archive.search('fox -quasar', { limit: 200 });
    expect(page).toMatchObject({ sortedBy: 'saved', sortReason: 'common-words' });
    const want = newestFirst((f) => f.words.has('fox') && !f.words.has('quasar'));
    expect(page.items.map((h) => h.id)).toEqual(want.slice(0, 200));
    expect(page.total).toBe(want.length);
  });

  it('filters narrow the newest-first list; a term bm25 never weighs leaves the order as it was', () => {
    const favorites = archive.search('the is:favorite', { limit: 10 });
    expect(favorites).toMatchObject({ sortedBy: 'saved', sortReason: 'common-words', total: newestFirst((f) => f.favorite).length });
    expect(favorites.items.map((h) => h.id)).toEqual(newestFirst((f) => f.favorite).slice(0, 10));
    // 東京 (two characters) is found by a substring scan, not by the ranked index.
    const tokyo = archive.search('the 東京');
    expect(tokyo.sortedBy).toBe('relevance');
    expect(tokyo.sortReason).toBeUndefined();
    expect(tokyo.items.map((h) => h.id).sort()).toEqual(newestFirst((f) => fixture.indexOf(f) % 20 === 3).sort());
  });

  it('an explicit sort: always wins', () => {
    const relevance = archive.search('the sort:relevance', { limit: 200 });
    expect(relevance.sortedBy).toBe('relevance');
    expect(relevance.sortReason).toBeUndefined();
    expect(relevance.items.map((h) => h.id)).toEqual(bm25Order('the').slice(0, 200));
    expect(relevance.items.some((h) => h.score !== 0)).toBe(true);
    const title = archive.search('alpha sort:title', { limit: 200 });
    expect(title.sortedBy).toBe('title');
    expect(title.sortReason).toBeUndefined();
    expect(title.items.map((h) => h.title)).toEqual(title.items.map((h) => h.title).sort());
    expect(archive.search('the sort:saved')).toMatchObject({ sortedBy: 'saved' });
    expect(archive.search('the sort:saved').sortReason).toBeUndefined();
  });

  it('folio search says so on stderr, in both output forms; not for an informative query', () => {
    ensureCliBuilt('build/app/cli/commands/search.js');
    const folio = (...args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, 'bin/folio.js'), 'search', ...args, '--db', file], {
        cwd: repoRoot,
        env: { ...process.env, NO_COLOR: '1' },
        encoding: 'utf8',
      });
    const human = folio('the', '--limit', '3');
    expect(human.status).toBe(0);
    expect(human.stderr).toBe('folio: note: ordered by date: every word searched for appears in most articles (sort:relevance ranks them anyway)\n');
    expect(human.stdout.split('\n')[0]).toMatch(new RegExp(`^#${newestFirst(() => true)[0]}  Entry `));
    const json = folio('alpha', '--json', '--limit', '3');
    expect(json.stderr).toContain('ordered by date');
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; score: number })).toEqual(
      newestFirst(has('alpha')).slice(0, 3).map((id) => expect.objectContaining({ id, score: 0 })),
    );
    const informative = folio('quasar');
    expect(informative.status).toBe(0);
    expect(informative.stderr).toBe('');
  }, 120_000);
});
