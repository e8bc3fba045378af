import { SNIPPET_MARK_END, SNIPPET_MARK_START, type ListPage, type SearchHit, type SearchOrder } from '../core/article.js';
import { parseQuery } from '../core/query/parse-query.js';
import { planTextQuery, type RankedPhrase, type TextPlan } from '../core/query/to-fts5.js';
import type { ParsedQuery } from '../core/query/types.js';
import type { ArticlesRepo } from './articles-repo.js';
import { bigramLookup, bigramTerms, isBigram, type IdStatement } from './bigram-lookup.js';
import type { StoreContext } from './context.js';
import { buildSearchSql, substringScan, type Ranker, type SearchSql, type SubstringAtom } from './search-sql.js';
import { hasMarks, highlight, leadOf, snippetAround } from './snippet.js';

export interface SearchOptions {
  /** Default 50, at most 200. */
  limit?: number;
  offset?: number;
  /**
   * Stop counting past this many results (at least offset + limit) when an exact count would
   * read every match's article (filters on state, site, language or dates; queries with no
   * word or 3+ character CJK term); the page then has `totalIsLowerBound`. Unset: `total` is
   * always exact. Other queries are counted exactly either way, from the index (cheap).
   */
  countLimit?: number;
}

/** A page of hits, the order it is in, and the parsed query (for showing its warnings). */
export type SearchPage = ListPage<SearchHit> & SearchOrder & { query: ParsedQuery };

/** FTS5 snippet(): body column (3), ~32 tokens. */
const SNIPPET_TOKENS = 32;

const LIMIT_DEFAULT = 50;
const LIMIT_MAX = 200;

/**
 * Ranked candidates taken in phase one (see rankedPage): beyond the page itself a margin for
 * ties and trashed articles, or a multiple of it when filters on the article row may drop most
 * candidates. Taking 1,000 rather than 20 of 100,000 matches costs ~7 % more (the ranking
 * dominates).
 */
const CANDIDATE_MARGIN = 200;
const FILTERED_CANDIDATES = 1000;
const FILTERED_FACTOR = 10;
/** Past this many candidates phase two costs about what the one-statement query does: run that. */
const MAX_CANDIDATES = 20_000;
/** Up to this many trashed articles, each is checked against the MATCH on its own (~10 µs each). */
const TRASH_CHECK_MAX = 200;
/**
 * Newest first by looking articles up one by one (~15 µs each for a word, ~25 for a phrase, at
 * 100,000 articles) while the page needs at most this many: past it, holding the whole match
 * list costs less (~10 ms for 100,000 matches). See newestPage.
 */
const NEWEST_WALK_MAX = 100;
/** Articles walked per result wanted: every word is in at least half of the index's rows. */
const NEWEST_WALK_FACTOR = 4;

interface PageRow {
  id: number;
  score: number;
}

