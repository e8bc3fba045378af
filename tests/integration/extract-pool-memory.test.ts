import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractPool, type ExtractPool } from '../../app/capture/extract-pool.js';

/**
 * An extraction process must not keep the pages it has cleaned. jsdom lets go of a page only
 * once the event loop has turned: when the pool's earlier worker threads took pages without
 * turning it (piscina's Atomics.wait mode), a worker held 400 MB after 260 corpus pages and a
 * 1,000-page import peaked at 1.2 GB. Here one process with a small heap cap cleans many pages
 * that each cost megabytes of DOM: were every page kept, it ran out of heap every 9th page.
 */
const builtChild = join(import.meta.dirname, '../../build/app/capture/extract-child.js');
const PAGES = 60;
const HEAP_CAP_MB = 80;

/** An article of ~35 KB: 200 paragraphs with ids, links and emphasis (≈ 1 MB of jsdom nodes). */
function bigArticle(n: number): string {
  const paragraphs = Array.from(
    { length: 200 },
    (_, i) =>
      `<p id="p${n}-${i}">Paragraph ${i} of page ${n} talks about <a href="/topic/${i}">topic ${i}</a> and <em>why it matters</em> for readers.</p>`,
  ).join('\n');
  return `<!DOCTYPE html><html><head><title>Long page ${n}</title></head><body><article><h1>Long page ${n}</h1>${paragraphs}</article></body></html>`;
}

describe.runIf(existsSync(builtChild))('extraction pool memory', () => {
  let pool: ExtractPool;
  beforeAll(() => {
    pool = createExtractPool({ processes: 1, maxHeapMb: HEAP_CAP_MB, timeoutMs: 60_000 });
  });
  afterAll(() => pool.close());

  it(`cleans ${PAGES} large pages in one process capped at ${HEAP_CAP_MB} MB without running out of heap`, async () => {
    const failures: string[] = [];
    for (let n = 0; n < PAGES; n++) {
      try {
        const extraction = await pool.extract(bigArticle(n), `http://127.0.0.1/page/${n}`);
        expect(extraction.title).toBe(`Long page ${n}`);
        expect(extraction.text).toContain(`Paragraph 199 of page ${n}`);
      } catch (err) {
        failures.push(`page ${n}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it('starts processes with the first page and ends them once idle, so an idle app holds no jsdom heap', async () => {
    const idle = createExtractPool({ processes: 2, idleMs: 300 });
    try {
      expect(idle.liveProcesses()).toBe(0);
      const pages = await Promise.all([0, 1].map((n) => idle.extract(bigArticle(n), `http://127.0.0.1/idle/${n}`)));
      expect(pages.map((p) => p.title)).toEqual(['Long page 0', 'Long page 1']);
      expect(idle.liveProcesses()).toBeGreaterThanOrEqual(1);
      const deadline = Date.now() + 10_000;
      while (idle.liveProcesses() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(idle.liveProcesses()).toBe(0);
      // The next page starts a process again.
      expect((await idle.extract(bigArticle(2), 'http://127.0.0.1/idle/2')).title).toBe('Long page 2');
    } finally {
      await idle.close();
    }
  }, 60_000);
});
