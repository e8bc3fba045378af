/**
 * Export and import started from the UI. Both are long jobs over files, so unlike the other
 * methods they report progress as events and work through two folders beside the archive:
 *
 *   exports/  finished exports waiting to be downloaded (GET /exports/<downloadId> on the
 *             bridge). Each is deleted once downloaded, or after an hour if nobody fetches it,
 *             and any left over by a previous run are deleted at startup.
 *   uploads/  files sent for import (the bridge streams them here; IPC sends base64). Deleted
 *             when their import ends.
 *
 * Imports run one at a time: an import that fetches pages runs its own capture runner, so the
 * app's runner is paused meanwhile instead of both claiming the same queued jobs.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { ExportFormat, ExportReady, ImportOutcome } from '../core/contract.js';
import { asFolioError, FolioError } from '../core/errors.js';
import { normalizeTag } from '../core/query/tags.js';
import { exportArticles } from '../export/index.js';
import { detectFormat } from '../import/detect.js';
import { importFile } from '../import/import-run.js';
import { inspectInput } from '../import/read-input.js';
import type { QueueRunner } from '../queue/runner.js';
import type { Archive } from '../store/archive.js';
import type { EventBus } from './events.js';
import type { ExtractionWorkers } from '../capture/extract-pool.js';

export interface IoJobs {
  /** Runs one export to completion (announcing `export.progress`) and makes it downloadable. */
  runExport(request: ExportRequest): Promise<ExportReady>;
  /** A fresh path in uploads/ for a file called `name` (only its extension is kept). */
  uploadPath(name: string): string;
  /** Takes ownership of `file` (an upload) and imports it in the background; answers at once. */
  startImport(file: string, options: { name: string; fetch: boolean; importId?: string }): { importId: string };
  /** The export waiting under this id, or null (unknown, expired or already downloaded). */
  download(downloadId: string): Download | null;
  /** Forgets a download and deletes its file (after it was sent). */
  finishDownload(downloadId: string): void;
  /** Resolves when every import started so far has ended (tests; shutdown). */
  idle(): Promise<void>;
}

export interface ExportRequest {
  format: ExportFormat;
  query?: string;
  tag?: string;
  ids?: readonly number[];
  exportId?: string;
}

export interface Download {
  path: string;
  fileName: string;
  contentType: string;
  bytes: number;
}

export interface IoJobsDeps {
  archive: Archive;
  events: EventBus;
  runner: QueueRunner;
  /** The extraction pool a fetching import's captures use (the app's own). */
  extractPool?: ExtractionWorkers;
  /** How long an unclaimed export is kept; default one hour. */
  downloadTtlMs?: number;
}

/** Where each format goes, and as what. Folder formats are zipped: a download is one file. */
const EXPORT_FILES: Record<ExportFormat, { suffix: string; type: string }> = {
  markdown: { suffix: '-markdown.zip', type: 'application/zip' },
  html: { suffix: '-html.zip', type: 'application/zip' },
  epub: { suffix: '.epub', type: 'application/epub+zip' },
  json: { suffix: '-backup.json', type: 'application/json' },
  bibtex: { suffix: '.bib', type: 'application/x-bibtex' },
  'csl-json': { suffix: '-citations.json', type: 'application/vnd.citationstyles.csl+json' },
};
const PROGRESS_EVERY_MS = 100;
const MAX_LISTED_FAILURES = 20;
const SINGLE_PAGE = /\.x?html?$/i;

