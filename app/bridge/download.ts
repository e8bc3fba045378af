import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { IoJobs } from '../api/io-jobs.js';
import { BASE_HEADERS, INERT_CSP } from './csp.js';

/**
 * Sends a finished export as an attachment, then deletes it: a download link works once, which
 * keeps the exports folder from filling up. The name is the one Folio chose (ASCII, no quotes),
 * so it goes into Content-Disposition as is; the bytes are never rendered (nosniff, inert CSP).
 */
export function serveDownload(res: ServerResponse, io: IoJobs, downloadId: string, headOnly: boolean): void {
  const entry = io.download(downloadId);
  if (!entry) {
    const text = 'This export is no longer available (it was downloaded already, or expired after an hour); export again.';
    res.writeHead(404, { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': INERT_CSP, 'cache-control': 'no-store' });
    res.end(text);
    return;
  }
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': entry.contentType,
    'content-length': String(entry.bytes),
    'content-disposition': `attachment; filename="${entry.fileName}"`,
    'content-security-policy': INERT_CSP,
    'cache-control': 'no-store',
  });
  if (headOnly) {
    res.end();
    return;
  }
  const stream = createReadStream(entry.path);
  stream.pipe(res);
  // Deleted only when every byte went out; a broken transfer may be retried until it expires.
  res.on('finish', () => io.finishDownload(downloadId));
  stream.on('error', () => res.destroy());
}
