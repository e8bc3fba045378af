import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import { compileStore, type CompiledStore } from '../helpers/compile-store.js';
import { spawnStoreChild } from '../helpers/store-child.js';

/**
 * A real crash: a separate node process queues and claims jobs, keeps writing, and is killed
 * with SIGKILL (no exit handlers, no cleanup, possibly mid-transaction). Reopening the archive
 * must lose nothing that was committed, keep every transaction whole, and requeueRunning must
 * put the claimed jobs back.
 */
let dir: string;
let compiled: CompiledStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-crash-'));
  compiled = compileStore();
});
afterAll(() => {
  compiled?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('queue after kill -9', () => {
  it('nothing committed is lost and running jobs go back to pending', async () => {
    const db = join(dir, 'folio.db');
    const child = spawnStoreChild('queue-crash-child.mjs', [compiled.storeUrl, db]);
    const ready = (await child.waitFor((l) => l.ready === true)) as { claimed: number[] };
    // Let it commit a few batches, then kill it while it is busy writing.
    await child.waitFor((l) => l.committed === 'batch-5');
    child.process.kill('SIGKILL');
    const { signal } = await child.exited;
    expect(signal).toBe('SIGKILL');
    const committed = child.lines.filter((l) => typeof l.committed === 'string').map((l) => l.committed as string);

    const archive = openArchive(db);
    try {
      expect(archive.checkIntegrity()).toEqual([]);
      const before = archive.queue.status(1000);
      expect(before.running).toBe(3);
      expect(archive.queue.requeueRunning()).toBe(3);
      const after = archive.queue.status(1000);
      expect(after.running).toBe(0);
      for (const id of ready.claimed) {
        expect(archive.queue.getJob(id)).toMatchObject({ status: 'pending', attempts: 1 });
      }
      // The 50 first inputs are all there.
      const all = after.items;
      expect(all.filter((j) => j.batchId === 'initial')).toHaveLength(50);
      // Every batch reported as committed is there, and every batch is whole (20 or absent).
      const perBatch = new Map<string, number>();
      for (const j of all) if (j.batchId !== 'initial') perBatch.set(j.batchId!, (perBatch.get(j.batchId!) ?? 0) + 1);
      for (const b of committed) expect(perBatch.get(b)).toBe(20);
      for (const [, n] of perBatch) expect(n).toBe(20);
      expect(after.pending).toBe(50 + 20 * perBatch.size);
      // The requeued jobs can be claimed again by the next run.
      const next = archive.queue.claimNext()!;
      expect(ready.claimed).toContain(next.jobId);
      expect(next.attempts).toBe(2);
    } finally {
      archive.close();
    }
  });
});
