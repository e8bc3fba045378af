import type { ProtocolHandler } from './app-protocol.js';
import { ASSET_HOST, ASSET_SCHEME } from './schemes.js';
import { ASSET_CSP } from './security.js';

/**
 * The handler behind `folio-asset://img/<sha256>`: the bytes of one stored image, looked up by
 * its hash, with its stored type. Nothing else is reachable through this scheme: the URL must
 * be exactly host `img` and a path of 64 lowercase hex digits (no query, no extra segments),
 * and only image/* blobs are served. Everything else is a 404 that names no file or reason.
 */
export interface StoredImage {
  type: string;
  data: Uint8Array;
}
export type ImageLookup = (sha256: string) => Promise<StoredImage | null> | StoredImage | null;

const SHA256_PATH = /^\/([0-9a-f]{64})$/;
const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9.+-]*$/;

export function createAssetProtocolHandler(getImage: ImageLookup): ProtocolHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const sha256 = assetHash(request.url);
    if (!sha256) return notFound();
    let image: StoredImage | null;
    try {
      image = await getImage(sha256);
    } catch (err) {
      // The archive is unreachable (core restarting): the image shows as broken, the app goes on.
      console.error(`folio: could not read image ${sha256} from the archive:`, err);
      return notFound();
    }
    const type = image?.type.toLowerCase().split(';')[0]!.trim();
    if (!image || !type || !IMAGE_TYPE.test(type)) return notFound();
    const headers = {
      'Content-Type': type,
      'Content-Length': String(image.data.byteLength),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': ASSET_CSP,
      // Content-addressed: the bytes behind a hash never change.
      'Cache-Control': 'private, max-age=31536000, immutable',
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(image.data), { status: 200, headers });
  };
}

/** The sha256 a `folio-asset://img/<sha256>` URL names, or null for any other URL. */
export function assetHash(rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  // Chromium lower-cases the host of a standard scheme; Node's parser (non-special scheme) does not.
  if (url.protocol !== `${ASSET_SCHEME}:` || url.host.toLowerCase() !== ASSET_HOST) return null;
  if (url.search || url.hash || url.username || url.password || url.port) return null;
  return SHA256_PATH.exec(url.pathname)?.[1] ?? null;
}

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
