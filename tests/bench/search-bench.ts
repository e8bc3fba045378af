import Database from 'better-sqlite3';
import { openArchive } from '../../app/store/open-archive.js';
import { TRIGRAM_BM25, WORDS_BM25 } from '../../app/store/search-sql.js';
import { parseQuery } from '../../app/core/query/parse-query.js';
import { planTextQuery } from '../../app/core/query/to-fts5.js';
import { referenceSql } from '../helpers/reference-search.js';
import { round, summarize } from './stats.js';

/**
 * Search: latency of the query mix through the archive's search (bm25, snippets for the first
 * page only), against two baselines run in the same loop: the naive FTS5 way (one statement
 * joining every match to its article, ordered by bm25, snippet() as a column, and an exact
 * count: tests/helpers/reference-search.ts, search as it was before issue #6), and a naive LIKE
 * scan that returns the same page size with a substr snippet.
 * Each query also records its CPU time (process.cpuUsage), less disturbed than wall time when
 * other work shares the machine.
 *
 * A third figure in the same loop is a floor rather than a baseline: FTS5's own exact ranking
 * of the query's matches (rankFloorSql), which any search that orders by FTS5's bm25 must pay.
 */
export const QUERY_MIX: { kind: string; q: string; like: string }[] = [
  { kind: 'common', q: 'the', like: 'the' },
  { kind: 'common', q: 'people', like: 'people' },
  { kind: 'common', q: 'time world', like: 'time' },
  { kind: 'rare', q: 'quantum', like: 'quantum' },
  { kind: 'rare', q: 'archaeologists', like: 'archaeologists' },
  { kind: 'phrase', q: '"according to"', like: 'according to' },
  { kind: 'phrase', q: '"the first time"', like: 'the first time' },
  { kind: 'prefix', q: 'comput*', like: 'comput' },
  { kind: 'prefix', q: 'govern*', like: 'govern' },
  { kind: 'field', q: 'title:new', like: 'new' },
  { kind: 'field', q: 'tag:research science', like: 'science' },
  { kind: 'field', q: 'site:example.com is:unread', like: 'a' },
  { kind: 'boolean', q: 'music OR film -war', like: 'music' },
  { kind: 'cjk', q: '図書館', like: '図書館' },
  { kind: 'cjk', q: '研究者', like: '研究者' },
  { kind: 'cjk', q: '東京', like: '東京' },
];

export interface SearchResult {
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  cpu_p50_ms: number;
  cpu_p95_ms: number;
  cjk_p95_ms: number;
  naive_like_p50_ms: number;
  naive_like_p95_ms: number;
  naive_fts_p50_ms: number;
  naive_fts_p95_ms: number;
  /** naive_fts_p95_ms / p95_ms: how many times faster than the plain FTS5 query at p95. */
  speedup_vs_naive_fts: number;
  by_kind: Record<string, { p50_ms: number; p95_ms: number; cpu_p50_ms: number; cpu_p95_ms: number }>;
  repeats: number;
  queries: number;
  zero_hit_queries: string[];
  /** Queries answered newest first because every word is in most articles (no bm25). */
  date_ordered_queries: string[];
  /**
   * The ranking floor, over the same samples: per query, FTS5's bm25 ordering of its matches
   * and nothing else (see rankFloorSql), 0 for a query the search does not rank that way. Each
   * sample times a statement that is part of the search's own work for that query, so its p95
   * bounds from below the p95 of any search of this mix ordered by FTS5's exact bm25.
   */
  rank_floor_p50_ms: number;
  rank_floor_p95_ms: number;
  /** Median floor per ranked query. */
  rank_floor_by_query: Record<string, number>;
}

/**
 * The one statement an exact relevance search in FTS5 cannot skip: the query's MATCH on the
 * index it is ranked from, ordered by that index's bm25, a page of rowids — no count, no
 * article rows, no snippets. Null (a floor of 0) when the search does not rank the query that
 * way, or when the query has conditions the search checks before bm25 (filters, OR groups or
 * exclusions on another index, a second index), since those can leave fewer rows to score
 * than the MATCH alone and the statement would no longer be a lower bound.
 */
export function rankFloorSql(q: string): { sql: string; match: string } | null {
  const query = parseQuery(q);
  const plan = planTextQuery(query);
  if (query.filters.length > 0 || plan.groups.length > 0 || plan.exclude.length > 0) return null;
  if (plan.words && !plan.trigram) {
    return { sql: `SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY ${WORDS_BM25} LIMIT 20`, match: plan.words };
  }
  if (plan.trigram && !plan.words) {
    return { sql: `SELECT rowid FROM article_trigram WHERE article_trigram MATCH ? ORDER BY ${TRIGRAM_BM25} LIMIT 20`, match: plan.trigram };
  }
  return null;
}

