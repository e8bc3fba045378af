import { SNIPPET_MARK_END, SNIPPET_MARK_START, type ListPage, type SearchHit } from '../core/article.js';
import { parseQuery } from '../core/query/parse-query.js';
import { planTextQuery, type PlanAtom, type TextPlan } from '../core/query/to-fts5.js';
import type { ParsedQuery, QuerySort } from '../core/query/types.js';
import type { ArticlesRepo } from './articles-repo.js';
import type { StoreContext } from './context.js';
import { filterSql } from './filters.js';
import { hasMarks, highlight, leadOf, snippetAround } from './snippet.js';

export interface SearchOptions {
  /** Default 50, at most 200. */
  limit?: number;
  offset?: number;
}

/** A page of hits plus the parsed query (for showing warnings and the effective sort). */
export type SearchPage = ListPage<SearchHit> & { query: ParsedQuery };

/** bm25 column weights: a word in the title counts 10x one in the body (see migration 0002). */
const WORDS_BM25 = 'bm25(article_fts, 10.0, 3.0, 2.0, 1.0, 5.0)';
const TRIGRAM_BM25 = 'bm25(article_trigram, 10.0, 3.0, 1.0)';
/** FTS5 snippet(): body column (3), ~32 tokens. */
const SNIPPET_TOKENS = 32;

const LIMIT_DEFAULT = 50;
const LIMIT_MAX = 200;

/**
 * Runs Folio's query language (app/core/query) against the archive. The only place that turns
 * a parsed query into SQL; every term and filter value is a bound parameter.
 */
export class SearchRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly articles: ArticlesRepo,
  ) {}

  search(input: string, opts: SearchOptions = {}): SearchPage {
    const query = parseQuery(input);
    const limit = clampInt(opts.limit, 1, LIMIT_MAX, LIMIT_DEFAULT);
    const offset = clampInt(opts.offset, 0, Number.MAX_SAFE_INTEGER, 0);
    if (query.isEmpty) return { items: [], total: 0, offset, limit, query };

    const plan = planTextQuery(query);
    const sql = buildSql(query, plan);
    return this.ctx.read(() => {
      const page = this.ctx.stmt<{ id: number; score: number }>(sql.page).all(...sql.params, limit, offset);
      const total = this.ctx.stmt<{ n: number }>(sql.count).get(...sql.params)!.n;
      const ids = page.map((r) => r.id);
      const scores = new Map(page.map((r) => [r.id, r.score]));
      const snippets = this.snippets(ids, query, plan);
      const items = this.articles.summaries(ids).map(
        (s): SearchHit => ({ ...s, snippet: snippets.get(s.id) ?? '', score: scores.get(s.id) ?? 0 }),
      );
      return { items, total, offset, limit, query };
    });
  }

  /** SQLite's plan for the page query (tests, diagnostics). */
  explain(input: string): string[] {
    const query = parseQuery(input);
    if (query.isEmpty) return [];
    const sql = buildSql(query, planTextQuery(query));
    return this.ctx
      .stmt<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql.page}`)
      .all(...sql.params, 1, 0)
      .map((r) => r.detail);
  }

  /**
   * Snippets for the returned page only: FTS5 snippet() over the body when the word index
   * matched there; else a window around the first substring match (unspaced scripts); else
   * the excerpt or the beginning of the text with the query's words marked (title/tag hits).
   */
  private snippets(ids: number[], query: ParsedQuery, plan: TextPlan): Map<number, string> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const idList = JSON.stringify(ids);
    if (plan.words) {
      const rows = this.ctx
        .stmt<{ id: number; snippet: string | null }>(
          `SELECT rowid AS id, snippet(article_fts, 3, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet FROM article_fts
            WHERE article_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
        )
        .all(SNIPPET_MARK_START, SNIPPET_MARK_END, plan.words, idList);
      for (const r of rows) if (hasMarks(r.snippet)) out.set(r.id, r.snippet!);
    }
    const missing = ids.filter((id) => !out.has(id));
    if (missing.length === 0) return out;
    const rows = this.ctx
      .stmt<{ id: number; text: string; excerpt: string | null; title: string }>(
        `SELECT s.article_id AS id, s.text, a.excerpt, a.title FROM article_search s JOIN articles a ON a.id = s.article_id
          WHERE s.article_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(missing));
    const words = query.include.flat().map((t) => t.text);
    for (const r of rows) {
      const around = plan.substringNeedles.length > 0 ? snippetAround(r.text, plan.substringNeedles) : null;
      out.set(r.id, around ?? highlight(r.excerpt ?? (r.text ? leadOf(r.text) : r.title), words));
    }
    return out;
  }
}

interface BuiltSql {
  page: string;
  count: string;
  params: unknown[];
}

/**
 * FROM the most selective ranked index available (word index, else trigram, else the plain
 * table), then every other part of the query as a condition on `a`.
 */
function buildSql(query: ParsedQuery, plan: TextPlan): BuiltSql {
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
  for (const group of plan.groups) {
    const parts = group.map((atom) => atomSql(atom, params));
    where.push(`(${parts.join(' OR ')})`);
  }
  for (const atom of plan.exclude) where.push(`NOT ${atomSql(atom, params)}`);
  const filters = filterSql(query.filters);
  where.push(...filters.where);
  params.push(...filters.params);

  const ranked = score !== '0.0';
  const sort: QuerySort = query.sort === 'relevance' && !ranked ? 'saved' : (query.sort ?? (ranked ? 'relevance' : 'saved'));
  const conditions = where.join(' AND ');
  return {
    // bm25 is lower for better matches; the hit's score is its negation (higher = better).
    page: `SELECT a.id, -(${score}) AS score FROM ${from} WHERE ${conditions} ORDER BY ${orderBy(sort, score)} LIMIT ? OFFSET ?`,
    count: `SELECT count(*) AS n FROM ${from} WHERE ${conditions}`,
    params,
  };
}

function atomSql(atom: PlanAtom, params: unknown[]): string {
  if (atom.route === 'words') {
    params.push(atom.match);
    return 'a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)';
  }
  if (atom.route === 'trigram') {
    params.push(atom.match);
    return 'a.id IN (SELECT rowid FROM article_trigram WHERE article_trigram MATCH ?)';
  }
  // Below the trigram size (1–2 characters): a scan of the columns the trigram index covers.
  const columns = atom.field === 'title' ? ['title'] : atom.field === 'author' ? ['byline'] : ['title', 'byline', 'cjk_text'];
  for (let i = 0; i < columns.length; i++) params.push(atom.needle);
  return `a.id IN (SELECT article_id FROM article_search WHERE ${columns
    .map((c) => `instr(lower(${c}), lower(?)) > 0`)
    .join(' OR ')})`;
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

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
