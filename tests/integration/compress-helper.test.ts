import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CompressHelper } from '../../app/store/compress-helper.js';
import { compressText, decompressText } from '../../app/store/compress.js';
import { openArchive } from '../../app/store/open-archive.js';
import { generateText, makeCapture } from '../helpers/make-capture.js';

/**
 * Batches' originals are compressed on two threads (app/store/compress-helper.ts): whichever
 * thread compresses a page, the stored bytes must be compressText's, each page exactly once,
 * and a helper that is missing or stuck must cost time, never a page.
 */

/** Pages of ~9 KB with two-byte characters, so the UTF-8 offsets differ from string offsets. */
const pages = Array.from({ length: 40 }, (_, i) => `<p>“${i}” 東京 é — ${generateText(i + 1, 1500)}</p>`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `done()` holds (the helper thread starts at its own pace on a loaded machine). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (const t0 = Date.now(); !done(); await sleep(20)) {
    if (Date.now() - t0 > 20_000) throw new Error(`still waiting for ${what} after 20 s`);
  }
}

let dir: string;
const helpers: CompressHelper[] = [];
const helper = (opts?: ConstructorParameters<typeof CompressHelper>[0]) => {
  const h = new CompressHelper(opts);
  helpers.push(h);
  return h;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-compress-helper-'));
});
afterEach(() => {
  for (const h of helpers.splice(0)) h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectCompressTextBytes(take: (i: number) => { codec: string; data: Buffer; bytes: number }, texts: readonly string[]): void {
  texts.forEach((text, i) => {
    const page = take(i);
    const expected = compressText(text);
    expect(page.codec, `page ${i}`).toBe('br');
    expect(page.bytes, `page ${i}`).toBe(expected.bytes);
    expect(Buffer.compare(page.data, expected.data), `page ${i}`).toBe(0);
    expect(decompressText(page.codec, page.data), `page ${i}`).toBe(text);
  });
}

describe('compressing a batch of originals on two threads', () => {
  it('gives compressText’s bytes for every page, the ones the helper compressed included', async () => {
    const batch = helper().batch(pages);
    // Nothing taken here: the helper, working from the last page down, compresses them all.
    await until(() => batch.helped === pages.length, 'the helper to compress every page');
    expectCompressTextBytes((i) => batch.take(i), pages);
    expect(batch.helped).toBe(pages.length);
  });

  it('gives the same bytes when the pages are taken at once (both threads at work), and again on a second take', () => {
    const h = helper();
    const first = h.batch(pages);
    expectCompressTextBytes((i) => first.take(i), pages);
    const again = pages.map((_, i) => first.take(i));
    expect(again.every((page, i) => page === first.take(i))).toBe(true);
    // The helper thread is reused by the next batch.
    const second = h.batch(pages.slice(0, 20));
    expectCompressTextBytes((i) => second.take(i), pages.slice(0, 20));
  });

  it('compresses a small batch on the calling thread alone', async () => {
    const small = pages.slice(0, 3);
    const batch = helper().batch(small);
    await sleep(300);
    expectCompressTextBytes((i) => batch.take(i), small);
    expect(batch.helped).toBe(0);
  });

  it('without its script, compresses everything on the calling thread', () => {
    const batch = helper({ script: join(dir, 'missing-worker.js') }).batch(pages);
    expectCompressTextBytes((i) => batch.take(i), pages);
    expect(batch.helped).toBe(0);
  });

  it('a helper stuck on a page: waits for it no longer than waitMs, then compresses it itself', async () => {
    // Claims the last page of each batch, says so in a file, and never answers.
    const script = join(dir, 'stuck-worker.mjs');
    const claimed = join(dir, 'claimed');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
       import { workerData } from 'node:worker_threads';
       workerData.port.on('message', (m) => {
         const states = new Int32Array(m.states);
         Atomics.store(states, m.offsets.length - 1, 1);
         writeFileSync(${JSON.stringify(claimed)}, 'yes');
       });`,
    );
    const h = helper({ script, waitMs: 300 });
    const batch = h.batch(pages);
    await until(() => existsSync(claimed), 'the stuck helper to claim the last page');
    expectCompressTextBytes((i) => batch.take(i), pages.slice(0, -1));
    const t0 = performance.now();
    const last = batch.take(pages.length - 1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(decompressText(last.codec, last.data)).toBe(pages[pages.length - 1]);
    expect(batch.helped).toBe(0);
    // Taken for broken: the next batch does not wait for it at all.
    const next = h.batch(pages);
    const t1 = performance.now();
    expectCompressTextBytes((i) => next.take(i), pages);
    expect(performance.now() - t1).toBeLessThan(2000);
    expect(next.helped).toBe(0);
  });

  it('an archive stores each original of a batch as it was given', () => {
    const archive = openArchive(join(dir, 'batch.db'));
    try {
      const items = pages.map((original, i) => {
        const { capture, blobs } = makeCapture({ seed: i + 1, imageCount: 0 });
        return { capture: { ...capture, originalHtml: original }, blobs };
      });
      const results = archive.saveCaptures(items);
      expect(results.every((r) => r.ok && r.result.outcome === 'created')).toBe(true);
      results.forEach((r, i) => {
        expect(r.ok && archive.getOriginalHtml(r.result.id), `item ${i}`).toBe(pages[i]);
      });
    } finally {
      archive.close();
    }
  });
});
