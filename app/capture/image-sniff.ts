/**
 * What an image really is, decided from its bytes (never from the server's Content-Type or
 * the URL's extension, which lie often enough), and the decoding of inline `data:` images.
 *
 * Only web-renderable raster formats are stored. SVG is refused on purpose: it is XML that can
 * carry scripts and external references, and the reader shows stored images inline.
 */
import { fileTypeFromBuffer } from 'file-type';
import { FolioError } from '../core/errors.js';

/** MIME types Folio stores (as `file-type` names them). */
export const STORABLE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/apng',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/x-icon',
]);

export const SVG_REFUSED_REASON = 'SVG images are not stored for safety (they can carry scripts)';

export type SniffResult =
  | { ok: true; type: string }
  | { ok: false; reason: string; detected: string | null };

/** Bytes → a storable image type, or the reason it is not one (for the failed-image record). */
export async function sniffImage(bytes: Uint8Array): Promise<SniffResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty response (0 bytes)', detected: null };
  // Text formats first: file-type would call an SVG with an XML prolog "application/xml".
  const text = textKindOf(bytes);
  if (text === 'image/svg+xml') return { ok: false, reason: SVG_REFUSED_REASON, detected: text };
  const found = await fileTypeFromBuffer(bytes);
  if (found && STORABLE_IMAGE_TYPES.has(found.mime)) return { ok: true, type: found.mime };
  if (found?.mime.startsWith('image/')) {
    return { ok: false, reason: `unsupported image format (${found.mime}); browsers cannot display it`, detected: found.mime };
  }
  const detected = found?.mime ?? text;
  if (detected) return { ok: false, reason: `not an image (${detected})`, detected };
  return { ok: false, reason: 'not a recognised image format', detected: null };
}

/**
 * Classifies textual content by its first characters: SVG (root element `<svg`), HTML, JSON or
 * plain text. Returns null for binary data.
 */
export function textKindOf(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 4096);
  // Binary data has control characters other than whitespace; text does not.
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3; // UTF-8 BOM
  for (let i = start; i < head.length; i++) {
    const b = head[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return null;
  }
  const text = new TextDecoder('utf-8').decode(head.subarray(start));
  const root = firstElementName(text);
  if (root === 'svg') return 'image/svg+xml';
  if (root === 'html' || root === 'head' || root === 'body' || /^\s*<!doctype\s+html/i.test(text)) return 'text/html';
  if (root !== null) return /^\s*<\?xml/i.test(text) ? 'application/xml' : 'text/html';
  if (/^\s*[[{]/.test(text)) return 'application/json';
  return 'text/plain';
}

/** The first element's name after any XML prolog, comments, doctype and whitespace. */
function firstElementName(text: string): string | null {
  let rest = text;
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) return null;
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) return null;
      rest = rest.slice(end + 3);
    } else if (/^<!doctype/i.test(rest)) {
      // A doctype may hold an internal subset in brackets (SVG 1.1 DTDs do).
      const bracket = rest.indexOf('[');
      const close = rest.indexOf('>');
      if (close < 0) return null;
      if (bracket >= 0 && bracket < close) {
        const subsetEnd = rest.indexOf(']>');
        if (subsetEnd < 0) return null;
        rest = rest.slice(subsetEnd + 2);
      } else {
        rest = rest.slice(close + 1);
      }
    } else {
      const m = /^<([a-zA-Z][\w:.-]*)/.exec(rest);
      if (!m) return null;
      // `<svg:svg` (namespaced root) is SVG too.
      return m[1]!.toLowerCase().replace(/^[\w.-]+:/, '');
    }
  }
}

export interface DecodedDataUrl {
  /** As declared in the URL (may be wrong; sniff the bytes). Default text/plain per spec. */
  mediaType: string;
  data: Uint8Array;
}

/**
 * Decodes a `data:` URL (WHATWG fetch "data: URL processor"): percent-decoding always, then
 * forgiving base64 when the type ends in `;base64`. Throws DECODE_FAILED on malformed input.
 */
export function decodeDataUrl(url: string): DecodedDataUrl {
  if (!/^data:/i.test(url)) throw new FolioError('DECODE_FAILED', `${shortDataUrl(url)} is not a data: URL`);
  const comma = url.indexOf(',');
  if (comma < 0) throw new FolioError('DECODE_FAILED', `${shortDataUrl(url)}: malformed data: URL (no comma)`);
  let mediaType = url.slice(5, comma).trim();
  const body = percentDecode(url.slice(comma + 1));
  const base64 = /;\s*base64\s*$/i.exec(mediaType);
  let data: Uint8Array = body;
  if (base64) {
    mediaType = mediaType.slice(0, base64.index).trim();
    const decoded = forgivingBase64(body);
    if (!decoded) throw new FolioError('DECODE_FAILED', `${shortDataUrl(url)}: invalid base64 in data: URL`);
    data = decoded;
  }
  if (mediaType.startsWith(';')) mediaType = 'text/plain' + mediaType;
  return { mediaType: (mediaType || 'text/plain;charset=US-ASCII').toLowerCase(), data };
}

/** A data: URL shortened for messages and image records (they can be megabytes long). */
export function shortDataUrl(url: string): string {
  const comma = url.indexOf(',');
  const head = comma >= 0 ? url.slice(0, comma + 1) : url.slice(0, 40);
  return head.length > 100 ? head.slice(0, 100) + '…' : head + '…';
}

function percentDecode(s: string): Uint8Array {
  const encoded = new TextEncoder().encode(s);
  const out = new Uint8Array(encoded.length);
  let n = 0;
  for (let i = 0; i < encoded.length; i++) {
    const b = encoded[i]!;
    if (b === 0x25 && i + 2 < encoded.length && isHex(encoded[i + 1]!) && isHex(encoded[i + 2]!)) {
      out[n++] = parseInt(String.fromCharCode(encoded[i + 1]!, encoded[i + 2]!), 16);
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** WHATWG forgiving-base64 decode: ASCII whitespace ignored, padding optional but checked. */
function forgivingBase64(bytes: Uint8Array): Uint8Array | null {
  let s = new TextDecoder('latin1').decode(bytes).replace(/[\t\n\f\r ]+/g, '');
  if (s.length % 4 === 0) s = s.replace(/==?$/, '');
  if (s.length % 4 === 1 || !/^[A-Za-z0-9+/]*$/.test(s)) return null;
  return new Uint8Array(Buffer.from(s, 'base64'));
}
