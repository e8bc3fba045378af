import { useCallback, useEffect, useState } from 'react';
import type { QueueItem } from '../../../app/core/contract.js';
import { errorMessage } from '../api/client.js';
import { useClient } from './client-context.js';

export interface QueueApi {
  /** Capture jobs this session knows of, newest first. */
  items: QueueItem[];
  add(urls: string[]): Promise<void>;
  retry(jobId: number): Promise<void>;
  clearFinished(): Promise<void>;
}

const FINISHED = new Set(['saved', 'duplicate']);

/**
 * The capture queue as the Add panel shows it: jobs from `capture.add`, updated live by
 * `queue.progress` events (which may arrive before capture.add's own answer, hence the merge
 * by jobId that never lets a "pending" overwrite a later state).
 */
export function useQueue(onError: (message: string) => void): QueueApi {
  const client = useClient();
  const [jobs, setJobs] = useState<Map<number, QueueItem>>(new Map());

  const merge = useCallback((incoming: QueueItem[], onlyIfNew = false) => {
    setJobs((cur) => {
      const next = new Map(cur);
      for (const item of incoming) {
        if (onlyIfNew && next.has(item.jobId)) continue;
        next.set(item.jobId, item);
      }
      return next;
    });
  }, []);

  useEffect(() => {
    const off = client.on('queue.progress', ({ item }) => merge([item]));
    // Jobs still in flight or failed from before this page opened (e.g. the bookmarklet's).
    client['queue.status']({ limit: 50 }).then(
      (status) => merge(status.items.filter((i) => !FINISHED.has(i.status)), true),
      () => {
        /* the banner reports an unreachable core; an empty queue is fine meanwhile */
      },
    );
    return off;
  }, [client, merge]);

  const add = useCallback(
    async (urls: string[]) => {
      const { jobs: created } = await client['capture.add']({ urls });
      const now = new Date().toISOString();
      merge(
        created.map((j) => ({
          jobId: j.jobId,
          url: j.url,
          status: 'pending' as const,
          attempts: 0,
          articleId: null,
          error: null,
          updatedAt: now,
        })),
        true,
      );
    },
    [client, merge],
  );

  const retry = useCallback(
    async (jobId: number) => {
      setJobs((cur) => {
        const item = cur.get(jobId);
        if (!item) return cur;
        const next = new Map(cur);
        next.set(jobId, { ...item, status: 'pending', error: null });
        return next;
      });
      try {
        await client['queue.retry']({ jobIds: [jobId] });
      } catch (err) {
        onError(`Couldn't retry: ${errorMessage(err)}`);
      }
    },
    [client, onError],
  );

  const clearFinished = useCallback(async () => {
    try {
      await client['queue.clearFinished']({});
      setJobs((cur) => new Map([...cur].filter(([, i]) => !FINISHED.has(i.status))));
    } catch (err) {
      onError(`Couldn't clear the finished jobs: ${errorMessage(err)}`);
    }
  }, [client, onError]);

  const items = [...jobs.values()].sort((a, b) => b.jobId - a.jobId);
  return { items, add, retry, clearFinished };
}
