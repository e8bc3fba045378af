import type { PlanAtom, RankedPhrase, TextPlan } from '../core/query/to-fts5.js';
import type { ParsedQuery, QuerySort } from '../core/query/types.js';
import { filterSql, tagIdSql, type SiteNameCheck } from './filters.js';
import { UNSPACED_ROW_SQL } from './migrations/0004-substring-index.js';

/**
 * The SQL of one search, built from the parsed query and its text plan. Every term and filter
 * value is a bound parameter; the only text spliced in is this file's own.
 */

/** bm25 column weights: a word in the title counts 10x one in the body (see migration 0002). */
export const WORDS_BM25 = 'bm25(article_fts, 10.0, 3.0, 2.0, 1.0, 5.0)';
export const TRIGRAM_BM25 = 'bm25(article_trigram, 10.0, 3.0, 1.0)';
/** Substring matches past which an unranked page walks an index in order (see buildSearchSql). */
const LONG_SUBSTRING_LIST = 1000;

/** The full-text index a query reads first (its bm25 orders relevance results), and the statements that read it alone. */
export interface Ranker {
  index: 'article_fts' | 'article_trigram';
  match: string;
  /** The phrases bm25 weighs, each with its own document frequency. */
  phrases: RankedPhrase[];
  /**
   * True when the ranker's statements select exactly the rows of its one phrase (no exclusion,
   * no id condition): `countIndex` is then that phrase's document frequency.
   */
  lone: boolean;
  /**
   * True when `phrases` are all the query's text to look for: no other positive term is checked
   * by another index or a substring scan (those bm25 never weighs).
   */
  weighsAllText: boolean;
  /** `?` MATCH, `idParams`, `?` n: the n best (lowest bm25) rows as [rowid, bm25], best first. */
  candidates: string;
  /** As `candidates`, each row also carrying how many rows match (before the LIMIT). */
  candidatesCounted: string;
  /** `?` MATCH, `idParams`: how many rows match (trashed articles included). */
  countIndex: string;
  /** `?` MATCH, `idParams`: how many trashed articles match, driven by the (small) trash. */
  countTrashed: string;
  /** `?` MATCH, `idParams`: as countTrashed, driven by the matches (for a big trash). */
  countTrashedByScan: string;
  /** `?` a MATCH, `?` n − 1: a row when it matches at least n rows (stops there). */
  matchesAtLeast: string;
  /**
   * FTS5's averages record: its first varint is the number of rows in the index, the N of
   * bm25's inverse document frequency (one page read, where count(*) reads every row).
   */
  averages: string;
}

export interface SearchSql {
  /**
   * The full-text index the query reads first, if any. When results are ordered by relevance
   * (`sort`) the page is taken in two phases from it (search.ts).
   */
  ranker: Ranker | null;
  /**
   * Parameters of the conditions that need only the article id (terms of the other index,
   * OR groups, exclusions, substring matches, tags), which the ranker's statements check
   * inside the full-text query, before bm25 is computed for a row.
   */
  idParams: unknown[];
  /** True when no condition but the trash needs the article row: the index can count the results. */
  onlyTrash: boolean;
  /**
   * When the query is nothing but 1–2 character terms (one group of substring atoms, no
   * filter): the id of every article they match, trashed ones included, so the total is how
   * many of these are live. Null otherwise.
   */
  matchedIds: readonly number[] | null;
  /**
   * Phase two of a ranked page: `?` a JSON array of [id, rank] candidates, then `rowParams`,
   * then LIMIT and OFFSET. Orders by rank (equal bm25 = equal rank), then saved date and id, as
   * `page`; rows are [id, rank, candidates that passed the conditions].
   */
  candidatePage: string;
  /** Parameters of the conditions that need the article row (filters other than tags). */
  rowParams: unknown[];
  /** The whole page in one statement (every match joined and ordered): `allParams`, LIMIT, OFFSET. */
  page: string;
  /** Exact count of the results: `allParams`. */
  count: string;
  /** Count of at most `?` results: `allParams`, then the cap. */
  cappedCount: string;
  /** The ranker's MATCH (if any), `idParams`, `rowParams`. */
  allParams: unknown[];
  /**
   * Newest first without ranking (when bm25 has nothing to rank by, see search.ts newestPage):
   * walks the live articles' saved-date index from the newest and looks each one up in the
   * ranker's index, going no further back than the `?`-th newest live article, then
   * `newestParams`, LIMIT and OFFSET. Null without a ranker.
   */
  newestWalk: string | null;
  /**
   * Newest first from the ranker's whole match list, held in a temporary index while the same
   * saved-date index is walked: `newestParams`, LIMIT, OFFSET. Null without a ranker.
   */
  newestPage: string | null;
  /** `rowParams`, `idParams`, the ranker's MATCH. */
  newestParams: unknown[];
  sort: QuerySort;
}

/** A condition on an article id, written for a given id expression (`a.id`, `+rowid`…). */
type IdCondition = (id: string) => string;

/**
 * FROM the most selective ranked index available (word index, else trigram, else the plain
 * table), then every other part of the query as a condition on the article (id or row).
 * `sitesByName`: see filterSql.
 */
