import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';

/**
 * Compression of the original page HTML kept in the archive. Brotli at quality 5: on 3.7 MB of
 * real HTML it kept 11.6% of the size at ~80 MB/s, against 10.0% at 0.6 MB/s for the default
 * quality 11 (far too slow to run on every capture) and 23.1% at ~22 MB/s for gzip -6.
 * The codec is stored beside the bytes, so the choice can change without a migration.
 */
export type Codec = 'br' | 'gzip' | 'identity';

export interface Compressed {
  codec: Codec;
  data: Buffer;
  /** Uncompressed size in bytes (UTF-8). */
  bytes: number;
}

const BROTLI_QUALITY = 5;

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
