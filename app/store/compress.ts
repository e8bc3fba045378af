import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';

/**
 * Compression of the original page HTML kept in the archive: Brotli at quality 3.
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
export type Codec = 'br' | 'gzip' | 'identity';

export interface Compressed {
  codec: Codec;
  data: Buffer;
  /** Uncompressed size in bytes (UTF-8). */
  bytes: number;
}

const BROTLI_QUALITY = 3;

export function compressText(text: string): Compressed {
  const raw = Buffer.from(text, 'utf8');
  const data = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  return { codec: 'br', data, bytes: raw.length };
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
