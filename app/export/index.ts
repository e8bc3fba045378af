import path from 'node:path';
import { FolioError } from '../core/errors.js';
import type { Archive } from '../store/archive.js';
import { exportCitations } from './citations.js';
import { exportEpub } from './epub.js';
import { exportHtml } from './html-offline.js';
import { exportJsonBackup } from './json-backup.js';
import { exportMarkdown } from './markdown.js';
import type { ExportRun } from './run.js';
import { resolveSelection, type ExportSelection } from './select.js';

/**
 * Exports: the one entry point the CLI and the UI call.
 *   markdown  folder (or .zip) of <date>-<slug>/index.md + images/, with a top-level index.md
 *   html      folder (or .zip) of self-contained offline pages + index.html
 *   epub      one EPUB 3 book
 *   json      lossless backup (json-backup.ts documents the format); .zip = images as files
 *   bibtex, csl-json  citations
 * Every format is written under a temporary name beside `out` and renamed at the end.
 */
export const EXPORT_FORMATS = ['markdown', 'html', 'epub', 'json', 'bibtex', 'csl-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions extends ExportSelection {
  format: ExportFormat;
  out: string;
  /** Replace an existing `out` (default: refuse). */
  overwrite?: boolean;
  /** After each article; throwing here aborts the export and leaves nothing at `out`. */
  onProgress?: (done: number, total: number) => void;
  /** The export's timestamp (zip entry times, EPUB dcterms:modified, backup exportedAt). */
  now?: Date;
  /** EPUB book title. */
  title?: string;
}

export interface ExportResult {
  format: ExportFormat;
  /** Absolute path written. */
  path: string;
  articles: number;
  images: number;
}

export async function exportArticles(archive: Archive, opts: ExportOptions): Promise<ExportResult> {
  if (!EXPORT_FORMATS.includes(opts.format)) {
    throw new FolioError('INVALID_INPUT', `Unknown export format "${String(opts.format)}"; use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
  if (!opts.out || opts.out.trim() === '') {
    throw new FolioError('INVALID_INPUT', 'No output path given; pass --out PATH.');
  }
  const out = path.resolve(opts.out);
  const { ids } = resolveSelection(archive, opts);
  const run: ExportRun = { archive, ids, onProgress: opts.onProgress, now: opts.now ?? new Date() };
  const o = { overwrite: opts.overwrite };
  const counts =
    opts.format === 'markdown'
      ? await exportMarkdown(run, out, o)
      : opts.format === 'html'
        ? await exportHtml(run, out, o)
        : opts.format === 'epub'
          ? await exportEpub(run, out, { ...o, title: opts.title })
          : opts.format === 'json'
            ? await exportJsonBackup(run, out, o)
            : await exportCitations(run, out, opts.format, o);
  return { format: opts.format, path: out, ...counts };
}

export type { ExportSelection } from './select.js';
