import { promisify } from 'node:util';
import type { CompressedText } from '../core/types.js';
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants, gunzipSync, type BrotliOptions } from 'node:zlib';

/**
 * Compression of the original page HTML kept in the archive: Brotli at quality 3. Capture uses
 * compressTextAsync too, to hand the store an original compressed in advance.
 *
 * Re-measured for issue #6 (bulk imports restore thousands of originals, so this runs on the
 * store's critical path). On the 130 real pages of ../shared/corpus/readability-test-pages
 * (193 KB average), CPU per page and compressed size as a share of the HTML:
 *     quality 5: 1.84 ms, 13.6%      quality 4: 1.08 ms, 14.6%
 *     quality 3: 0.73 ms, 15.3%      quality 2: 0.63 ms, 15.8%      gzip -6: 1.58 ms, 16.5%
 * and on the bench's small 3.3 KB originals 101 µs (q5) → 47 µs (q3). Quality 3 is the knee:
 * 2.5x faster than 5 for originals 12% larger (about 3 KB per real article). The default
 * quality 11 was measured earlier at 0.6 MB/s, far too slow to run on every capture.
 * The codec is stored beside the bytes, so the choice can change without a migration, and
 * originals written at any quality decompress the same way.
 */
export type Codec = CompressedText['codec'];

export interface Compressed extends CompressedText {
  data: Buffer;
}

const BROTLI_QUALITY = 3;

function brotliOptions(raw: Buffer): BrotliOptions {
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  };
}

export function compressText(text: string): Compressed {
  return compressUtf8(Buffer.from(text, 'utf8'));
}

/** compressText for text already encoded as UTF-8 (compress-helper.ts and its thread). */
export function compressUtf8(raw: Buffer): Compressed {
  return { codec: 'br', data: brotliCompressSync(raw, brotliOptions(raw)), bytes: raw.length };
}

const brotliCompressAsync = promisify(brotliCompress);

/**
 * compressText on libuv's thread pool: the same bytes, without the calling thread's time. Capture
 * starts it as soon as a page's HTML is final, so it runs while the page is cleaned and its
 * images download, and saving no longer compresses on the event loop (a CPU profile of a
 * 1,000-page import put 20 % of its longest stall, 86 ms saving a large page, in compressing
 * that page's original).
 */
export async function compressTextAsync(text: string): Promise<Compressed> {
  const raw = Buffer.from(text, 'utf8');
  return { codec: 'br', data: await brotliCompressAsync(raw, brotliOptions(raw)), bytes: raw.length };
}

export function decompressText(codec: string, data: Uint8Array): string {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  switch (codec) {
    case 'br':
      return brotliDecompressSync(buf).toString('utf8');
    case 'gzip':
      return gunzipSync(buf).toString('utf8');
    case 'identity':
      return buf.toString('utf8');
    default:
      throw new Error(`unknown compression codec "${codec}"`);
  }
}
