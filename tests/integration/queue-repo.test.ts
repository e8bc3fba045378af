import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolioError } from '../../app/core/errors.js';
import type { Archive } from '../../app/store/archive.js';
import { openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

let dir: string;
let archive: Archive;
let clock: Date;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-queue-'));
  clock = new Date('2024-06-01T10:00:00.000Z');
  archive = openArchive(join(dir, 'folio.db'), { now: () => clock });
});
afterEach(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

const later = (seconds: number) => new Date(clock.getTime() + seconds * 1000).toISOString();

describe('capture queue', () => {
  it('enqueue: one job per input, with its options; normalised URL, host, batch', () => {
    const jobs = archive.queue.enqueue([
      { input: 'https://user:pw@Example.com/a?utm_source=x', options: { tags: ['t'], render: 'always', savedAt: '2020-01-01T00:00:00Z', read: true }, batchId: 'b1' },
      { input: '/home/me/page.html', batchId: 'b1' },
    ]);
    expect(jobs).toHaveLength(2);
    expect(jobs[0]).toMatchObject({
      url: 'https://example.com/a',
      input: 'https://example.com/a?utm_source=x',
      host: 'example.com',
      status: 'pending',
      attempts: 0,
      articleId: null,
      error: null,
      batchId: 'b1',
      nextAttemptAt: null,
      options: { tags: ['t'], render: 'always', savedAt: '2020-01-01T00:00:00Z', read: true },
      createdAt: '2024-06-01T10:00:00.000Z',
    });
    expect(jobs[1]).toMatchObject({ url: '/home/me/page.html', host: '', input: '/home/me/page.html' });
    expect(() => archive.queue.enqueue([{ input: '  ' }])).toThrow(FolioError);
  });

  it('does not queue an input already pending or running (same normalised URL)', () => {
    const [first] = archive.queue.enqueue([{ input: 'https://example.com/a' }]);
    const again = archive.queue.enqueue([{ input: 'https://example.com/a/?utm_medium=y#x' }, { input: 'https://example.com/b' }, { input: 'https://example.com/b' }]);
    expect(again[0]!.jobId).toBe(first!.jobId);
    expect(again[1]!.jobId).toBe(again[2]!.jobId);
    expect(archive.queue.status().pending).toBe(2);
    // Running counts as queued too; once finished, the same input can be queued again.
    const claimed = archive.queue.claimNext()!;
    expect(archive.queue.enqueue([{ input: 'https://example.com/a' }])[0]!.jobId).toBe(claimed.jobId);
    archive.queue.completeJob(claimed.jobId, { status: 'duplicate', articleId: archive.addBookmark({ url: 'https://example.com/a' }).id });
    expect(archive.queue.enqueue([{ input: 'https://example.com/a' }])[0]!.jobId).not.toBe(claimed.jobId);
  });

  it('claimNext: oldest due first, marks running, counts the attempt; null when nothing is due', () => {
    const [a, b] = archive.queue.enqueue([{ input: 'https://one.example/1' }, { input: 'https://two.example/2' }]);
    const first = archive.queue.claimNext()!;
    expect(first).toMatchObject({ jobId: a!.jobId, status: 'running', attempts: 1 });
    expect(archive.queue.claimNext()!.jobId).toBe(b!.jobId);
    expect(archive.queue.claimNext()).toBeNull();
  });

  it('claimNext skips excluded hosts (per-host limits)', () => {
    archive.queue.enqueue([{ input: 'https://busy.example/1' }, { input: 'https://busy.example/2' }, { input: 'https://free.example/1' }]);
    expect(archive.queue.claimNext(undefined, { excludeHosts: ['BUSY.example'] })!.url).toBe('https://free.example/1');
    expect(archive.queue.claimNext(undefined, { excludeHosts: ['busy.example'] })).toBeNull();
    expect(archive.queue.claimNext()!.url).toBe('https://busy.example/1');
  });

  it('completeJob records the outcome and the article', () => {
    const { capture, blobs } = makeCapture({ seed: 1 });
    const [job] = archive.queue.enqueue([{ input: capture.url }]);
    archive.queue.claimNext();
    const { id } = archive.saveCapture(capture, blobs);
    clock = new Date(later(5));
    const done = archive.queue.completeJob(job!.jobId, { status: 'saved', articleId: id });
    expect(done).toMatchObject({ status: 'saved', articleId: id, error: null, updatedAt: '2024-06-01T10:00:05.000Z' });
    expect(() => archive.queue.completeJob(99999, { status: 'saved', articleId: id })).toThrow(/no capture job 99999/);
  });

  it('failJob with retryAt: back to pending, due later, error kept; without: failed', () => {
    const [job] = archive.queue.enqueue([{ input: 'https://flaky.example/x' }]);
    // Never tried: due at whichever instant the caller asks about (the one it claimed at).
    expect(archive.queue.nextDueAt()).toBe('2024-06-01T10:00:00.000Z');
    expect(archive.queue.nextDueAt(later(3))).toBe(later(3));
    archive.queue.claimNext();
    const retry = archive.queue.failJob(job!.jobId, new FolioError('TIMEOUT', 'https://flaky.example/x timed out', { transient: true }), { retryAt: later(60) });
    expect(retry).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2024-06-01T10:01:00.000Z', error: { code: 'TIMEOUT', message: 'https://flaky.example/x timed out' } });
    expect(archive.queue.claimNext()).toBeNull(); // not due yet
    expect(archive.queue.nextDueAt()).toBe('2024-06-01T10:01:00.000Z');
    const second = archive.queue.claimNext(later(61))!;
    expect(second).toMatchObject({ jobId: job!.jobId, attempts: 2, status: 'running' });
    const failed = archive.queue.failJob(job!.jobId, { code: 'HTTP_STATUS', message: 'HTTP 404 for https://flaky.example/x' });
    expect(failed).toMatchObject({ status: 'failed', nextAttemptAt: null, error: { code: 'HTTP_STATUS' } });
    expect(archive.queue.nextDueAt()).toBeNull();
  });

  it('retryJobs: failed → pending with attempts reset; skips an input queued again meanwhile', () => {
    const [a, b] = archive.queue.enqueue([{ input: 'https://x.example/a' }, { input: 'https://x.example/b' }]);
    for (const j of [a!, b!]) {
      archive.queue.claimNext();
      archive.queue.failJob(j.jobId, { code: 'NETWORK', message: 'down' });
    }
    archive.queue.enqueue([{ input: 'https://x.example/b' }]); // a fresh job for b
    expect(archive.queue.retryJobs([a!.jobId, b!.jobId, 424242])).toBe(1);
    expect(archive.queue.getJob(a!.jobId)).toMatchObject({ status: 'pending', attempts: 0, error: null });
    expect(archive.queue.getJob(b!.jobId)!.status).toBe('failed');
  });

  it('requeueRunning puts running jobs back, keeping their attempt count', () => {
    archive.queue.enqueue([{ input: 'https://r.example/1' }, { input: 'https://r.example/2' }, { input: 'https://r.example/3' }]);
    archive.queue.claimNext();
    archive.queue.claimNext();
    expect(archive.queue.requeueRunning()).toBe(2);
    const s = archive.queue.status();
    expect([s.pending, s.running]).toEqual([3, 0]);
    expect(s.items.map((i) => i.attempts).sort()).toEqual([0, 1, 1]);
  });

  it('status counts per state and lists recent jobs first; clearFinished removes done ones', () => {
    const jobs = archive.queue.enqueue(Array.from({ length: 5 }, (_, i) => ({ input: `https://s.example/${i}` })));
    clock = new Date(later(1));
    archive.queue.claimNext();
    archive.queue.completeJob(jobs[0]!.jobId, { status: 'saved', articleId: archive.addBookmark({ url: 'https://s.example/0' }).id });
    clock = new Date(later(1));
    archive.queue.claimNext();
    archive.queue.completeJob(jobs[1]!.jobId, { status: 'duplicate', articleId: archive.addBookmark({ url: 'https://s.example/1' }).id });
    clock = new Date(later(1));
    archive.queue.claimNext();
    archive.queue.failJob(jobs[2]!.jobId, { code: 'NETWORK', message: 'x' });
    clock = new Date(later(1));
    archive.queue.claimNext();
    const s = archive.queue.status(3);
    expect([s.pending, s.running, s.saved, s.duplicate, s.failed]).toEqual([1, 1, 1, 1, 1]);
    expect(s.items.map((i) => i.jobId)).toEqual([jobs[3]!.jobId, jobs[2]!.jobId, jobs[1]!.jobId]);
    expect(archive.queue.clearFinished()).toBe(2);
    expect(archive.queue.clearFinished({ includeFailed: true })).toBe(1);
    expect(archive.queue.status().items).toHaveLength(2);
  });

  it('a job survives closing and reopening the archive', () => {
    const [job] = archive.queue.enqueue([{ input: 'https://durable.example/', options: { tags: ['keep'] } }]);
    archive.close();
    archive = openArchive(join(dir, 'folio.db'));
    expect(archive.queue.getJob(job!.jobId)).toMatchObject({ status: 'pending', options: { tags: ['keep'] } });
  });
});