export function createIoJobs(deps: IoJobsDeps): IoJobs {
  const { archive, events, runner } = deps;
  const ttl = deps.downloadTtlMs ?? 60 * 60 * 1000;
  const root = dirname(archive.path);
  const exportsDir = join(root, 'exports');
  const uploadsDir = join(root, 'uploads');
  const downloads = new Map<string, Download & { timer: NodeJS.Timeout }>();
  let importChain: Promise<void> = Promise.resolve();

  // Nothing in exports/ can be downloaded after a restart (the ids lived in memory); uploads
  // left there belong to imports a crash interrupted.
  removeOrphans(exportsDir, 0);
  removeOrphans(uploadsDir, 0);

  async function runExport(request: ExportRequest): Promise<ExportReady> {
    const exportId = request.exportId ?? newId();
    const downloadId = randomBytes(24).toString('base64url');
    const file = EXPORT_FILES[request.format];
    const fileName = `folio-${new Date().toISOString().slice(0, 10)}${file.suffix}`;
    mkdirSync(exportsDir, { recursive: true });
    const out = join(exportsDir, `${downloadId}${extname(fileName)}`);
    const announce = throttled((done: number, total: number) => events.emit('export.progress', { exportId, done, total }));
    const result = await exportArticles(archive, {
      format: request.format,
      out,
      ...(request.query !== undefined ? { query: request.query } : {}),
      ...(request.tag !== undefined ? { tag: request.tag } : {}),
      ...(request.ids !== undefined ? { ids: request.ids } : {}),
      onProgress: (done, total) => announce(done, total, done === total),
    });
    const bytes = statSync(result.path).size;
    const timer = setTimeout(() => finishDownload(downloadId), ttl);
    timer.unref();
    downloads.set(downloadId, { path: result.path, fileName, contentType: file.type, bytes, timer });
    return { exportId, downloadId, fileName, articles: result.articles, images: result.images, bytes };
  }

  function finishDownload(downloadId: string): void {
    const entry = downloads.get(downloadId);
    if (!entry) return;
    downloads.delete(downloadId);
    clearTimeout(entry.timer);
    rmSync(entry.path, { force: true });
  }

  function uploadPath(name: string): string {
    mkdirSync(uploadsDir, { recursive: true });
    // Only the extension of the sender's name reaches the disk, and only a plain one.
    const ext = extname(name).toLowerCase();
    return join(uploadsDir, `${newId()}${/^\.[a-z0-9]{1,8}$/.test(ext) ? ext : ''}`);
  }

  function startImport(file: string, options: { name: string; fetch: boolean; importId?: string }): { importId: string } {
    const importId = options.importId ?? newId();
    const name = options.name;
    events.emit('import.progress', { importId, name, read: 0, settled: 0 });
    const run = async () => {
      let outcome: ImportOutcome;
      try {
        outcome = await importOne(file, name, importId, options.fetch);
      } catch (err) {
        const e = asFolioError(err);
        outcome = { ...emptyOutcome(name), error: { code: e.code, message: e.message.split(file).join(name), line: null } };
      } finally {
        rmSync(file, { force: true });
      }
      events.emit('import.progress', { importId, name, read: outcome.items, settled: outcome.items, done: true, outcome });
    };
    importChain = importChain.then(run, run);
    return { importId };
  }

  async function importOne(file: string, name: string, importId: string, fetch: boolean): Promise<ImportOutcome> {
    if (SINGLE_PAGE.test(name) && !(await isKnownExport(file))) return captureSavedPage(file, name, importId);
    const failures: ImportOutcome['failures'] = [];
    const newIds: number[] = [];
    const announce = throttled((read: number, settled: number) => events.emit('import.progress', { importId, name, read, settled }));
    // A fetching import runs its own capture runner; two runners would claim each other's jobs.
    if (fetch) await runner.stop();
    try {
      const summary = await importFile(archive, file, {
        fetch,
        ...(deps.extractPool ? { extractPool: deps.extractPool } : {}),
        onItem: (report) => {
          if (report.id !== undefined && (report.status === 'saved' || report.status === 'bookmarked')) newIds.push(report.id);
          if (report.status === 'failed' && failures.length < MAX_LISTED_FAILURES) {
            failures.push({ line: report.line ?? null, url: report.url ?? '', error: report.error ?? 'failed' });
          }
        },
        onProgress: ({ read, settled }) => announce(read, settled, false),
      });
      const { file: _path, seconds: _s, error, ...counts } = summary;
      return {
        name,
        ...counts,
        failures,
        // Messages name the temporary upload; the user knows the file by its own name.
        ...(error ? { error: { ...error, message: error.message.split(file).join(name) } } : {}),
      };
    } finally {
      if (fetch) runner.start();
      if (newIds.length > 0) events.emit('library.changed', { ids: newIds });
    }
  }

  /** One saved web page (not an export): captured like `folio add page.html`, tagged with its name. */
  async function captureSavedPage(file: string, name: string, importId: string): Promise<ImportOutcome> {
    const tag = normalizeTag(name.replace(SINGLE_PAGE, ''));
    runner.start();
    const [job] = runner.enqueue([{ input: file, options: tag ? { tags: [tag] } : {} }]);
    const item = await new Promise<{ status: string; articleId: number | null; error: { message: string } | null }>((resolve) => {
      const off = events.on('queue.progress', ({ item }) => {
        if (item.jobId !== job!.jobId || (item.status !== 'saved' && item.status !== 'duplicate' && item.status !== 'failed')) return;
        off();
        resolve(item);
      });
    });
    events.emit('import.progress', { importId, name, read: 1, settled: 1 });
    const outcome: ImportOutcome = { ...emptyOutcome(name), format: 'saved page', items: 1 };
    if (item.status === 'saved') outcome.saved = 1;
    else if (item.status === 'duplicate') outcome.duplicate = 1;
    else {
      outcome.failed = 1;
      outcome.failures.push({ line: null, url: name, error: (item.error?.message ?? 'the page could not be read').split(file).join(name) });
    }
    return outcome;
  }

  return {
    runExport,
    uploadPath,
    startImport,
    download: (id) => downloads.get(id) ?? null,
    finishDownload,
    idle: () => importChain,
  };
}

/** True when the file is an export Folio reads (bookmarks, Pocket…); false for any other page. */
async function isKnownExport(file: string): Promise<boolean> {
  try {
    await detectFormat(inspectInput(file));
    return true;
  } catch (err) {
    if (err instanceof FolioError && err.code === 'BAD_FORMAT') return false;
    throw err;
  }
}

function emptyOutcome(name: string): ImportOutcome {
  return { name, format: 'unknown', items: 0, saved: 0, bookmarked: 0, duplicate: 0, skipped: 0, failed: 0, failures: [] };
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** At most one call per PROGRESS_EVERY_MS, except forced ones (the last): SSE clients stay calm. */
function throttled(fn: (a: number, b: number) => void): (a: number, b: number, force: boolean) => void {
  let last = 0;
  return (a, b, force) => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    fn(a, b);
  };
}

function removeOrphans(dir: string, olderThanMs: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // not created yet
  }
  const cutoff = Date.now() - olderThanMs;
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs <= cutoff) rmSync(path, { recursive: true, force: true });
    } catch {
      /* gone already */
    }
  }
}