export function buildSearchSql(query: ParsedQuery, plan: TextPlan, substringIds: SubstringIds, sitesByName?: SiteNameCheck): SearchSql {
  let longestList = 0;
  const lists: (readonly number[])[] = [];
  const ids: SubstringIds = (atom) => {
    const found = substringIds(atom);
    longestList = Math.max(longestList, found.length);
    lists.push(found);
    return found;
  };
  const idConditions: IdCondition[] = [];
  const idParams: unknown[] = [];
  let index: 'article_fts' | 'article_trigram' | null = null;
  let match: string | null = null;
  let score = '0.0';
  if (plan.words) {
    [index, match, score] = ['article_fts', plan.words, WORDS_BM25];
    if (plan.trigram) {
      idConditions.push((id) => `${id} IN (SELECT rowid FROM article_trigram WHERE article_trigram MATCH ?)`);
      idParams.push(plan.trigram);
    }
  } else if (plan.trigram) {
    [index, match, score] = ['article_trigram', plan.trigram, TRIGRAM_BM25];
  }
  for (const group of plan.groups) {
    const parts = group.map((atom) => atomSql(atom, idParams, ids));
    idConditions.push((id) => `(${parts.map((part) => part(id)).join(' OR ')})`);
  }
  for (const atom of plan.exclude) {
    const part = atomSql(atom, idParams, ids);
    idConditions.push((id) => `NOT ${part(id)}`);
  }
  for (const f of query.filters) {
    if (f.kind !== 'tag') continue;
    idConditions.push((id) => tagIdSql(f.negated, id));
    idParams.push(f.value);
  }
  const filters = filterSql(query.filters.filter((f) => f.kind !== 'tag'), sitesByName);
  const rowConditions = ['a.deleted_at IS NULL', ...filters.where].join(' AND ');

  const ranked = index !== null;
  const sort: QuerySort = query.sort === 'relevance' && !ranked ? 'saved' : (query.sort ?? (ranked ? 'relevance' : 'saved'));
  const from = index ? `${index} JOIN articles a ON a.id = ${index}.rowid` : 'articles a';
  const where = (id: string) => [...(index ? [`${index} MATCH ?`] : []), ...idConditions.map((c) => c(id)), rowConditions].join(' AND ');
  // With thousands of substring matches SQLite would look each one up and sort them all for a
  // page of 20; `+a.id` makes it walk the saved-date index instead and test each id against
  // the list, stopping at the page's end (東京, 3,344 matches at 100,000 articles: 2.4 → 0.8 ms;
  // with a few matches the lookups win: 3 matches, 0.01 ms against 3.5 ms).
  const pageId = !index && longestList > LONG_SUBSTRING_LIST ? '+a.id' : 'a.id';
  const phrases = index === 'article_fts' ? plan.wordPhrases : plan.trigramPhrases;
  // Newest first: `+a.id` so that no id condition (a tag's articles…) drives the query instead
  // of the saved-date index, which would mean looking up and sorting every such article.
  const newest = [rowConditions, ...idConditions.map((c) => c('+a.id'))];
  const newestOrder = 'ORDER BY a.saved_at DESC, a.id DESC LIMIT ? OFFSET ?';
  return {
    ranker:
      index && match !== null
        ? { ...rankerSql(index, match, score, idConditions, phrases), weighsAllText: plan.groups.length === 0 && !(plan.words && plan.trigram) }
        : null,
    idParams,
    onlyTrash: filters.where.length === 0,
    matchedIds:
      !index && plan.groups.length === 1 && plan.groups[0]!.every((a) => a.route === 'substring') && plan.exclude.length === 0 && query.filters.length === 0
        ? lists.length === 1 ? lists[0]! : [...new Set(lists.flat())]
        : null,
    candidatePage:
      `SELECT a.id, c.r, count(*) OVER () AS passed FROM (SELECT value ->> 0 AS id, value ->> 1 AS r FROM json_each(?)) c ` +
      `CROSS JOIN articles a ON a.id = c.id WHERE ${rowConditions} ORDER BY c.r, a.saved_at DESC, a.id DESC LIMIT ? OFFSET ?`,
    rowParams: filters.params,
    // bm25 is lower for better matches; the hit's score is its negation (higher = better).
    page: `SELECT a.id, -(${score}) AS score FROM ${from} WHERE ${where(pageId)} ORDER BY ${orderBy(sort, score)} LIMIT ? OFFSET ?`,
    count: `SELECT count(*) AS n FROM ${from} WHERE ${where('a.id')}`,
    cappedCount: `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where('a.id')} LIMIT ?)`,
    allParams: [...(match !== null ? [match] : []), ...idParams, ...filters.params],
    newestWalk: index
      ? `SELECT a.id FROM articles a WHERE a.saved_at >= coalesce((SELECT e.saved_at FROM articles e WHERE e.deleted_at IS NULL ` +
        `ORDER BY e.saved_at DESC, e.id DESC LIMIT 1 OFFSET ?), '') AND ${newest.join(' AND ')} ` +
        // A correlated subquery, so SQLite tests it after every other condition (the cheap ones).
        `AND EXISTS (SELECT 1 FROM ${index} WHERE ${index} MATCH ? AND rowid = a.id) ${newestOrder}`
      : null,
    newestPage: index ? `SELECT a.id FROM articles a WHERE ${newest.join(' AND ')} AND +a.id IN (SELECT rowid FROM ${index} WHERE ${index} MATCH ?) ${newestOrder}` : null,
    newestParams: [...filters.params, ...idParams, ...(match !== null ? [match] : [])],
    sort,
  };
}

