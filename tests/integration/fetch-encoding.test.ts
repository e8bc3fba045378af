import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPage } from '../../app/capture/fetch.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
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

const SJIS_HEAD = '<meta charset=Shift_JIS>';
const CONTRADICTING_HEAD = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">';
const UTF16_PAGE = htmlText('UTF-16 page: ½ € 日本');
const UTF8_PAGE = htmlText('Plain UTF-8 with no declaration: “ok” — ✓');

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/utf8': { headers: { 'content-type': 'text/html; charset=utf-8' }, body: htmlText('Grüße 世界') },
    '/cp1252': { headers: { 'content-type': 'text/html; charset=windows-1252' }, body: htmlBytes(WINDOWS_1252_BYTES) },
    '/cp1252-gzip': {
      headers: { 'content-type': 'text/html; charset=windows-1252', 'content-encoding': 'gzip' },
      body: zlib.gzipSync(htmlBytes(WINDOWS_1252_BYTES)),
    },
    '/sjis-meta': { headers: { 'content-type': 'text/html' }, body: htmlBytes(SHIFT_JIS_BYTES, SJIS_HEAD) },
    '/gb18030': { headers: { 'content-type': 'text/html; charset=GB18030' }, body: htmlBytes(GB18030_BYTES) },
    '/utf16le-bom': { headers: { 'content-type': 'text/html' }, body: utf16WithBom(UTF16_PAGE, 'LE') },
    '/contradiction': {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: htmlBytes(WINDOWS_1252_BYTES, CONTRADICTING_HEAD),
    },
    '/undeclared-utf8': { headers: { 'content-type': 'text/html' }, body: UTF8_PAGE },
    '/undeclared-legacy': { headers: { 'content-type': 'text/html' }, body: htmlBytes(WINDOWS_1252_BYTES) },
  });
});
afterAll(() => server.close());

describe('fetchPage decodes pages in their real charset', () => {
  it('UTF-8 from the header', async () => {
    const page = await fetchPage(server.url('/utf8'));
    expect(page.charset).toBe('UTF-8');
    expect(page.html).toBe(htmlText('Grüße 世界'));
  });

  it('windows-1252 from the header: curly quotes, €, é, em dash', async () => {
    const page = await fetchPage(server.url('/cp1252'));
    expect(page.charset).toBe('windows-1252');
    expect(page.html).toBe(htmlText(WINDOWS_1252_TEXT));
  });

  it('windows-1252 inside gzip', async () => {
    const page = await fetchPage(server.url('/cp1252-gzip'));
    expect(page.html).toBe(htmlText(WINDOWS_1252_TEXT));
    expect(page.bytes).toBe(htmlBytes(WINDOWS_1252_BYTES).length);
  });

  it('Shift_JIS declared only by <meta charset>', async () => {
    const page = await fetchPage(server.url('/sjis-meta'));
    expect(page.charset).toBe('Shift_JIS');
    expect(page.html).toBe(htmlText(SHIFT_JIS_TEXT, SJIS_HEAD));
  });

  it('GB18030 from the header', async () => {
    const page = await fetchPage(server.url('/gb18030'));
    expect(page.charset).toBe('gb18030');
    expect(page.html).toBe(htmlText(GB18030_TEXT));
  });

  it('UTF-16LE from its BOM with no charset in the header (and its NUL bytes are not "binary")', async () => {
    const page = await fetchPage(server.url('/utf16le-bom'));
    expect(page.charset).toBe('UTF-16LE');
    expect(page.html).toBe(UTF16_PAGE);
  });

  it('a header contradicted by the bytes gives way to the <meta> that decodes cleanly', async () => {
    const page = await fetchPage(server.url('/contradiction'));
    expect(page.charset).toBe('windows-1252');
    expect(page.html).toBe(htmlText(WINDOWS_1252_TEXT, CONTRADICTING_HEAD));
  });

  it('no declaration: valid UTF-8 is UTF-8, anything else windows-1252', async () => {
    const utf8 = await fetchPage(server.url('/undeclared-utf8'));
    expect(utf8.charset).toBe('UTF-8');
    expect(utf8.html).toBe(UTF8_PAGE);
    const legacy = await fetchPage(server.url('/undeclared-legacy'));
    expect(legacy.charset).toBe('windows-1252');
    expect(legacy.html).toBe(htmlText(WINDOWS_1252_TEXT));
  });
});
