import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/core/query/parse-query.js';
import { planTextQuery, type PlanAtom } from '../../app/core/query/to-fts5.js';
import type { QuerySort } from '../../app/core/query/types.js';
import type { Archive } from '../../app/store/archive.js';
import { filterSql } from '../../app/store/filters.js';
import { openArchive } from '../../app/store/open-archive.js';
import { generateText, makeCapture, rng } from '../helpers/make-capture.js';

/**
 * The fast search paths (two-phase ranked page, counts from the index alone, capped counts,
 * the substring scan over migration 0004's index, newest first when no word is informative)
 * must give exactly what the plain one-statement query gives: same ids in the same order, same
 * scores, same total. The reference below is that query, kept verbatim from app/store/search.ts
 * before those changes, plus one rule applied by its own means (flatRanking: when every word
 * is in at least half of the rows, relevance becomes newest first), and run on its own
 * connection to the same archive.
 *
 * The archive is shaped to reach every branch: more matches than the first candidate batch
 * (so the exactness check decides), articles with identical text (equal bm25: ties broken by
 * saved date and id), a rare tag (filters that drop most candidates: the second try), a small
 * trash and then a big one (both ways of discounting trashed matches), and Japanese text for
 * the trigram index and 1–2 character terms.
 */

const WORDS_BM25 = 'bm25(article_fts, 10.0, 3.0, 2.0, 1.0, 5.0)';
const TRIGRAM_BM25 = 'bm25(article_trigram, 10.0, 3.0, 1.0)';

/**
 * FTS5 weighs a phrase in n of N rows at its floor (1e-6) when 2n ≥ N: bm25 then has nothing to
 * rank by when that holds for every positive phrase of the ranked MATCH and the query has no
 * other text (search.ts rankingSignal). Counted here the plain way: N the rows of
 * article_search (the index's content, trashed articles included), n a full count per phrase.
 */
function flatRanking(plan: ReturnType<typeof planTextQuery>): boolean {
  const phrases = plan.words ? plan.wordPhrases : plan.trigramPhrases;
  const index = plan.words ? 'article_fts' : 'article_trigram';
  if (phrases.length === 0 || plan.groups.length > 0 || (plan.words && plan.trigram)) return false;
  const rows = (reference.prepare('SELECT count(*) AS n FROM article_search').get() as { n: number }).n;
  const count = (match: string) => (reference.prepare(`SELECT count(*) AS n FROM ${index} WHERE ${index} MATCH ?`).get(match) as { n: number }).n;
  return rows > 0 && phrases.every((p) => 2 * count(p.match) >= rows);
}

function referenceSql(input: string): { page: string; count: string; params: unknown[] } {
  const query = parseQuery(input);
  const plan = planTextQuery(query);
  const where: string[] = ['a.deleted_at IS NULL'];
  const params: unknown[] = [];
  let from: string;
  let score: string;
  if (plan.words) {
    from = 'article_fts JOIN articles a ON a.id = article_fts.rowid';
    where.push('article_fts MATCH ?');
    params.push(plan.words);
    score = WORDS_BM25;
    if (plan.trigram) {
      where.push('a.id IN (SELECT rowid FROM article_trigram WHERE article_trigram MATCH ?)');
      params.push(plan.trigram);
    }
  } else if (plan.trigram) {
    from = 'article_trigram JOIN articles a ON a.id = article_trigram.rowid';
    where.push('article_trigram MATCH ?');
    params.push(plan.trigram);
    score = TRIGRAM_BM25;
  } else {
    from = 'articles a';
    score = '0.0';
  }
  const atomSql = (atom: PlanAtom): string => {
    if (atom.route === 'words') {
      params.push(atom.match);
      return 'a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)';
    }
    if (atom.route === 'trigram') {
      params.push(atom.match);
      return 'a.id IN (SELECT rowid FROM article_trigram WHERE article_trigram MATCH ?)';
    }
    const columns = atom.field === 'title' ? ['title'] : atom.field === 'author' ? ['byline'] : ['title', 'byline', 'cjk_text'];
    for (let i = 0; i < columns.length; i++) params.push(atom.needle);
    return `a.id IN (SELECT article_id FROM article_search WHERE ${columns.map((c) => `instr(lower(${c}), lower(?)) > 0`).join(' OR ')})`;
  };
  for (const group of plan.groups) where.push(`(${group.map(atomSql).join(' OR ')})`);
  for (const atom of plan.exclude) where.push(`NOT ${atomSql(atom)}`);
  const filters = filterSql(query.filters);
  where.push(...filters.where);
  params.push(...filters.params);
  if (query.sort === null && score !== '0.0' && flatRanking(plan)) score = '0.0';
  const ranked = score !== '0.0';
  const sort: QuerySort = query.sort === 'relevance' && !ranked ? 'saved' : (query.sort ?? (ranked ? 'relevance' : 'saved'));
  const order = {
    relevance: `${score}, a.saved_at DESC, a.id DESC`,
    published: 'a.published_at DESC, a.id DESC',
    title: 'a.title COLLATE NOCASE ASC, a.id ASC',
    saved: 'a.saved_at DESC, a.id DESC',
  }[sort];
  const conditions = where.join(' AND ');
  return {
    page: `SELECT a.id, -(${score}) AS score FROM ${from} WHERE ${conditions} ORDER BY ${order} LIMIT ? OFFSET ?`,
    count: `SELECT count(*) AS n FROM ${from} WHERE ${conditions}`,
    params,
  };
}

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
  const sql = referenceSql(q);
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
    const n = (q: string) => (reference.prepare(referenceSql(q).count).get(...referenceSql(q).params) as { n: number }).n;
    expect(n('the')).toBeGreaterThan(1000); // more matches than the first candidate batches
    expect(n('tag:rare the')).toBeLessThan(20); // a filter that drops almost every candidate
    expect(n('東京')).toBeGreaterThan(20);
    expect(n('記')).toBeGreaterThan(1000); // a long substring list (the unranked page walks an index)
    const scores = reference.prepare(referenceSql('archive').page).all(...referenceSql('archive').params, 1000, 0) as { score: number }[];
    expect(new Set(scores.map((r) => r.score)).size).toBeLessThan(scores.length); // ties exist
    // Both sides of the no-signal rule: all words common, and common words with a rare one.
    const flat = (q: string) => flatRanking(planTextQuery(parseQuery(q)));
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
