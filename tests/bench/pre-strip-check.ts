/**
 * `node build/tests/bench/pre-strip-check.js --corpus DIR [--out FILE]`
 *
 * Re-proves on a corpus that removing scripts and styles before parsing (app/capture/pre-strip.ts)
 * changes no extraction: every `<slug>/source.html` is extracted with and without the strip and
 * the results compared field by field. Prints the pages that differ and in which fields, the
 * bytes the strip removes, and the extraction time with and without it; exits 1 if any page
 * differs (or none were found).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Command } from 'commander';
import { extractArticle } from '../../app/capture/extract.js';
import { preStrip } from '../../app/capture/pre-strip.js';
import type { Extraction } from '../../app/core/types.js';
import { round } from './stats.js';

/** The Readability test pages were saved against this host. */
const PAGE_URL = 'http://fakehost/test/page.html';

type Outcome = { ok: true; value: Extraction } | { ok: false; error: string };

interface Timed {
  outcome: Outcome;
  wallMs: number;
  cpuMs: number;
}

interface PageResult {
  slug: string;
  bytesBefore: number;
  bytesAfter: number;
  /** Fields whose values differ ("error" when one side threw or both threw differently). */
  differ: string[];
}

function extractTimed(html: string, preStripOn: boolean): Timed {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let outcome: Outcome;
  try {
    outcome = { ok: true, value: extractArticle(html, PAGE_URL, { preStrip: preStripOn }) };
  } catch (err) {
    outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { outcome, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function differingFields(a: Outcome, b: Outcome): string[] {
  if (!a.ok || !b.ok) return !a.ok && !b.ok && a.error === b.error ? [] : ['error'];
  const keys = [...new Set([...Object.keys(a.value), ...Object.keys(b.value)])] as (keyof Extraction)[];
  return keys.filter((k) => !isDeepStrictEqual(a.value[k], b.value[k]));
}

const opts = new Command()
  .name('pre-strip-check')
  .requiredOption('--corpus <dir>', 'folder of <slug>/source.html pages (e.g. ../shared/corpus/readability-test-pages)')
  .option('--out <file>', 'also write the results as JSON here')
  .parse()
  .opts<{ corpus: string; out?: string }>();

const slugs = existsSync(opts.corpus)
  ? readdirSync(opts.corpus)
      .filter((slug) => existsSync(join(opts.corpus, slug, 'source.html')))
      .sort()
  : [];
if (slugs.length === 0) {
  console.error(`pre-strip-check: no <slug>/source.html pages in ${opts.corpus}; pass --corpus with a folder of saved pages.`);
  process.exit(1);
}

const pages: PageResult[] = [];
const time = { with: { wallMs: 0, cpuMs: 0 }, without: { wallMs: 0, cpuMs: 0 } };
for (const [n, slug] of slugs.entries()) {
  const html = readFileSync(join(opts.corpus, slug, 'source.html'), 'utf8');
  // Alternate which side runs first, so neither always finds the other's warm caches.
  const order = n % 2 === 0 ? [true, false] : [false, true];
  const runs = new Map<boolean, Timed>();
  for (const on of order) runs.set(on, extractTimed(html, on));
  const on = runs.get(true)!;
  const off = runs.get(false)!;
  time.with.wallMs += on.wallMs;
  time.with.cpuMs += on.cpuMs;
  time.without.wallMs += off.wallMs;
  time.without.cpuMs += off.cpuMs;
  pages.push({
    slug,
    bytesBefore: Buffer.byteLength(html),
    bytesAfter: Buffer.byteLength(preStrip(html)),
    differ: differingFields(on.outcome, off.outcome),
  });
  // Let the event loop turn between pages, as the real capture pipeline does.
  await new Promise((r) => setImmediate(r));
}

const differing = pages.filter((p) => p.differ.length > 0);
const bytesBefore = pages.reduce((s, p) => s + p.bytesBefore, 0);
const bytesAfter = pages.reduce((s, p) => s + p.bytesAfter, 0);
const mb = (b: number): string => `${round(b / 1e6, 1)} MB`;
const s = (ms: number): string => `${round(ms / 1000, 2)} s`;
const pct = (a: number, b: number): string => `${round((100 * (a - b)) / b, 1)} %`;

console.log(`${pages.length} pages: ${pages.length - differing.length} identical, ${differing.length} differ`);
for (const p of differing) console.log(`  ${p.slug}: ${p.differ.join(', ')}`);
console.log(`bytes: ${mb(bytesBefore)} → ${mb(bytesAfter)} after the strip (${pct(bytesAfter, bytesBefore)})`);
console.log(
  `extraction, sum over pages: with strip ${s(time.with.wallMs)} wall / ${s(time.with.cpuMs)} CPU; ` +
    `without ${s(time.without.wallMs)} wall / ${s(time.without.cpuMs)} CPU ` +
    `(${pct(time.with.wallMs, time.without.wallMs)} wall, ${pct(time.with.cpuMs, time.without.cpuMs)} CPU)`,
);

if (opts.out) {
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    corpus: opts.corpus,
    pages: pages.length,
    identical: pages.length - differing.length,
    differ: differing.map((p) => ({ slug: p.slug, fields: p.differ })),
    bytes: { before: bytesBefore, after: bytesAfter },
    extraction_ms: {
      with_strip: { wall: round(time.with.wallMs), cpu: round(time.with.cpuMs) },
      without_strip: { wall: round(time.without.wallMs), cpu: round(time.without.cpuMs) },
    },
    per_page: pages,
  };
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
}
process.exitCode = differing.length > 0 ? 1 : 0;
