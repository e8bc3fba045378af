import { fileTypeFromBuffer } from 'file-type';

/**
 * Deciding whether a response is a web page: by its Content-Type, by sniffing when the server
 * sent none, and by catching binaries that servers mislabel as text/html.
 */

export const HTML_TYPES: ReadonlySet<string> = new Set(['text/html', 'application/xhtml+xml']);

/** The MIME type of a Content-Type header value: lower-case, no parameters; null if absent. */
export function mimeTypeOf(header: string | undefined | null): string | null {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === '' ? null : type;
}

/**
 * The HTML Standard's MIME sniffing patterns for HTML ("<!DOCTYPE HTML", "<html", "<p" ... each
 * followed by a space or ">", or "<!--"), after an optional UTF-8 BOM and leading whitespace.
 */
const HTML_SIGNATURES = [
  '<!doctype html', '<html', '<head', '<script', '<iframe', '<h1', '<div', '<font', '<table', '<a',
  '<style', '<title', '<b', '<body', '<br', '<p',
];

export function looksLikeHtml(bytes: Uint8Array): boolean {
  let text = new TextDecoder('utf-8').decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '');
  text = text.replace(/^[\t\n\f\r ]+/, '').toLowerCase();
  if (text.startsWith('<!--')) return true;
  return HTML_SIGNATURES.some((sig) => text.startsWith(sig) && /^[ >]/.test(text.slice(sig.length, sig.length + 1)));
}

/**
 * If a body labelled as HTML is really a binary file (an image, a PDF, an archive ...), the
 * detected MIME type; otherwise null. `html` is the body as decoded with `charset`.
 *
 * Magic-number detection only runs when the text does not start with markup: some signatures
 * are two bytes long (FF FE, the UTF-16LE byte order mark, reads as an MPEG audio frame), so a
 * real page must not be put to that test. NUL bytes in the first KB also mean binary, except in
 * UTF-16, where every ASCII character carries one.
 */
export async function binaryTypeOf(bytes: Uint8Array, html: string, charset: string): Promise<string | null> {
  if (!/^\s*</.test(html.slice(0, 256))) {
    const detected = await fileTypeFromBuffer(bytes.subarray(0, 4100));
    // file-type also recognises some text formats (XML); those are not "binary".
    if (detected && !/xml|^text\//.test(detected.mime)) return detected.mime;
  }
  if (!charset.startsWith('UTF-16') && bytes.subarray(0, 1024).includes(0)) return 'application/octet-stream';
  return null;
}

/** "…; Folio saves HTML pages", with a hint for the types people most often try. */
export function notAPageMessage(describe: string, type: string, labelled?: string): string {
  const what = labelled ? `is labelled ${labelled} but its content is ${type}` : `is ${type}`;
  const hint = type === 'application/pdf' ? ' (PDF support may come later)' : '';
  return `${describe} ${what}, not a web page; Folio saves HTML pages${hint}`;
}