export function benchSearch(path: string, repeats: number): SearchResult {
  const archive = openArchive(path, { readonly: true });
  const like = new Database(path, { readonly: true });
  const likeStmt = like.prepare(
    `SELECT a.id, a.title, substr(s.text, max(instr(s.text, @w) - 80, 1), 200) AS snippet
       FROM article_search s JOIN articles a ON a.id = s.article_id
      WHERE a.deleted_at IS NULL AND (s.text LIKE @pat OR s.title LIKE @pat)
      ORDER BY a.saved_at DESC LIMIT 20`,
  );
  const all: number[] = [];
  const cpu: number[] = [];
  const cpuByKind = new Map<string, number[]>();
  const cjk: number[] = [];
  const naive: number[] = [];
  const naiveFts: number[] = [];
  const floor: number[] = [];
  const floorByQuery = new Map<string, number[]>();
  const plain = QUERY_MIX.map(({ q }) => {
    const sql = referenceSql(like, q, { flatRule: false, snippet: true });
    return { page: like.prepare(sql.page), count: like.prepare(sql.count), params: sql.params };
  });
  const byKind = new Map<string, number[]>();
  const zero: string[] = [];
  const dateOrdered: string[] = [];
  try {
    for (const { q } of QUERY_MIX) {
      const page = archive.search(q, { limit: 20 }); // warm-up, and a sanity check
      if (page.total === 0) zero.push(q);
      if (page.sortReason === 'common-words') dateOrdered.push(q);
    }
    const floors = QUERY_MIX.map(({ q }) => {
      const f = dateOrdered.includes(q) ? null : rankFloorSql(q);
      return f ? { stmt: like.prepare(f.sql).pluck(), match: f.match } : null;
    });
    for (let r = 0; r < repeats; r++) {
      for (const [i, { kind, q, like: w }] of QUERY_MIX.entries()) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        // Exact totals, as the UI and the CLI ask for them (no countLimit).
        archive.search(q, { limit: 20 });
        const ms = performance.now() - t0;
        const c = process.cpuUsage(c0);
        const cpuMs = (c.user + c.system) / 1000;
        all.push(ms);
        cpu.push(cpuMs);
        (cpuByKind.get(kind) ?? cpuByKind.set(kind, []).get(kind)!).push(cpuMs);
        if (kind === 'cjk') cjk.push(ms);
        (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(ms);
        const t1 = performance.now();
        likeStmt.all({ w, pat: `%${w}%` });
        naive.push(performance.now() - t1);
        const t2 = performance.now();
        plain[i]!.page.all(...plain[i]!.params, 20, 0);
        plain[i]!.count.get(...plain[i]!.params);
        naiveFts.push(performance.now() - t2);
        const f = floors[i];
        if (f) {
          const t3 = performance.now();
          f.stmt.all(f.match);
          const floorMs = performance.now() - t3;
          floor.push(floorMs);
          (floorByQuery.get(q) ?? floorByQuery.set(q, []).get(q)!).push(floorMs);
        } else {
          floor.push(0);
        }
      }
    }
  } finally {
    archive.close();
    like.close();
  }
  const s = summarize(all);
  const sc = summarize(cpu);
  const n = summarize(naive);
  const nf = summarize(naiveFts);
  const fl = summarize(floor);
  return {
    p50_ms: round(s.median),
    p95_ms: round(s.p95),
    max_ms: round(s.max),
    cpu_p50_ms: round(sc.median),
    cpu_p95_ms: round(sc.p95),
    cjk_p95_ms: round(summarize(cjk).p95),
    naive_like_p50_ms: round(n.median),
    naive_like_p95_ms: round(n.p95),
    naive_fts_p50_ms: round(nf.median),
    naive_fts_p95_ms: round(nf.p95),
    speedup_vs_naive_fts: round(nf.p95 / s.p95),
    by_kind: Object.fromEntries(
      [...byKind].map(([k, v]) => {
        const ks = summarize(v);
        const kc = summarize(cpuByKind.get(k)!);
        return [k, { p50_ms: round(ks.median), p95_ms: round(ks.p95), cpu_p50_ms: round(kc.median), cpu_p95_ms: round(kc.p95) }];
      }),
    ),
    repeats,
    queries: QUERY_MIX.length,
    zero_hit_queries: zero,
    date_ordered_queries: dateOrdered,
    rank_floor_p50_ms: round(fl.median),
    rank_floor_p95_ms: round(fl.p95),
    rank_floor_by_query: Object.fromEntries([...floorByQuery].map(([q, v]) => [q, round(summarize(v).median)])),
  };
}
