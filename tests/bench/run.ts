/**
 * `npm run bench -- [--scale N] [--corpus DIR] [--out FILE] [--only a,b] [--repeats R]`
 *
 * A benchmark suite, not tests: every figure is a median/p95 over repeated runs, each with its
 * baseline measured in the same run, printed as a table and written as JSON.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { benchCapture } from './capture-bench.js';
import { buildArchive } from './archive-bench.js';
import { benchSearch } from './search-bench.js';
import { loadCorpusPages, textSource, type CorpusPage } from './corpus.js';
import { benchExport } from './export-bench.js';
import { benchImport } from './import-bench.js';
import { benchMemory } from './memory-bench.js';
import { benchUi, uiSkipReason } from './ui-bench.js';
import { openArchive } from '../../app/store/open-archive.js';

const SECTIONS = ['capture', 'store', 'search', 'ui', 'export', 'import', 'memory'] as const;
/** Sections that read the generated archive, so need the store section to build it. */
const NEEDS_ARCHIVE: readonly Section[] = ['store', 'search', 'ui', 'export'];
type Section = (typeof SECTIONS)[number];

const program = new Command()
  .name('bench')
  .option('--scale <n>', 'articles in the generated archive', (v) => Number.parseInt(v, 10), 10_000)
  .option('--corpus <dir>', 'folder of <slug>/source.html pages (e.g. ../shared/corpus/readability-test-pages)')
  .option('--out <file>', 'write the JSON results here', 'bench-results.json')
  .option('--only <sections>', `comma-separated subset of: ${SECTIONS.join(', ')}`)
  .option('--repeats <r>', 'repeated runs per figure', (v) => Number.parseInt(v, 10), 3)
  .option('--export-articles <n>', 'articles per Markdown export run', (v) => Number.parseInt(v, 10), 1000)
  .option('--import-items <n>', 'bookmarks per import run', (v) => Number.parseInt(v, 10), 5000)
  .option('--memory-pages <n>', 'pages fetched by the memory section\'s import', (v) => Number.parseInt(v, 10), 1000)
  .option('--archive <file>', 'read this archive (kept by --keep-archive) instead of building one; no store section')
  .option('--keep-archive <file>', 'copy the generated archive here before the temporary folder is deleted')
  .parse();
const opts = program.opts<{
  scale: number; corpus?: string; out: string; only?: string; repeats: number;
  exportArticles: number; importItems: number; memoryPages: number; archive?: string; keepArchive?: string;
}>();
const only = new Set<Section>((opts.only?.split(',') as Section[] | undefined) ?? SECTIONS);

/** Without --corpus, the project's own fixture pages stand in for capture. */
function fixturePages(): CorpusPage[] {
  const dir = fileURLToPath(new URL('../../../tests/fixtures/pages/', import.meta.url));
  const alt = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));
  const base = existsSync(dir) ? dir : alt;
  return readdirSync(base)
    .filter((slug) => existsSync(join(base, slug, 'source.html')))
    .map((slug) => ({ slug, html: readFileSync(join(base, slug, 'source.html'), 'utf8') }));
}

const corpus = loadCorpusPages(opts.corpus);
if (opts.corpus && corpus.length === 0) console.warn(`bench: no pages found in ${opts.corpus}; using built-in text`);
const tmp = mkdtempSync(join(tmpdir(), 'folio-bench-'));
const results: Record<string, unknown> = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    scale: opts.scale,
    corpus: corpus.length ? { dir: opts.corpus, pages: corpus.length } : null,
    repeats: opts.repeats,
  },
};
const rows: [string, string, string][] = [];
const row = (key: string, value: unknown, note = '') => rows.push([key, String(value), note]);

