import type Database from 'better-sqlite3';
import { parseQuery } from '../../app/core/query/parse-query.js';
import { planTextQuery, type PlanAtom } from '../../app/core/query/to-fts5.js';
import type { QuerySort } from '../../app/core/query/types.js';
import { filterSql } from '../../app/store/filters.js';

/**
 * The plain way to run a Folio query: one statement that joins every match to its article and
 * orders them all by bm25 (or the requested order), and one that counts them; 1–2 character CJK
 * terms by an instr scan of every row. Kept verbatim from app/store/search.ts before issue #6's
 * changes. tests/integration/search-equivalence.test.ts holds today's search to its answers;
 * the benchmark times it as the naive FTS5 baseline (tests/bench/search-bench.ts).
 *
 * `snippet`: the page statement also makes each row's snippet (the naive baseline's).
 * `flatRule`: also apply the rule today's search follows by its own means (flatRanking below:
 * when every word is in at least half of the rows, relevance becomes newest first). The
 * equivalence test wants it; the naive baseline does not (it always ranks).
 */

const WORDS_BM25 = 'bm25(article_fts, 10.0, 3.0, 2.0, 1.0, 5.0)';
const TRIGRAM_BM25 = 'bm25(article_trigram, 10.0, 3.0, 1.0)';

/**
 * FTS5 weighs a phrase in n of N rows at its floor (1e-6) when 2n ≥ N: bm25 then has nothing to
 * rank by when that holds for every positive phrase of the ranked MATCH and the query has no
 * other text (search.ts rankingSignal). Counted here the plain way: N the rows of
 * article_search (the index's content, trashed articles included), n a full count per phrase.
 */
export function flatRanking(reference: Database.Database, plan: ReturnType<typeof planTextQuery>): boolean {
  const phrases = plan.words ? plan.wordPhrases : plan.trigramPhrases;
  const index = plan.words ? 'article_fts' : 'article_trigram';
  if (phrases.length === 0 || plan.groups.length > 0 || (plan.words && plan.trigram)) return false;
  const rows = (reference.prepare('SELECT count(*) AS n FROM article_search').get() as { n: number }).n;
  const count = (match: string) => (reference.prepare(`SELECT count(*) AS n FROM ${index} WHERE ${index} MATCH ?`).get(match) as { n: number }).n;
  return rows > 0 && phrases.every((p) => 2 * count(p.match) >= rows);
}

export function referenceSql(
  reference: Database.Database,
  input: string,
  opts: { flatRule: boolean; snippet?: boolean },
): { page: string; count: string; params: unknown[]; words: string | null } {
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
  if (opts.flatRule && query.sort === null && score !== '0.0' && flatRanking(reference, plan)) score = '0.0';
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
    // With `snippet`, each row's FTS5 snippet is a column of the same statement, the plain way (so
    // SQLite makes one for every match it sorts, not only for the page).
    page: `SELECT a.id, -(${score}) AS score${opts.snippet && plan.words ? `, snippet(article_fts, 3, '<b>', '</b>', '…', 32) AS snippet` : ''} FROM ${from} WHERE ${conditions} ORDER BY ${order} LIMIT ? OFFSET ?`,
    count: `SELECT count(*) AS n FROM ${from} WHERE ${conditions}`,
    params,
    words: plan.words,
  };
}
