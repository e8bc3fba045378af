import { FolioError } from '../core/errors.js';
import type { HopResponse } from './http-client.js';
import { toFolioNetworkError } from './http-errors.js';

/**
 * Reads a response body into memory, never holding more than `maxBytes` of it: the count is of
 * DECOMPRESSED bytes, checked on every chunk, and the socket is destroyed the moment the count
 * passes the cap, so neither a huge download nor a gzip bomb can fill memory or the disk.
 */
export async function readCappedBody(
  res: HopResponse,
  maxBytes: number,
  describe: string,
  signal: AbortSignal,
): Promise<Uint8Array> {
  // A declared length (of the encoded body) over the cap: refuse before reading a byte.
  if (res.contentLength !== null && res.contentLength > maxBytes) {
    res.abort();
    throw tooLarge(describe, maxBytes, `the server announced ${formatBytes(res.contentLength)}`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) {
        res.abort();
        throw tooLarge(describe, maxBytes, `stopped after ${formatBytes(received)}`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof FolioError) throw err;
    // Aborts (total timeout, cancel) destroy the stream with the signal's reason.
    if (signal.aborted) throw signal.reason;
    throw toFolioNetworkError(err, describe);
  }
  return Buffer.concat(chunks, received);
}

function tooLarge(describe: string, maxBytes: number, detail: string): FolioError {
  return new FolioError(
    'TOO_LARGE',
    `${describe} is larger than the ${formatBytes(maxBytes)} limit (${detail}); ` +
      'raise the limit with FOLIO_MAX_BYTES if you really want it',
  );
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
