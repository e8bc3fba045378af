/**
 * The core's implementation of every method of the contract (app/core/contract.ts), over one
 * open archive. Inputs arrive already validated by dispatch (zod); errors are FolioErrors,
 * which dispatch turns into { ok: false, error }. Transports (the loopback bridge, Electron
 * IPC) only ever call these through dispatch.
 */
import type { FolioHandlers } from '../core/contract.js';
import { FolioError } from '../core/errors.js';
import { tryNormalizeUrl } from '../core/url-normalize.js';
import { toQueueItem, type QueueRunner } from '../queue/runner.js';
import type { Archive } from '../store/archive.js';
import { writeFileSync } from 'node:fs';
import type { EventBus } from './events.js';
import { createIoJobs, type IoJobs } from './io-jobs.js';
import type { ExtractionWorkers } from '../capture/extract-pool.js';

export interface HandlerDeps {
  archive: Archive;
  events: EventBus;
  /** Runs what capture.add, queue.retry and articles.refresh queue (started by the caller or on first use). */
  runner: QueueRunner;
  /** Export/import jobs (export.run, import.upload); default: made here, beside the archive. */
  io?: IoJobs;
  /** The extraction pool the runner uses; fetching imports use it too. */
  extractPool?: ExtractionWorkers;
}

/**
 * The IoJobs behind a handlers object, for the transport routes that are not JSON methods
 * (the bridge's streamed upload and its export downloads) so every caller of createHandlers
 * gets them without wiring a second object through.
 */
const ioOfHandlers = new WeakMap<FolioHandlers, IoJobs>();
export function ioJobsOf(handlers: FolioHandlers): IoJobs | null {
  return ioOfHandlers.get(handlers) ?? null;
}

export function createHandlers(deps: HandlerDeps): FolioHandlers {
  const { archive, events, runner } = deps;
  const io = deps.io ?? createIoJobs({ archive, events, runner, ...(deps.extractPool ? { extractPool: deps.extractPool } : {}) });
  const changed = (ids: number[]) => {
    if (ids.length > 0) events.emit('library.changed', { ids });
  };

  const handlers: FolioHandlers = {
    // ── Capture ─────────────────────────────────────────────────────────────────────────
    async 'capture.add'({ urls, tags, render }) {
      // Only web addresses: the UI is reachable over the loopback bridge, and a path here would
      // let whoever holds the access key read any file of this computer into the archive.
      const bad = urls.find((u) => !isWebUrl(u));
      if (bad !== undefined) {
        throw new FolioError(
          'INVALID_INPUT',
          `"${bad.slice(0, 200)}" is not a web address; give a full http(s) URL, e.g. https://example.com/page (to add a saved page file, use folio add on the command line)`,
        );
      }
      const options = { ...(tags?.length ? { tags } : {}), ...(render ? { render } : {}) };
      runner.start();
      const jobs = runner.enqueue(urls.map((input) => ({ input, options })));
      return { jobs: jobs.map((j) => ({ jobId: j.jobId, url: j.url })) };
    },
    async 'queue.status'({ limit }) {
      const status = archive.queue.status(limit ?? 100);
      return { ...status, items: status.items.map(toQueueItem) };
    },
    async 'queue.retry'({ jobIds }) {
      const retried = archive.queue.retryJobs(jobIds);
      runner.start();
      runner.kick();
      return { retried };
    },
    async 'queue.clearFinished'() {
      return { cleared: archive.queue.clearFinished() };
    },

    // ── Library ─────────────────────────────────────────────────────────────────────────
    async 'articles.list'(input) {
      return archive.listArticles(input);
    },
    async 'articles.search'({ query, limit, offset }) {
      // The parsed query is the store's business; the contract carries the page only.
      const { query: _parsed, ...page } = archive.search(query, { limit, offset });
      return page;
    },
    async 'articles.get'({ id }) {
      const article = archive.getArticle(id);
      if (!article) throw notFound(id);
      return article;
    },
    async 'articles.setTags'({ id, tags }) {
      const summary = archive.setTags(id, tags);
      changed([id]);
      return summary;
    },
    async 'articles.setFlags'({ ids, read, archived, favorite }) {
      const flags = Object.fromEntries(
        Object.entries({ read, archived, favorite }).filter(([, v]) => v !== undefined),
      ) as { read?: boolean; archived?: boolean; favorite?: boolean };
      const updated = Object.keys(flags).length > 0 ? archive.setFlags(ids, flags) : 0;
      if (updated > 0) changed([...ids]);
      return { updated };
    },
    async 'articles.setProgress'({ id, progress }) {
      // Not announced: progress changes on every scroll and no list shows it live.
      archive.setProgress(id, progress);
      return { ok: true as const };
    },
    async 'articles.delete'({ ids }) {
      const deleted = archive.deleteArticles(ids);
      if (deleted > 0) changed([...ids]);
      return { deleted };
    },
    async 'articles.restore'({ ids }) {
      const restored = archive.restoreArticles(ids);
      if (restored > 0) changed([...ids]);
      return { restored };
    },
    async 'articles.refresh'({ id }) {
      const article = archive.getArticle(id);
      if (!article) throw notFound(id);
      runner.start();
      // The address it was saved from (a redirect is followed again; a saved page file is re-read).
      const [job] = runner.enqueue([{ input: article.url, options: { refreshArticleId: id } }]);
      return { jobId: job!.jobId };
    },

    // ── Facets and stats ────────────────────────────────────────────────────────────────
    async 'tags.list'() {
      return archive.listTags();
    },
    async 'sites.list'() {
      return archive.listSites();
    },
    async 'stats.get'() {
      return archive.stats();
    },

    // ── Settings ────────────────────────────────────────────────────────────────────────
    async 'settings.get'() {
      return archive.getSettings();
    },
    async 'settings.set'(partial) {
      // The runner reads the settings per job: the next capture uses the new values.
      return archive.updateSettings(partial);
    },

    // ── Export and import ──────────────────────────────────────────────────────────────
    async 'export.run'(input) {
      return io.runExport(input);
    },
    async 'import.upload'({ name, data, fetch, importId }) {
      const file = io.uploadPath(name);
      writeFileSync(file, Buffer.from(data, 'base64'));
      return io.startImport(file, { name, fetch: fetch ?? false, ...(importId ? { importId } : {}) });
    },
  };
  ioOfHandlers.set(handlers, io);
  return handlers;
}

function isWebUrl(input: string): boolean {
  const url = tryNormalizeUrl(input);
  return url !== null && /^https?:/i.test(url);
}

function notFound(id: number): FolioError {
  return new FolioError('NOT_FOUND', `There is no article ${id} in the archive; it may have been deleted for good. Reload the list.`);
}