try {
  if (only.has('capture')) {
    const pages = corpus.length ? corpus : fixturePages();
    console.error(`capture: ${pages.length} pages × ${opts.repeats} runs…`);
    const c = await benchCapture(pages, opts.repeats, tmp);
    results.capture = c;
    row('capture.bare_pages_per_s', c.bare_pages_per_s, 'serial jsdom+Readability (baseline)');
    row('capture.pipeline_pages_per_s', c.pipeline_pages_per_s, `full pipeline, ${c.pipeline_processes} extraction processes`);
    row('capture.speedup', c.speedup, 'target ≥ 1.8');
    row('capture.overhead_pct', c.overhead_pct, 'one extraction process vs bare; target ≤ 15');
  }
  const dbPath = opts.archive ?? join(tmp, 'bench.db');
  if (opts.archive) {
    // Brings a kept archive to the current schema; its size, not --scale, is the run's scale.
    const kept = openArchive(opts.archive);
    (results.meta as { scale: number }).scale = opts.scale = kept.stats().articles;
    kept.close();
  }
  else if (NEEDS_ARCHIVE.some((s) => only.has(s))) {
    console.error(`store: building an archive of ${opts.scale} articles…`);
    const source = await textSource(corpus);
    const s = buildArchive(dbPath, opts.scale, source);
    results.store = { ...s, text: source.kind };
    row('store.articles_per_s', s.articles_per_s, `saveCaptures, ${s.batch_size} per transaction (bulk imports), final checkpoint (${s.checkpoint_s} s) included; target ≥ 3000`);
    row('store.single_save_per_s', s.single_save_per_s, `saveCapture, one transaction each (first ${s.single_articles}, own file; final checkpoint included)`);
    row('store.optimize_s', s.optimize_s, 'optimizeSearchIndex after the bulk load');
    row('store.baseline_raw_insert_per_s', s.baseline_raw_insert_per_s, 'bare table, no indexes');
    row('store.floor_search_rows_per_s', s.floor_search_rows_per_s, 'search row + word and trigram index entries alone, bare SQL (an upper bound on any store with this FTS)');
    row('store.per_article_p95_ms', s.per_article_ms.p95.toFixed(2), 'per article within a batch');
    row('store.file_mb', s.file_mb);
  }
  if (only.has('search')) {
    console.error('search: query mix…');
    const q = benchSearch(dbPath, Math.max(5, opts.repeats * 5));
    results.search = q;
    row('search.p50_ms', q.p50_ms);
    row('search.p95_ms', q.p95_ms, 'target ≤ 15');
    row('search.cpu_p95_ms', q.cpu_p95_ms, 'CPU time of the same searches (exact totals)');
    row('search.max_ms', q.max_ms);
    row('search.cjk_p95_ms', q.cjk_p95_ms, 'target ≤ 30');
    row('search.naive_like_p95_ms', q.naive_like_p95_ms, 'LIKE scan baseline');
    row('search.naive_fts_p95_ms', q.naive_fts_p95_ms, 'one-statement FTS5 baseline: bm25 over every match, snippet() column, exact count');
    row('search.speedup_vs_naive_fts', q.speedup_vs_naive_fts, 'naive FTS5 p95 / search p95');
    row('search.rank_floor_p95_ms', q.rank_floor_p95_ms, "FTS5's own bm25 ordering alone (a lower bound for exact ranking)");
    const slowest = Object.entries(q.rank_floor_by_query).sort((a, b) => b[1] - a[1]).slice(0, 4);
    row('search.rank_floor_slowest', slowest.map(([k, v]) => `${k} ${v}`).join(', '), 'median floor per query, ms');
  }
  if (only.has('ui')) {
    const skip = uiSkipReason();
    if (skip) {
      console.warn(`ui: skipped: ${skip}`);
      results.ui = { skipped: skip };
    } else {
      console.error('ui: Chromium against folio serve…');
      const u = await benchUi(dbPath, opts.repeats);
      results.ui = u;
      row('ui.first_paint_ms', u.first_paint_ms, 'target ≤ 1000');
      row('ui.keystroke_p95_ms', u.keystroke_p95_ms, 'last key typed → results painted; target ≤ 50');
      row('ui.api_p95_ms', u.api_p95_ms, 'same queries, HTTP API alone (baseline)');
    }
  }
  if (only.has('export')) {
    console.error(`export: Markdown, ${opts.exportArticles} articles × ${opts.repeats} runs…`);
    const e = await benchExport(dbPath, opts.exportArticles, opts.repeats, tmp);
    results.export = e;
    row('export.articles_per_s', e.articles_per_s, 'Markdown; target ≥ 500');
    row('export.baseline_read_per_s', e.baseline_read_per_s, 'iterateArticles alone');
    row('export.baseline_write_per_s', e.baseline_write_per_s, "the export's files written bare (mkdirSync + writeFileSync)");
    row('export.pct_of_bare_writes', e.pct_of_bare_writes, 'export rate / bare-write rate × 100');
  }
  if (only.has('import')) {
    console.error(`import: ${opts.importItems} bookmarks, --no-fetch × ${opts.repeats} runs…`);
    const i = await benchImport(opts.importItems, opts.repeats, tmp);
    results.import = i;
    row('import.items_per_s', i.items_per_s, 'bookmarks HTML, --no-fetch');
    row('import.baseline_add_bookmark_per_s', i.baseline_add_bookmark_per_s, 'addBookmark alone');
  }
  if (only.has('memory')) {
    const pages = corpus.length ? corpus : fixturePages();
    console.error(`memory: importing ${opts.memoryPages} pages from a local server…`);
    const m = await benchMemory(pages, opts.memoryPages, tmp);
    results.memory = m;
    results.eventloop = {
      max_delay_ms: m.eventloop_max_delay_ms,
      p99_delay_ms: m.eventloop_p99_delay_ms,
      longest_stall_on_cpu_ms: m.longest_stall_on_cpu_ms,
      longest_stall_runqueue_ms: m.longest_stall_runqueue_ms,
      max_on_cpu_between_ticks_ms: m.max_on_cpu_between_ticks_ms,
    };
    row(
      'memory.peak_rss_mb',
      m.peak_rss_mb,
      `largest process (import ${m.peak_main_rss_mb}, extraction ${m.peak_extractor_rss_mb}; all ${m.peak_total_rss_mb}); ${m.saved}/${m.pages} saved (${m.duplicate} duplicates by canonical URL, ${m.failed} failed) in ${m.seconds} s; target ≤ 400`,
    );
    row('eventloop.max_delay_ms', m.eventloop_max_delay_ms, `import process main thread (p99 ${m.eventloop_p99_delay_ms}, longest stall ${m.longest_stall_at_s} s in); target ≤ 50`);
    if (m.max_on_cpu_between_ticks_ms !== null) {
      row(
        'eventloop.max_on_cpu_between_ticks_ms',
        m.max_on_cpu_between_ticks_ms,
        `main thread's longest run on a CPU without a tick; the longest stall was ${m.longest_stall_on_cpu_ms} ms on a CPU, ${m.longest_stall_runqueue_ms} ms waiting for one, the rest blocked or paused`,
      );
    }
  }
} finally {
  if (opts.keepArchive && !opts.archive && existsSync(join(tmp, 'bench.db'))) copyFileSync(join(tmp, 'bench.db'), opts.keepArchive);
  rmSync(tmp, { recursive: true, force: true });
}

writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`\nFolio benchmarks — scale ${opts.scale}, ${opts.repeats} runs each`);
for (const [k, v, n] of rows) console.log(`${k.padEnd(w0)}  ${v.padStart(w1)}  ${n}`);
console.log(`\nJSON written to ${opts.out}`);
