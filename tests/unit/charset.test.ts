import { describe, expect, it } from 'vitest';
import {
  canonicalEncodingName,
  charsetFromContentType,
  decodeHtmlBytes,
  metaDeclaredEncoding,
} from '../../app/capture/charset.js';
import {
  GB18030_BYTES,
  GB18030_TEXT,
  SHIFT_JIS_BYTES,
  SHIFT_JIS_TEXT,
  WINDOWS_1252_BYTES,
  WINDOWS_1252_TEXT,
  htmlBytes,
  htmlText,
  utf16WithBom,
} from '../helpers/fixture-pages-encoding.js';

describe('charsetFromContentType', () => {
  it('reads plain, quoted, spaced and upper-case parameters', () => {
    expect(charsetFromContentType('text/html; charset=utf-8')).toBe('utf-8');
    expect(charsetFromContentType('text/html;charset="Shift_JIS"')).toBe('Shift_JIS');
    expect(charsetFromContentType('text/html; CHARSET = windows-1252 ; foo=bar')).toBe('windows-1252');
    expect(charsetFromContentType('text/html; boundary=x; charset=gb18030')).toBe('gb18030');
  });
  it('is null when there is no charset', () => {
    expect(charsetFromContentType('text/html')).toBeNull();
    expect(charsetFromContentType('text/html; charset=')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
  });
});

describe('canonicalEncodingName', () => {
  it('maps WHATWG labels to canonical names', () => {
    expect(canonicalEncodingName('latin1')).toBe('windows-1252');
    expect(canonicalEncodingName('iso-8859-1')).toBe('windows-1252');
    expect(canonicalEncodingName('sjis')).toBe('Shift_JIS');
    expect(canonicalEncodingName('utf8')).toBe('UTF-8');
    expect(canonicalEncodingName('GB18030')).toBe('gb18030');
    expect(canonicalEncodingName('no-such-charset')).toBeNull();
  });
});

describe('metaDeclaredEncoding', () => {
  it('finds <meta charset> and <meta http-equiv=content-type>', () => {
    expect(metaDeclaredEncoding(Buffer.from('<html><head><meta charset="shift_jis">'))).toBe('Shift_JIS');
    expect(
      metaDeclaredEncoding(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')),
    ).toBe('windows-1252');
    expect(metaDeclaredEncoding(Buffer.from('<html><head><title>none</title>'))).toBeNull();
  });
  it('ignores a <meta> inside a comment', () => {
    expect(metaDeclaredEncoding(Buffer.from('<!-- <meta charset="shift_jis"> --><p>x</p>'))).toBeNull();
  });
});

describe('decodeHtmlBytes', () => {
  it('decodes UTF-8 declared by the header', () => {
    const text = htmlText('Grüße, 世界 😀');
    expect(decodeHtmlBytes(Buffer.from(text), 'text/html; charset=utf-8')).toEqual({ html: text, charset: 'UTF-8' });
  });

  it('decodes windows-1252 declared by the header (curly quotes, €, é)', () => {
    const result = decodeHtmlBytes(htmlBytes(WINDOWS_1252_BYTES), 'text/html; charset=windows-1252');
    expect(result).toEqual({ html: htmlText(WINDOWS_1252_TEXT), charset: 'windows-1252' });
  });

  it('treats an iso-8859-1 label as windows-1252, as browsers do (0x80 is €)', () => {
    const result = decodeHtmlBytes(htmlBytes(WINDOWS_1252_BYTES), 'text/html; charset=ISO-8859-1');
    expect(result.charset).toBe('windows-1252');
    expect(result.html).toContain('€5');
  });

  it('decodes Shift_JIS declared only by <meta charset>', () => {
    const head = '<meta charset=Shift_JIS>';
    const result = decodeHtmlBytes(htmlBytes(SHIFT_JIS_BYTES, head), 'text/html');
    expect(result).toEqual({ html: htmlText(SHIFT_JIS_TEXT, head), charset: 'Shift_JIS' });
  });

  it('decodes GB18030, including a four-byte sequence', () => {
    const result = decodeHtmlBytes(htmlBytes(GB18030_BYTES), 'text/html; charset=GB18030');
    expect(result).toEqual({ html: htmlText(GB18030_TEXT), charset: 'gb18030' });
  });

  it('decodes UTF-16LE and UTF-16BE from the BOM alone, without the BOM in the text', () => {
    const text = htmlText('Ünïcødé ✓');
    expect(decodeHtmlBytes(utf16WithBom(text, 'LE'), 'text/html')).toEqual({ html: text, charset: 'UTF-16LE' });
    expect(decodeHtmlBytes(utf16WithBom(text, 'BE'), null)).toEqual({ html: text, charset: 'UTF-16BE' });
  });

  it('lets a BOM override a contradicting header', () => {
    const text = htmlText('€ und ü');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(decodeHtmlBytes(bytes, 'text/html; charset=windows-1252')).toEqual({ html: text, charset: 'UTF-8' });
  });

  it('lets the header override <meta> when the bytes agree with the header', () => {
    const head = '<meta charset="windows-1252">';
    const text = htmlText('naïve – “quoted”', head);
    expect(decodeHtmlBytes(Buffer.from(text), 'text/html; charset=utf-8')).toEqual({ html: text, charset: 'UTF-8' });
  });

  it('uses <meta> when the header charset is contradicted by the bytes (header utf-8, bytes windows-1252)', () => {
    const head = '<meta http-equiv="content-type" content="text/html; charset=windows-1252">';
    const result = decodeHtmlBytes(htmlBytes(WINDOWS_1252_BYTES, head), 'text/html; charset=utf-8');
    expect(result).toEqual({ html: htmlText(WINDOWS_1252_TEXT, head), charset: 'windows-1252' });
    expect(result.html).not.toContain('\uFFFD');
  });

  it('keeps the header charset (with replacement characters) when nothing better decodes cleanly', () => {
    const result = decodeHtmlBytes(htmlBytes(WINDOWS_1252_BYTES), 'text/html; charset=utf-8');
    expect(result.charset).toBe('UTF-8');
    // E9 94 is one truncated UTF-8 sequence, hence one U+FFFD for "é”".
    expect(result.html).toBe(htmlText('\uFFFDCaf\uFFFD costs \uFFFD5 \uFFFD na\uFFFDve'));
  });

  it('prefers valid UTF-8 over a multi-byte <meta> declaration the bytes are invalid in', () => {
    const head = '<meta charset="shift_jis">';
    // UTF-8 Japanese is not valid Shift_JIS (its lead bytes E3/E6 leave invalid trail bytes).
    const text = htmlText('日本語のテキスト', head);
    expect(decodeHtmlBytes(Buffer.from(text), 'text/html')).toEqual({ html: text, charset: 'UTF-8' });
  });

  it('ignores an unknown header label and falls back to <meta>', () => {
    const head = '<meta charset="windows-1252">';
    const result = decodeHtmlBytes(htmlBytes(WINDOWS_1252_BYTES, head), 'text/html; charset=klingon');
    expect(result).toEqual({ html: htmlText(WINDOWS_1252_TEXT, head), charset: 'windows-1252' });
  });

  it('with no declaration at all: UTF-8 if the bytes are valid UTF-8, windows-1252 otherwise', () => {
    const utf8 = htmlText('Café – 東京');
    expect(decodeHtmlBytes(Buffer.from(utf8), null)).toEqual({ html: utf8, charset: 'UTF-8' });
    expect(decodeHtmlBytes(htmlBytes(WINDOWS_1252_BYTES), 'text/html')).toEqual({
      html: htmlText(WINDOWS_1252_TEXT),
      charset: 'windows-1252',
    });
  });

  it('treats a <meta> claiming UTF-16 on ASCII-compatible bytes as UTF-8 (HTML Standard rule)', () => {
    const head = '<meta charset="utf-16">';
    const text = htmlText('€ ok', head);
    expect(decodeHtmlBytes(Buffer.from(text), 'text/html')).toEqual({ html: text, charset: 'UTF-8' });
  });
});
