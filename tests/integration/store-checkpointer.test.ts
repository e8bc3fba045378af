import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

/**
 * WAL checkpoints on a thread of their own (app/store/checkpointer.ts): the database file
 * receives what was saved while the archive's thread only commits to the WAL, and closing the
 * archive closes that thread's connection first, so the archive's close is the last one (which
 * checkpoints everything and removes the WAL file).
 */
const builtWorker = join(import.meta.dirname, '../../build/app/store/checkpoint-worker.js');

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-ckpt-'));
  file = join(dir, 'archive.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** About 2 MB into the WAL: under SQLite's own automatic checkpoint (1,000 pages, 4 MB). */
function saveSome(archive: ReturnType<typeof openArchive>, from: number): void {
  for (let i = from; i < from + 6; i++) {
    const { capture, blobs } = makeCapture({ seed: i, words: 20_000 });
    archive.saveCapture(capture, blobs);
  }
}

/** Open file descriptors of this process on `path` (Linux: /proc/self/fd; null elsewhere). */
function openHandles(path: string): number | null {
  if (!existsSync('/proc/self/fd')) return null;
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // closed while listing
    }
  }
  return n;
}

/**
 * Closes the archive and checks the thread closed its connection when asked, rather than close()
 * giving up on it after its 5 s wait (SQLite's last-connection checkpoint then racing the
 * thread's exit): close() returns well inside that, no handle is left, and neither is the WAL.
 */
function closeAndCheck(archive: ReturnType<typeof openArchive>): void {
  const started = performance.now();
  archive.close();
  expect(performance.now() - started).toBeLessThan(4000);
  expect(openHandles(file) ?? 0).toBe(0);
  expect(existsSync(`${file}-wal`)).toBe(false);
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe.runIf(existsSync(builtWorker))('background WAL checkpoints', () => {
  it('copies saved pages into the database file from its own thread, and close() leaves no WAL behind', async () => {
    const archive = openArchive(file);
    archive.checkpointInBackground({ intervalMs: 100 });
    const before = statSync(file).size;
    saveSome(archive, 1);
    const wal = statSync(`${file}-wal`).size;
    expect(wal).toBeGreaterThan(1_000_000);
    expect(wal).toBeLessThan(4_000_000); // so SQLite's own checkpoint did not run
    // Only a checkpoint writes pages into the main file.
    expect(await until(() => statSync(file).size > before + 1_000_000, 10_000)).toBe(true);
    saveSome(archive, 10);
    closeAndCheck(archive);
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n).toBe(12);
    db.close();
  }, 60_000);

  it('without it the same saves stay in the WAL until close (what the test above could not pass without)', async () => {
    const archive = openArchive(file);
    const before = statSync(file).size;
    saveSome(archive, 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(statSync(file).size).toBe(before);
    archive.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  }, 60_000);

  it('an archive closed at once, before the thread has started, closes cleanly', () => {
    const archive = openArchive(file, { backgroundCheckpoints: true });
    saveSome(archive, 1);
    closeAndCheck(archive);
    const again = openArchive(file, { backgroundCheckpoints: true });
    expect(again.listArticles({ limit: 10 }).total).toBe(6);
    again.close();
  }, 60_000);
});
