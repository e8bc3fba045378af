import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportArticles } from '../../app/export/index.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/index.js';
import { makeCapture } from '../helpers/make-capture.js';

// Throughput of the Markdown export on ~1,000 generated articles (300 words, one image each).
// Reported, never asserted: timing depends on the machine and on what else runs.
const COUNT = 1000;
let dir: string;
let archive: Archive;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-export-speed-'));
  archive = openArchive(join(dir, 'archive.db'));
  for (let i = 1; i <= COUNT; i++) {
    const { capture, blobs } = makeCapture({ seed: i, words: 300 });
    archive.saveCapture(capture, blobs);
  }
}, 120_000);
afterAll(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

it(`exports ${COUNT} articles to Markdown and reports articles per second`, async () => {
  for (const [format, name] of [['markdown', 'md'], ['markdown', 'md.zip']] as const) {
    const started = performance.now();
    const result = await exportArticles(archive, { format, out: join(dir, name) });
    const seconds = (performance.now() - started) / 1000;
    expect(result.articles).toBe(COUNT);
    console.warn(`export throughput: ${format} → ${name}: ${COUNT} articles in ${seconds.toFixed(2)} s = ${(COUNT / seconds).toFixed(0)} articles/s`);
  }
  expect(readdirSync(join(dir, 'md'))).toHaveLength(COUNT + 1); // + index.md
}, 180_000);
