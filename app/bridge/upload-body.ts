import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BodyResult } from './json-body.js';

/**
 * A raw upload (the import route's application/octet-stream body) streamed to a file, never
 * held in memory, with its cap enforced while streaming: a missing or lying Content-Length
 * cannot get past it. On any failure the partial file is removed.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export type UploadResult = { ok: true; bytes: number } | Extract<BodyResult, { ok: false }>;

export function isOctetStream(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/octet-stream';
}

export async function readUploadToFile(req: IncomingMessage, file: string, maxBytes: number): Promise<UploadResult> {
  const tooLarge: UploadResult = {
    ok: false,
    refusal: {
      status: 413,
      code: 'TOO_LARGE',
      message: `The file is larger than the ${Math.round(maxBytes / (1024 * 1024))} MB Folio accepts from the browser; import it with \`folio import FILE\` on the command line instead.`,
    },
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Answer now; the connection is closed after the reply rather than reading it all.
    req.resume();
    return tooLarge;
  }
  let bytes = 0;
  let over = false;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        over = true;
        done(new Error('upload over the cap'));
        return;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(file, { flags: 'wx' }));
    return { ok: true, bytes };
  } catch {
    rmSync(file, { force: true });
    if (over) return tooLarge;
    return { ok: false, refusal: null }; // the client went away mid-upload
  }
}
