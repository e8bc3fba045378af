import { TextDecoder as WhatwgTextDecoder, labelToName } from '@exodus/bytes/encoding.js';
import { createRequire } from 'node:module';

/**
 * Turning the bytes of an HTML page into text, following the HTML Standard's encoding sniffing
 * order (BOM > Content-Type charset > <meta> prescan > default) with two pragmatic fixes for
 * pages that lie about themselves:
 *
 *  1. A declaration whose charset the bytes are not valid in (e.g. the header says utf-8 but the
 *     bytes are windows-1252 and a <meta> says so) gives way to the next declaration that decodes
 *     cleanly, and failing that to UTF-8 if the bytes are valid UTF-8.
 *  2. A page that declares nothing is UTF-8 when its bytes are valid UTF-8 (most of today's web),
 *     windows-1252 otherwise (the Standard's default for English locales).
 *
 * Names returned are the WHATWG canonical names (e.g. 'UTF-8', 'Shift_JIS', 'windows-1252').
 *
 * Decoding uses @exodus/bytes (the Encoding Standard implementation jsdom itself uses), not
 * Node's TextDecoder: Node 20 decodes 'windows-1252' as ISO-8859-1, turning “ ” € — into
 * invisible C1 control characters.
 */

type Sniff = (
  bytes: Uint8Array,
  options?: { transportLayerEncodingLabel?: string; defaultEncoding?: string; xml?: boolean },
) => string;

// html-encoding-sniffer ships no type declarations; it is CommonJS exporting one function.
const sniffHTMLEncoding = createRequire(import.meta.url)('html-encoding-sniffer') as Sniff;

const EMPTY = new Uint8Array(0);
/** Passed as the default so the sniffer tells us "nothing found" instead of guessing. */
const NOTHING = '';

/** The canonical WHATWG name for an encoding label ('latin1' → 'windows-1252'), or null. */
export function canonicalEncodingName(label: string): string | null {
  return labelToName(label);
}

/** The charset parameter of a Content-Type header value, or null. */
export function charsetFromContentType(header: string | null): string | null {
  if (!header) return null;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(header);
  const label = (match?.[1] ?? match?.[2] ?? '').trim();
  return label === '' ? null : label;
}

/** The encoding named by a byte order mark at the start of `bytes`, or null. */
export function bomEncoding(bytes: Uint8Array): 'UTF-8' | 'UTF-16BE' | 'UTF-16LE' | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'UTF-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  return null;
}

/** The encoding declared by <meta charset> / <meta http-equiv=content-type> in the first 1024 bytes. */
export function metaDeclaredEncoding(bytes: Uint8Array): string | null {
  // With no transport label and no default, the sniffer answers from the BOM or the prescan only;
  // callers check the BOM first, so what comes back here is the <meta> declaration.
  return sniffHTMLEncoding(bytes, { defaultEncoding: NOTHING }) || null;
}

/** Decodes, or returns null when `bytes` are not valid in `encoding` (or Node cannot decode it). */
function decodeStrict(bytes: Uint8Array, encoding: string): string | null {
  try {
    return new WhatwgTextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Decodes with U+FFFD for invalid sequences, or null for an encoding that cannot decode text. */
function decodeLenient(bytes: Uint8Array, encoding: string): string | null {
  try {
    return new WhatwgTextDecoder(encoding).decode(bytes);
  } catch {
    return null;
  }
}

export function decodeHtmlBytes(bytes: Uint8Array, contentTypeHeader: string | null): { html: string; charset: string } {
  // 1. A BOM is authoritative (TextDecoder strips it).
  const bom = bomEncoding(bytes);
  if (bom) return { html: decodeLenient(bytes, bom)!, charset: bom };

  // 2. Declarations, strongest first: the header, then <meta>. The "replacement" encoding
  //    (labels of insecure encodings such as ISO-2022-KR) would decode to a single U+FFFD; it
  //    is skipped in favour of what the bytes themselves support.
  const headerLabel = charsetFromContentType(contentTypeHeader);
  const declared = [headerLabel ? canonicalEncodingName(headerLabel) : null, metaDeclaredEncoding(bytes)]
    .filter((name): name is string => name !== null && name !== 'replacement' && decodeLenient(EMPTY, name) !== null)
    .filter((name, i, all) => all.indexOf(name) === i);

  for (const charset of declared) {
    const html = decodeStrict(bytes, charset);
    if (html !== null) return { html, charset };
  }

  // 3. Nothing declared, or every declaration is contradicted by the bytes.
  const utf8 = decodeStrict(bytes, 'UTF-8');
  if (utf8 !== null) return { html: utf8, charset: 'UTF-8' };
  const charset = declared[0] ?? 'windows-1252';
  return { html: decodeLenient(bytes, charset)!, charset };
}
