import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import { compileStore, type CompiledStore } from '../helpers/compile-store.js';
import { makeCapture } from '../helpers/make-capture.js';
import { spawnStoreChild } from '../helpers/store-child.js';

/**
 * WAL lets readers and a writer work at once: a reader process searching non-stop while this
 * process saves 500 articles, one transaction each, must never see SQLITE_BUSY (or any error),
 * and must see the archive grow while it reads. A second writer process (the queue) competing
 * for the write lock waits its turn (busy_timeout + BEGIN IMMEDIATE) instead of failing.
 */
let dir: string;
let compiled: CompiledStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-concurrency-'));
  compiled = compileStore();
});
afterAll(() => {
  compiled?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('concurrent connections', () => {
  it('a reader never sees SQLITE_BUSY while 500 articles are written; a second writer waits its turn', async () => {
    const db = join(dir, 'folio.db');
    const writer = openArchive(db);
    try {
      const reader = spawnStoreChild('search-reader-child.mjs', [compiled.storeUrl, db]);
      const queueWriter = spawnStoreChild('queue-writer-child.mjs', [compiled.storeUrl, db]);
      await reader.waitFor((l) => l.ready === true);
      await queueWriter.waitFor((l) => l.ready === true);

      const readerProgressBefore = reader.lines.length;
      for (let i = 0; i < 500; i++) {
        const { capture, blobs } = makeCapture({ seed: 10_000 + i, words: 150, text: i % 2 ? undefined : `A quokka note ${i}. ${'Quiet reading in the garden. '.repeat(20)}` });
        const res = writer.saveCapture(capture, blobs, { tags: ['batch'] });
        expect(res.created).toBe(true);
        // Yield now and then so the children's output is read while writing goes on.
        if (i % 25 === 0) await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 50));
      const progressDuringWrites = reader.lines.slice(readerProgressBefore).filter((l) => typeof l.searches === 'number');

      reader.send('stop\n');
      queueWriter.send('stop\n');
      const readerDone = (await reader.waitFor((l) => l.done === true)) as { searches: number; errors: unknown[]; total: number };
      const writerDone = (await queueWriter.waitFor((l) => l.done === true)) as { cycles: number; errors: unknown[] };

      console.info(
        `concurrency: reader ran ${readerDone.searches} searches (${progressDuringWrites.length} progress reports during the writes), ` +
          `queue writer ${writerDone.cycles} write cycles, while 500 articles were saved`,
      );
      expect(readerDone.errors).toEqual([]);
      expect(writerDone.errors).toEqual([]);
      expect(readerDone.searches).toBeGreaterThan(50);
      expect(writerDone.cycles).toBeGreaterThan(10);
      // The reader ran during the writes and saw them arrive (not just before or after).
      expect(progressDuringWrites.length).toBeGreaterThan(1);
      const seen = progressDuringWrites.map((l) => l.total as number);
      expect(new Set(seen).size).toBeGreaterThan(1);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      // In the end, everything written is visible to a new reader.
      expect(readerDone.total).toBe(250);
      expect(writer.search('quokka').total).toBe(250);
      expect(writer.listArticles().total).toBe(500);
      expect(writer.checkIntegrity()).toEqual([]);
    } finally {
      writer.close();
    }
  });
});
