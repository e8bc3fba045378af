import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/core/query/parse-query.js';
import { planTextQuery } from '../../app/core/query/to-fts5.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { generateText, makeCapture, rng } from '../helpers/make-capture.js';
import { flatRanking, referenceSql } from '../helpers/reference-search.js';

/**
 * The fast search paths (two-phase ranked page, counts from the index alone, capped counts,
 * the substring scan over migration 0004's index, newest first when no word is informative)
 * must give exactly what the plain one-statement query gives: same ids in the same order, same
 * scores, same total. The reference (tests/helpers/reference-search.ts) is that query, kept verbatim
 * from app/store/search.ts before those changes, plus one rule applied by its own means (flatRanking: when every word
 * is in at least half of the rows, relevance becomes newest first), and run on its own
 * connection to the same archive.
 *
 * The archive is shaped to reach every branch: more matches than the first candidate batch
 * (so the exactness check decides), articles with identical text (equal bm25: ties broken by
 * saved date and id), a rare tag (filters that drop most candidates: the second try), a small
 * trash and then a big one (both ways of discounting trashed matches), and Japanese text for
 * the trigram index and 1–2 character terms.
 */

const JAPANESE = [
  '市立図書館は駅前の再開発にあわせて新しい建物に移転した。',
  '東京の古書店街では古い地図を探す観光客が目立つ。',
  '研究者たちは地域の歴史資料をデジタル化している。',
  '春の桜の季節には川沿いの公園で読書会が開かれた。',
];
const SITES = ['example.com', 'news.example.org', 'blog.example.net', 'journal.example.edu'];
const ARTICLES = 1300;

let dir: string;
let archive: Archive;
let reference: Database.Database;
const liveIds: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-search-eq-'));
  const file = join(dir, 'folio.db');
  archive = openArchive(file);
  const next = rng(99);
  for (let i = 0; i < ARTICLES; i++) {
    // Every 13th article repeats an earlier one's title and text: equal bm25 scores.
    const source = i % 13 === 12 ? i - 6 : i;
    let text = generateText(source + 1, 40);
    if (source % 9 === 0) text += `\n\n${JAPANESE.slice(0, 1 + (source % 4)).join('')}`;
    const title = source % 50 === 0 ? `東京の${generateText(source + 7, 3).replace(/\.$/, '')}` : undefined;
    // Most bylines hold a Japanese word, so a one-character term has more than 1,000 matches.
    const byline = i % 6 === 0 ? 'Ada Lovelace' : '記者';
    const { capture, blobs } = makeCapture({ seed: i + 1, text, words: 40, title, byline, host: SITES[i % SITES.length], lang: i % 9 === 0 ? 'ja' : 'en' });
    // A handful of identical saved dates, so ties fall through to the id.
    const savedAt = new Date(Date.UTC(2023, 0, 1) + Math.floor(i / 3) * 3_600_000).toISOString();
    const tags = [i % 100 === 0 ? 'rare' : i % 4 === 0 ? 'research' : 'misc'];
    const { id } = archive.saveCapture(capture, blobs, { tags, savedAt, read: next() < 0.4, favorite: next() < 0.1 });
    liveIds.push(id);
  }
  archive.deleteArticles(liveIds.filter((_, i) => i % 97 === 5)); // a small trash: 13 articles
  reference = new Database(file, { readonly: true });
}, 60_000);

