/**
 * `npm run bench -- [--scale N] [--corpus DIR] [--out FILE] [--only a,b] [--repeats R]`
 *
 * A benchmark suite, not tests: every figure is a median/p95 over repeated runs, each with its
 * baseline measured in the same run, printed as a table and written as JSON.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { benchCapture } from './capture-bench.js';
import { buildArchive } from './archive-bench.js';
import { benchSearch } from './search-bench.js';
import { loadCorpusPages, textSource, type CorpusPage } from './corpus.js';

const SECTIONS = ['capture', 'store', 'search'] as const;
type Section = (typeof SECTIONS)[number];

const program = new Command()
  .name('bench')
  .option('--scale <n>', 'articles in the generated archive', (v) => Number.parseInt(v, 10), 10_000)
  .option('--corpus <dir>', 'folder of <slug>/source.html pages (e.g. ../shared/corpus/readability-test-pages)')
  .option('--out <file>', 'write the JSON results here', 'bench-results.json')
  .option('--only <sections>', `comma-separated subset of: ${SECTIONS.join(', ')}`)
  .option('--repeats <r>', 'repeated runs per figure', (v) => Number.parseInt(v, 10), 3)
  .parse();
const opts = program.opts<{ scale: number; corpus?: string; out: string; only?: string; repeats: number }>();
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
    row('capture.pipeline_pages_per_s', c.pipeline_pages_per_s, `full pipeline, ${c.pipeline_threads} workers`);
    row('capture.speedup', c.speedup, 'target ≥ 1.8');
    row('capture.overhead_pct', c.overhead_pct, 'single worker vs bare; target ≤ 15');
  }
  const dbPath = join(tmp, 'bench.db');
  if (only.has('store') || only.has('search')) {
    console.error(`store: building an archive of ${opts.scale} articles…`);
    const source = await textSource(corpus);
    const s = buildArchive(dbPath, opts.scale, source);
    results.store = { ...s, text: source.kind };
    row('store.articles_per_s', s.articles_per_s, 'target ≥ 3000');
    row('store.baseline_raw_insert_per_s', s.baseline_raw_insert_per_s, 'bare table, no indexes');
    row('store.per_article_p95_ms', s.per_article_ms.p95.toFixed(2));
    row('store.file_mb', s.file_mb);
  }
  if (only.has('search')) {
    console.error('search: query mix…');
    const q = benchSearch(dbPath, Math.max(5, opts.repeats * 5));
    results.search = q;
    row('search.p50_ms', q.p50_ms);
    row('search.p95_ms', q.p95_ms, 'target ≤ 15');
    row('search.max_ms', q.max_ms);
    row('search.cjk_p95_ms', q.cjk_p95_ms, 'target ≤ 30');
    row('search.naive_like_p95_ms', q.naive_like_p95_ms, 'LIKE scan baseline');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`\nFolio benchmarks — scale ${opts.scale}, ${opts.repeats} runs each`);
for (const [k, v, n] of rows) console.log(`${k.padEnd(w0)}  ${v.padStart(w1)}  ${n}`);
console.log(`\nJSON written to ${opts.out}`);