/**
 * Runs Folio's query language (app/core/query) against the archive. The only place that runs
 * search SQL (built by search-sql.ts); every term and filter value is a bound parameter.
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
    if (query.isEmpty) return { items: [], total: 0, offset, limit, sortedBy: query.sort && query.sort !== 'relevance' ? query.sort : 'saved', query };

    const plan = planTextQuery(query);
    return this.ctx.read(() => {
      const sql = buildSearchSql(query, plan, (atom) => this.substringIds(atom), this.articles.sitesByName);
      // Relevance by default; newest first instead when bm25 has nothing to rank by.
      const signal = sql.ranker && sql.sort === 'relevance' && query.sort === null ? this.rankingSignal(sql, sql.ranker) : null;
      const order: SearchOrder = signal?.informative === false ? { sortedBy: 'saved', sortReason: 'common-words' } : { sortedBy: sql.sort };
      const { rows: page, total: counted, indexCount } =
        sql.ranker && order.sortedBy === 'relevance'
          ? this.rankedPage(sql, sql.ranker, limit, offset, signal?.indexCount == null)
          : {
              rows: order.sortReason ? this.newestPage(sql, plan.wordsHavePrefix, limit, offset) : this.plainPage(sql, limit, offset),
              total: null,
              indexCount: null,
            };
      const cap = opts.countLimit === undefined ? null : Math.max(clampInt(opts.countLimit, 1, Number.MAX_SAFE_INTEGER, 1), offset + limit);
      const { total, lowerBound } =
        counted !== null ? { total: counted, lowerBound: false } : this.count(sql, cap, indexCount ?? signal?.indexCount ?? null);
      const ids = page.map((r) => r.id);
      const scores = new Map(page.map((r) => [r.id, r.score]));
      const snippets = this.snippets(ids, query, plan);
      const items = this.articles.summaries(ids).map(
        (s): SearchHit => ({ ...s, snippet: snippets.get(s.id) ?? '', score: scores.get(s.id) ?? 0 }),
      );
      return { items, total, ...(lowerBound ? { totalIsLowerBound: true as const } : {}), offset, limit, ...order, query };
    });
  }

  /** SQLite's plan for the statements that make the page (tests, diagnostics). */
  explain(input: string): string[] {
    const query = parseQuery(input);
    if (query.isEmpty) return [];
    const scans: string[] = [];
    const plan = (text: string, params: unknown[]) =>
      this.ctx
        .stmt<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`)
        .all(...params)
        .map((r) => r.detail);
    const text = planTextQuery(query);
    const sql = buildSearchSql(query, text, (atom) => {
      const lookup = this.bigramLookup(atom);
      if (lookup) {
        for (const s of [bigramTerms(atom.needle), ...lookup]) scans.push(...plan(s.sql, s.params));
      } else {
        const scan = substringScan(atom);
        scans.push(...plan(scan.sql, scan.params));
      }
      return [];
    }, this.articles.sitesByName);
    // Whether bm25 has anything to rank by depends on the data: find out as search() would.
    const flat = sql.ranker && sql.sort === 'relevance' && query.sort === null && this.ctx.read(() => !this.rankingSignal(sql, sql.ranker!).informative);
    if (flat) {
      const walk = text.wordsHavePrefix ? [] : plan(sql.newestWalk!, [0, ...sql.newestParams, 1, 0]);
      return [...scans, ...walk, ...plan(sql.newestPage!, [...sql.newestParams, 1, 0])];
    }
    if (!sql.ranker || sql.sort !== 'relevance') return [...scans, ...plan(sql.page, [...sql.allParams, 1, 0]), ...plan(sql.count, sql.allParams)];
    return [...scans, ...plan(sql.ranker.candidates, [sql.ranker.match, ...sql.idParams, 1]), ...plan(sql.candidatePage, ['[]', ...sql.rowParams, 1, 0])];
  }

  /** The ids of the articles (trashed ones included) holding a 1–2 character unspaced-script term. */
  private substringIds(atom: SubstringAtom): number[] {
    const lookup = this.bigramLookup(atom);
    if (lookup) {
      const ids = new Set<number>();
      for (const s of lookup) for (const id of this.ctx.stmt(s.sql).pluck().all(...s.params)) ids.add(id as number);
      return [...ids];
    }
    const scan = substringScan(atom);
    return this.ctx.stmt(scan.sql).pluck().all(...scan.params) as number[];
  }

  /** The statements that find a two-character CJK term from indexes (app/store/bigram-lookup.ts); null for other terms. */
  private bigramLookup(atom: SubstringAtom): IdStatement[] | null {
    if (!isBigram(atom.needle)) return null;
    const terms = bigramTerms(atom.needle);
    return bigramLookup(atom.needle, atom.field, this.ctx.stmt(terms.sql).pluck().all(...terms.params) as string[]);
  }

  private plainPage(sql: SearchSql, limit: number, offset: number): PageRow[] {
    return this.ctx.stmt<PageRow>(sql.page).all(...sql.allParams, limit, offset);
  }

  /**
   * Whether bm25 can tell the matches apart. FTS5 weighs each phrase of the MATCH by
   * log((N − n + 0.5) / (n + 0.5)) for a phrase in n of the index's N rows, and by 1e-6 when
   * that is not positive, i.e. when 2n ≥ N. When every phrase that can score is that common
   * (exclusions never score: they are in no result), the order bm25 gives only reflects how
   * often an article repeats the words: not informative. Exact, by FTS5's own numbers: N from
   * its averages record, each n by running that phrase alone as FTS5 does (trashed articles
   * included, as they are in the index), stopping at N/2.
   *
   * `indexCount`: the ranker's count of its rows, when it was taken here for count() to use.
   */
  private rankingSignal(sql: SearchSql, ranker: Ranker): { informative: boolean; indexCount: number | null } {
    const rows = this.indexRows(ranker);
    // Text that bm25 does not weigh (a short CJK term…) is a reason to look, if not to rank:
    // leave such a search ordered as before.
    if (rows === 0 || !ranker.weighsAllText) return { informative: true, indexCount: null };
    const half = Math.ceil(rows / 2);
    const atLeast = (match: string, n: number) => this.ctx.stmt(ranker.matchesAtLeast).get(match, n - 1) !== undefined;
    let indexCount: number | null = null;
    // count() needs the ranker's count anyway (when it counts from the index): take it here
    // when it answers the question too.
    const countIndex = () => (indexCount = this.ctx.stmt<{ n: number }>(ranker.countIndex).get(ranker.match, ...sql.idParams)!.n);
    if (sql.onlyTrash && ranker.phrases.every((p) => p.required && p.words.length === 0)) {
      // Each phrase is in every row counted, so reaching half settles it; and for one phrase
      // alone the count is its n. (Not with phrases of several words: matching one reads
      // positions, which the words alone may show to be unnecessary.)
      const n = countIndex();
      if (n >= half || ranker.lone) return { informative: n < half, indexCount: n };
    }
    // Cheap evidence first: single words, and the words of each longer phrase (a phrase is in
    // no more rows than its rarest word; a word in none says nothing, as it may have no token
    // of its own). Matching a phrase of several words reads positions: only when all else is
    // common, and then for the search's own phrase as the count count() needs.
    const rareWord = (word: string) => !atLeast(word, half) && atLeast(word, 1);
    const rarePhrase = (phrase: RankedPhrase) => (ranker.lone && sql.onlyTrash ? countIndex() < half : !atLeast(phrase.match, half));
    // Longer words tend to be rarer; a prefix stands for many words.
    const byLength = (a: string, b: string) => b.length - a.length;
    const phrases = [...ranker.phrases].sort((a, b) => Number(a.prefix) - Number(b.prefix) || byLength(a.match, b.match));
    const single = phrases.filter((p) => p.words.length === 0);
    const multi = phrases.filter((p) => p.words.length > 0);
    const informative =
      single.some((p) => !atLeast(p.match, half)) ||
      multi.some((p) => [...p.words].sort(byLength).some(rareWord)) ||
      multi.some(rarePhrase);
    return { informative, indexCount };
  }

  /** Rows in the ranker's index as bm25 counts them (the first varint of the averages record). */
  private indexRows(ranker: Ranker): number {
    const block = this.ctx.stmt(ranker.averages).pluck().get() as Uint8Array | undefined;
    return block && block.length > 0 ? readVarint(block) : 0;
  }

  /**
   * Newest first, bm25 never computed. For a first page, walk the saved-date index from the
   * newest and look each article up in the full-text index: about two lookups per result, as
   * every word is in at least half of the rows (`the`, 20 of 100,000: ~0.5 ms). The walk
   * stops at the page's end, and goes no further back than NEWEST_WALK_FACTOR articles per
   * result: if the matches are sparser there (other conditions, or where the common words
   * happen to be rare), or the page is deep, or a prefix (each lookup expands it again: ~1 ms),
   * the whole match list is taken instead and the same index walked against it (~10 ms).
   *
   * Exact either way: a walk that filled the page, or saw every live article, found the newest
   * matches.
   */
  private newestPage(sql: SearchSql, prefix: boolean, limit: number, offset: number): PageRow[] {
    const wanted = offset + limit;
    if (!prefix && wanted <= NEWEST_WALK_MAX) {
      const reach = wanted * NEWEST_WALK_FACTOR;
      const ids = this.ctx.stmt(sql.newestWalk!).pluck().all(reach - 1, ...sql.newestParams, limit, offset) as number[];
      const sawAll = () => this.ctx.stmt(NTH_NEWEST_LIVE).pluck().get(reach - 1) === undefined;
      if (ids.length === limit || sawAll()) return ids.map((id) => ({ id, score: 0 }));
    }
    return (this.ctx.stmt(sql.newestPage!).pluck().all(...sql.newestParams, limit, offset) as number[]).map((id) => ({ id, score: 0 }));
  }

  /**
   * A page ordered by relevance without joining every match to its article: phase one ranks
   * the index alone and keeps the n best rows; phase two joins only those, applies the other
   * conditions and orders by (bm25, saved date, id) as the one-statement query would.
   *
   * Exact, not approximate: every match scoring better than the n-th candidate is among the
   * candidates, so a page whose last row scores strictly better than the n-th is the page the
   * full query gives. Otherwise (ties at the edge, filters that dropped too many candidates)
   * a second try takes as many as the share that passed suggests, then the full query runs.
   *
   * When phase one got every match, the number that passed phase two is the exact total
   * (null: not known, count separately).
   *
   * `indexCount`: how many rows phase one ranked, when it counted them for count(). It does
   * for a phrase of three or more words, whose matching costs more than keeping the count
   * while ranking (such phrases hold common words that are often near each other without
   * forming the phrase: "the first time" at 100,000 articles, counting again 7.9 ms, the count
   * while ranking 1.7 ms; 8 such phrases: 69 against 19 ms). For two words it is the other
   * way round (7 phrases: 13 against 19 ms), and a single word is counted cheaply.
   */
  private rankedPage(
    sql: SearchSql,
    ranker: Ranker,
    limit: number,
    offset: number,
    uncounted: boolean,
  ): { rows: PageRow[]; total: number | null; indexCount: number | null } {
    const wanted = offset + limit;
    const counting = uncounted && sql.onlyTrash && ranker.phrases.some((p) => p.words.length >= 3);
    let indexCount: number | null = null;
    let n = sql.onlyTrash ? wanted + CANDIDATE_MARGIN : Math.max(FILTERED_CANDIDATES, wanted * FILTERED_FACTOR);
    for (let attempt = 0; attempt < 2 && n <= MAX_CANDIDATES; attempt++) {
      const candidates = this.ctx
        .stmt(counting ? ranker.candidatesCounted : ranker.candidates)
        .raw()
        .all(ranker.match, ...sql.idParams, n) as [id: number, bm25: number, counted?: number][];
      if (counting) indexCount = candidates.length > 0 ? candidates[0]![2]! : 0;
      const complete = candidates.length < n;
      // Equal bm25 scores share a rank, so SQL breaks their ties by saved date and id as before.
      const bm25 = new Map<number, number>();
      const ranked: [number, number][] = [];
      let rank = 0;
      candidates.forEach(([id, s], i) => {
        if (i > 0 && s !== candidates[i - 1]![1]) rank = i;
        bm25.set(id, s);
        ranked.push([id, rank]);
      });
      const rows = this.ctx.stmt(sql.candidatePage).raw().all(JSON.stringify(ranked), ...sql.rowParams, limit, offset) as [number, number, number][];
      const edge = candidates.length > 0 ? candidates[candidates.length - 1]![1] : 0;
      const last = rows.length > 0 ? bm25.get(rows[rows.length - 1]![0])! : 0;
      // The third column counts the candidates that passed every condition.
      const passed = rows.length > 0 ? rows[0]![2] : 0;
      if (complete || (rows.length === limit && last < edge)) {
        const total = complete && (rows.length > 0 || offset === 0) ? passed : null;
        return { rows: rows.map(([id]) => ({ id, score: -bm25.get(id)! })), total, indexCount };
      }
      n = Math.max(4 * n, Math.ceil((2 * wanted * n) / Math.max(passed, 1)) + CANDIDATE_MARGIN);
    }
    return { rows: this.plainPage(sql, limit, offset), total: null, indexCount };
  }

  /**
   * `total`: from the full-text index alone when no condition but the trash needs the article
   * row (FTS5 counts a doclist without reading positions: 100,000 matches in ~3 ms, against
   * ~30 ms joined to their articles), minus the trashed articles that match (every index row
   * has its article: article_search rows cascade from articles); capped at `cap` when given;
   * otherwise the exact joined count.
   */
  private count(sql: SearchSql, cap: number | null, indexCount: number | null): { total: number; lowerBound: boolean } {
    const n = (text: string, ...params: unknown[]) => this.ctx.stmt<{ n: number }>(text).get(...params)!.n;
    if (sql.ranker && sql.onlyTrash) {
      const { match } = sql.ranker;
      const trash = n(`SELECT count(*) AS n FROM (SELECT 1 FROM articles WHERE deleted_at IS NOT NULL LIMIT ${TRASH_CHECK_MAX + 1})`);
      const trashed = trash === 0 ? 0 : n(trash <= TRASH_CHECK_MAX ? sql.ranker.countTrashed : sql.ranker.countTrashedByScan, match, ...sql.idParams);
      return { total: (indexCount ?? n(sql.ranker.countIndex, match, ...sql.idParams)) - trashed, lowerBound: false };
    }
    if (sql.matchedIds) {
      // The ids are in hand: discount the trashed ones among them, when the trash is small
      // (looking up each of 3,344 matches was 5–12 ms at 100,000 articles).
      const trash = this.ctx.stmt(`SELECT id FROM articles WHERE deleted_at IS NOT NULL LIMIT ${TRASH_CHECK_MAX + 1}`).pluck().all() as number[];
      if (trash.length <= TRASH_CHECK_MAX) {
        const matched = new Set(sql.matchedIds);
        return { total: matched.size - trash.filter((id) => matched.has(id)).length, lowerBound: false };
      }
    }
    if (cap === null) return { total: n(sql.count, ...sql.allParams), lowerBound: false };
    const counted = n(sql.cappedCount, ...sql.allParams, cap + 1);
    return counted > cap ? { total: cap, lowerBound: true } : { total: counted, lowerBound: false };
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
      const select = `SELECT rowid AS id, snippet(article_fts, 3, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet FROM article_fts`;
      // FTS5 looks each listed rowid up with its own run of the MATCH. That is cheap for plain
      // terms but for a prefix means merging every matching term's doclist again per row
      // (govern*, 100,000 articles: 17 ms for 20 rows), so there one pass over the page's
      // rowid range checks the list instead (2.4 ms).
      const rows = plan.wordsHavePrefix
        ? this.ctx
            .stmt<{ id: number; snippet: string | null }>(
              `${select} WHERE article_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))`,
            )
            .all(SNIPPET_MARK_START, SNIPPET_MARK_END, plan.words, Math.min(...ids), Math.max(...ids), idList)
        : this.ctx
            .stmt<{ id: number; snippet: string | null }>(`${select} WHERE article_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`)
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

/** The saved date of the `?`-th newest live article (0-based), if there are that many. */
const NTH_NEWEST_LIVE = 'SELECT saved_at FROM articles WHERE deleted_at IS NULL ORDER BY saved_at DESC, id DESC LIMIT 1 OFFSET ?';

/** SQLite's varint (as FTS5 writes it): 7 bits a byte, high bit set on all but the last, the 9th byte whole. */
function readVarint(bytes: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < 9 && i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (i === 8) return value * 256 + byte;
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return value;
  }
  return value;
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