afterAll(() => {
  reference?.close();
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

const QUERIES = [
  'the', 'of and', 'archive', 'library OR museum', '"the library"', 'develop*', 'quiet -river', 'title:garden',
  'science tag:research', 'tag:rare the', 'tag:rare', 'site:news.example.org the', 'is:unread the', '-the is:favorite',
  'lang:ja', 'is:favorite OR', 'river -tag:research', '東京', '図書館', '東京 the', 'title:東', '図書館 OR 東京', '東 -京都',
  '研究者 river', '記', '記 sort:title', '記 -東', 'author:記 is:unread', 'river sort:saved', 'river sort:title', 'river sort:published', 'garden before:2023-02-01', 'garden after:2023-02-01',
  'nomatchword', 'the -"the of"', 'title:"east river"', 'writer*',
  // Every word in at least half of the articles (newest first) or not, and sort: over that.
  'the of', 'the journal', 'journal -the', 'the is:favorite', 'the tag:research', 'the sort:relevance', 'the sort:title', 'the OR rare', 'the rare', '"of the"',
  't*', '"the library" the',
];
const PAGES: [limit: number, offset: number][] = [[20, 0], [20, 20], [7, 3], [50, 180], [200, 1000], [20, 5000]];

function expectSameAsReference(q: string): void {
  const sql = referenceSql(reference, q, { flatRule: true });
  const exact = (reference.prepare(sql.count).get(...sql.params) as { n: number }).n;
  for (const [limit, offset] of PAGES) {
    const want = reference.prepare(sql.page).all(...sql.params, limit, offset) as { id: number; score: number }[];
    const got = archive.search(q, { limit, offset });
    expect({ q, limit, offset, ids: got.items.map((h) => h.id) }).toEqual({ q, limit, offset, ids: want.map((r) => r.id) });
    // `+ 0`: an unranked score is 0 either way, but SQLite's -(0.0) is -0 (the same in JSON).
    expect(got.items.map((h) => h.score + 0)).toEqual(want.map((r) => r.score + 0));
    const words = planTextQuery(parseQuery(q)).words;
    if (words && got.items.length > 0) {
      // FTS5's snippet for each hit, as the one statement over the page's ids made it.
      const snippets = new Map(
        (
          reference
            .prepare(
              `SELECT rowid AS id, snippet(article_fts, 3, '\u{E000}', '\u{E001}', '…', 32) AS s FROM article_fts
                WHERE article_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
            )
            .all(words, JSON.stringify(got.items.map((h) => h.id))) as { id: number; s: string }[]
        ).filter((r) => (r.s ?? '').includes('\u{E000}')).map((r) => [r.id, r.s]),
      );
      expect(got.items.filter((h) => snippets.has(h.id)).map((h) => h.snippet)).toEqual(
        got.items.filter((h) => snippets.has(h.id)).map((h) => snippets.get(h.id)),
      );
    }
    expect({ q, total: got.total, lowerBound: got.totalIsLowerBound }).toEqual({ q, total: exact, lowerBound: undefined });

    // With a count limit the total is exact, or the cap with the flag when there are more.
    const capped = archive.search(q, { limit, offset, countLimit: 100 });
    expect(capped.items.map((h) => h.id)).toEqual(want.map((r) => r.id));
    const cap = Math.max(100, offset + limit);
    if (capped.totalIsLowerBound) expect({ q, total: capped.total, more: exact > cap }).toEqual({ q, total: cap, more: true });
    else expect({ q, total: capped.total }).toEqual({ q, total: exact });
  }
}

describe('search gives what the one-statement query gave', () => {
  it('the fixture reaches the branches it is meant to', () => {
    const n = (q: string) => (reference.prepare(referenceSql(reference, q, { flatRule: true }).count).get(...referenceSql(reference, q, { flatRule: true }).params) as { n: number }).n;
    expect(n('the')).toBeGreaterThan(1000); // more matches than the first candidate batches
    expect(n('tag:rare the')).toBeLessThan(20); // a filter that drops almost every candidate
    expect(n('東京')).toBeGreaterThan(20);
    expect(n('記')).toBeGreaterThan(1000); // a long substring list (the unranked page walks an index)
    const scores = reference.prepare(referenceSql(reference, 'archive', { flatRule: true }).page).all(...referenceSql(reference, 'archive', { flatRule: true }).params, 1000, 0) as { score: number }[];
    expect(new Set(scores.map((r) => r.score)).size).toBeLessThan(scores.length); // ties exist
    // Both sides of the no-signal rule: all words common, and common words with a rare one.
    const flat = (q: string) => flatRanking(reference, planTextQuery(parseQuery(q)));
    // (Every site name reads "The … Journal"; 1 article in 100 has the tag "rare".)
    expect(['the', 'the journal', 't*', 'the -"the of"', 'journal -the'].map(flat)).toEqual([true, true, true, true, true]);
    expect(['the of', 'the rare', 'the OR rare', '"the library"', '東京 the'].map(flat)).toEqual([false, false, false, false, false]);
  });

  it.each(QUERIES)('with a small trash: %s', (q) => {
    expectSameAsReference(q);
  });

  it('with a big trash (past the per-article check)', () => {
    archive.deleteArticles(liveIds.filter((_, i) => i % 5 === 1)); // 260 more
    for (const q of QUERIES) expectSameAsReference(q);
  });
});
