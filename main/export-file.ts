import { basename, extname, join } from 'node:path';

/**
 * Where a finished export waits in the core's `exports/` folder beside the archive
 * (app/api/io-jobs.ts writes `<downloadId><ext>`), checked before main touches the disk: the
 * id is exactly what io-jobs makes (24 random bytes, base64url) and the extension one the
 * export formats produce, so a renderer can never name another file.
 */
const DOWNLOAD_ID = /^[A-Za-z0-9_-]{32}$/;
const EXTENSIONS = new Set(['.zip', '.epub', '.json', '.bib']);

export function exportFileFor(archiveDir: string, downloadId: unknown, fileName: unknown): string | null {
  if (typeof downloadId !== 'string' || !DOWNLOAD_ID.test(downloadId)) return null;
  if (typeof fileName !== 'string') return null;
  const ext = extname(fileName).toLowerCase();
  if (!EXTENSIONS.has(ext)) return null;
  return join(archiveDir, 'exports', `${downloadId}${ext}`);
}

/** The name offered in the save dialog: the export's own name, never a path. */
export function suggestedName(fileName: string): string {
  return basename(fileName).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || 'folio-export';
}
