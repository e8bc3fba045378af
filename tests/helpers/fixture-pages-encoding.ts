/**
 * HTML pages as raw bytes in legacy encodings, for charset tests. Node cannot ENCODE these
 * charsets (TextEncoder is UTF-8 only and iconv-lite is not installed), so the encoded text is
 * hard-coded: the byte sequences were produced with Python's codecs (an encoder independent
 * of the decoder under test) and each sits next to the text it spells.
 */

/** “Café” costs €5 — naïve  (windows-1252: curly quotes, é, €, em dash, ï are all non-ASCII) */
export const WINDOWS_1252_TEXT = '“Café” costs €5 — naïve';
export const WINDOWS_1252_BYTES = [
  0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x63, 0x6f, 0x73, 0x74, 0x73, 0x20, 0x80, 0x35, 0x20, 0x97, 0x20, 0x6e,
  0x61, 0xef, 0x76, 0x65,
];

/** 日本語のテキスト  (Shift_JIS, two bytes per character) */
export const SHIFT_JIS_TEXT = '日本語のテキスト';
export const SHIFT_JIS_BYTES = [
  0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x83, 0x65, 0x83, 0x4c, 0x83, 0x58, 0x83, 0x67,
];

/** 简体中文页面 é 😀  (GB18030: the emoji needs its four-byte form, which GBK does not have) */
export const GB18030_TEXT = '简体中文页面 é 😀';
export const GB18030_BYTES = [
  0xbc, 0xf2, 0xcc, 0xe5, 0xd6, 0xd0, 0xce, 0xc4, 0xd2, 0xb3, 0xc3, 0xe6, 0x20, 0xa8, 0xa6, 0x20, 0x94, 0x39, 0xfc,
  0x36,
];

/** An HTML document: ASCII markup around `body` bytes, with optional extra <head> markup. */
export function htmlBytes(body: number[] | Uint8Array, head = ''): Buffer {
  return Buffer.concat([
    Buffer.from(`<!doctype html><html><head>${head}<title>t</title></head><body><p id="text">`, 'latin1'),
    Buffer.from(body),
    Buffer.from('</p></body></html>', 'latin1'),
  ]);
}

/** The same page as text, for asserting decoded output. */
export function htmlText(body: string, head = ''): string {
  return `<!doctype html><html><head>${head}<title>t</title></head><body><p id="text">${body}</p></body></html>`;
}

/** UTF-16 bytes of `text` with a byte order mark. */
export function utf16WithBom(text: string, endian: 'LE' | 'BE'): Buffer {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return endian === 'LE' ? le : Buffer.from(le).swap16();
}