/**
 * The statements on the full-text index alone. Inside them the id conditions test `+rowid`:
 * the `+` keeps FTS5 from taking an IN list as rowids to seek one by one (restarting the
 * MATCH for each), so each row the MATCH yields is looked up in the list instead.
 */
function rankerSql(
  index: 'article_fts' | 'article_trigram',
  match: string,
  score: string,
  conditions: IdCondition[],
  phrases: RankedPhrase[],
): Omit<Ranker, 'weighsAllText'> {
  const on = (id: string) => conditions.map((c) => ` AND ${c(id)}`).join('');
  return {
    index,
    match,
    phrases,
    lone: phrases.length === 1 && phrases[0]!.match === match && conditions.length === 0,
    candidates: `SELECT rowid, ${score} FROM ${index} WHERE ${index} MATCH ?${on('+rowid')} ORDER BY 2 LIMIT ?`,
    // FTS5 refuses bm25 under a window function: score the rows first, then count them.
    candidatesCounted:
      `WITH m AS MATERIALIZED (SELECT rowid AS id, ${score} AS s FROM ${index} WHERE ${index} MATCH ?${on('+rowid')}) ` +
      `SELECT id, s, count(*) OVER () FROM m ORDER BY s LIMIT ?`,
    countIndex: `SELECT count(*) AS n FROM ${index} WHERE ${index} MATCH ?${on('+rowid')}`,
    countTrashed:
      `SELECT count(*) AS n FROM articles a CROSS JOIN ${index} ON ${index}.rowid = a.id ` +
      `WHERE a.deleted_at IS NOT NULL AND ${index} MATCH ?${on('+a.id')}`,
    countTrashedByScan:
      `SELECT count(*) AS n FROM ${index} WHERE ${index} MATCH ?${on('+rowid')} ` +
      `AND +rowid IN (SELECT id FROM articles WHERE deleted_at IS NOT NULL)`,
    matchesAtLeast: `SELECT 1 FROM ${index} WHERE ${index} MATCH ? LIMIT 1 OFFSET ?`,
    averages: `SELECT block FROM ${index}_data WHERE id = 1`,
  };
}

export type SubstringAtom = Extract<PlanAtom, { route: 'substring' }>;
/** The ids of the articles matching a substring atom (found once per search by substringScan). */
export type SubstringIds = (atom: SubstringAtom) => readonly number[];

/** One alternative of a mixed group, as a condition on an article id. */
function atomSql(atom: PlanAtom, params: unknown[], substringIds: SubstringIds): IdCondition {
  if (atom.route === 'words') {
    params.push(atom.match);
    return (id) => `${id} IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)`;
  }
  if (atom.route === 'trigram') {
    params.push(atom.match);
    return (id) => `${id} IN (SELECT rowid FROM article_trigram WHERE article_trigram MATCH ?)`;
  }
  // Scanned once up front rather than in each statement (page, count): half the work.
  params.push(JSON.stringify(substringIds(atom)));
  return (id) => `${id} IN (SELECT value FROM json_each(?))`;
}

/**
 * Terms below the trigram size (1–2 characters) are found by `instr` over the columns the
 * trigram index covers, read from the partial index of migration 0004 (UNSPACED_ROW_SQL
 * repeated word for word so the planner can use it). Returns article_search ids (= article
 * ids, trashed ones included).
 */
export function substringScan(atom: SubstringAtom): { sql: string; params: string[] } {
  const columns = atom.field === 'title' ? ['title'] : atom.field === 'author' ? ['byline'] : ['title', 'byline', 'cjk_text'];
  // SQLite's lower() folds ASCII letters only, so without any in the needle it changes nothing
  // a match depends on: leave it out (a third of the scan's time).
  const fold = /[A-Za-z]/.test(atom.needle);
  const tests = columns.map((c) => (fold ? `instr(lower(${c}), lower(?)) > 0` : `instr(${c}, ?) > 0`));
  return {
    sql: `SELECT article_id FROM article_search WHERE ${UNSPACED_ROW_SQL} AND (${tests.join(' OR ')})`,
    params: columns.map(() => atom.needle),
  };
}

function orderBy(sort: QuerySort, score: string): string {
  switch (sort) {
    case 'relevance':
      return `${score}, a.saved_at DESC, a.id DESC`;
    case 'published':
      return 'a.published_at DESC, a.id DESC';
    case 'title':
      return 'a.title COLLATE NOCASE ASC, a.id ASC';
    case 'saved':
      return 'a.saved_at DESC, a.id DESC';
  }
}
