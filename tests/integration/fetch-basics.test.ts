import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_USER_AGENT, fetchBytes, fetchPage } from '../../app/capture/fetch.js';
import { FolioError } from '../../app/core/errors.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

/** The FolioError a promise rejects with (fails the test if it resolves or throws otherwise). */
async function failure(promise: Promise<unknown>): Promise<FolioError> {
  const err = await promise.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof FolioError)) throw err;
  return err;
}

const PAGE = '<!doctype html><html><head><title>Hello</title></head><body><p>Grüße aus Köln 🌍</p></body></html>';
// The first bytes of a real PNG file: signature + IHDR chunk of a 1×1 image.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082',
  'hex',
);

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/page': { body: PAGE },
    '/xhtml': { headers: { 'content-type': 'application/xhtml+xml; charset=utf-8' }, body: PAGE },
    '/gzip': { headers: { 'content-encoding': 'gzip' }, body: zlib.gzipSync(PAGE) },
    '/deflate': { headers: { 'content-encoding': 'deflate' }, body: zlib.deflateSync(PAGE) },
    '/br': { headers: { 'content-encoding': 'br' }, body: zlib.brotliCompressSync(PAGE) },
    '/corrupt-gzip': { headers: { 'content-encoding': 'gzip' }, body: 'plain text claiming to be gzip' },
    '/pdf': { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7\n' + 'x'.repeat(1000) },
    '/png-as-html': { headers: { 'content-type': 'text/html' }, body: PNG },
    '/nul-as-html': { headers: { 'content-type': 'text/html' }, body: Buffer.concat([Buffer.from('<html>abc'), Buffer.alloc(64), Buffer.from('def</html>')]) },
    '/image.png': { headers: { 'content-type': 'image/png' }, body: PNG },
    '/untyped-html': (_req, res) => {
      res.writeHead(200); // deliberately no Content-Type
      res.end('\n  <!DOCTYPE html><html><body><p>untyped</p></body></html>');
    },
    '/untyped-text': (_req, res) => {
      res.writeHead(200);
      res.end('just some words, no markup');
    },
  });
});
afterAll(() => server.close());

describe('fetchPage: a normal page', () => {
  it('returns the decoded page with its metadata', async () => {
    const page = await fetchPage(server.url('/page'));
    expect(page).toMatchObject({
      url: server.url('/page'),
      finalUrl: server.url('/page'),
      redirects: [],
      status: 200,
      contentType: 'text/html',
      charset: 'UTF-8',
      html: PAGE,
      bytes: Buffer.byteLength(PAGE),
    });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('sends a browser User-Agent, Accept, Accept-Language and Accept-Encoding, and Referer when given', async () => {
    await fetchPage(server.url('/page?h=1'), { referer: 'https://news.example/story' });
    const seen = server.requests.find((r) => r.path === '/page?h=1')!;
    expect(seen.headers['user-agent']).toBe(BROWSER_USER_AGENT);
    expect(seen.headers['user-agent']).toMatch(/Chrome\/\d+/);
    expect(seen.headers['accept-language']).toBe('en-US,en;q=0.9');
    expect(seen.headers['accept']).toMatch(/^text\/html,application\/xhtml\+xml/);
    expect(seen.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(seen.headers['referer']).toBe('https://news.example/story');
  });

  it('sends no Referer when none is given', async () => {
    await fetchPage(server.url('/page?h=2'));
    expect(server.requests.find((r) => r.path === '/page?h=2')!.headers['referer']).toBeUndefined();
  });

  it('uses URL credentials for nothing and strips them from the result', async () => {
    const withCreds = server.url('/page?c=1').replace('http://', 'http://alice:s3cret@');
    const page = await fetchPage(withCreds);
    expect(page.url).toBe(server.url('/page?c=1'));
    expect(page.finalUrl).toBe(server.url('/page?c=1'));
    const seen = server.requests.find((r) => r.path === '/page?c=1')!;
    expect(seen.headers['authorization']).toBeUndefined();
  });

  it('accepts application/xhtml+xml', async () => {
    const page = await fetchPage(server.url('/xhtml'));
    expect(page.contentType).toBe('application/xhtml+xml');
    expect(page.html).toBe(PAGE);
  });

  it.each(['/gzip', '/deflate', '/br'])('decompresses %s bodies and counts decompressed bytes', async (path) => {
    const page = await fetchPage(server.url(path));
    expect(page.html).toBe(PAGE);
    expect(page.bytes).toBe(Buffer.byteLength(PAGE));
  });

  it('reports a corrupt compressed body as DECODE_FAILED', async () => {
    const err = await failure(fetchPage(server.url('/corrupt-gzip')));
    expect(err.code).toBe('DECODE_FAILED');
    expect(err.message).toContain(server.url('/corrupt-gzip'));
  });

  it('sniffs a response without Content-Type as HTML when it looks like HTML', async () => {
    const page = await fetchPage(server.url('/untyped-html'));
    expect(page.contentType).toBe('text/html');
    expect(page.html).toContain('<p>untyped</p>');
  });
});

describe('fetchPage: things that are not web pages', () => {
  it('refuses a PDF, naming the URL and the type', async () => {
    const err = await failure(fetchPage(server.url('/pdf')));
    expect(err.code).toBe('UNSUPPORTED_TYPE');
    expect(err.message).toBe(
      `${server.url('/pdf')} is application/pdf, not a web page; Folio saves HTML pages (PDF support may come later)`,
    );
  });

  it('refuses a PNG labelled text/html, naming the real type', async () => {
    const err = await failure(fetchPage(server.url('/png-as-html')));
    expect(err.code).toBe('UNSUPPORTED_TYPE');
    expect(err.message).toContain('labelled text/html but its content is image/png');
  });

  it('refuses NUL-laden bytes labelled text/html', async () => {
    const err = await failure(fetchPage(server.url('/nul-as-html')));
    expect(err.code).toBe('UNSUPPORTED_TYPE');
    expect(err.message).toContain('application/octet-stream');
  });

  it('refuses an untyped response that does not look like HTML', async () => {
    const err = await failure(fetchPage(server.url('/untyped-text')));
    expect(err.code).toBe('UNSUPPORTED_TYPE');
    expect(err.message).toContain(server.url('/untyped-text'));
  });

  it.each([
    ['ftp://example.com/file.html', 'ftp:'],
    ['file:///etc/passwd', 'file:'],
    ['javascript:alert(1)', 'javascript:'],
    ['data:text/html,<p>hi</p>', 'data:'],
  ])('refuses %s as UNSUPPORTED_SCHEME', async (url, scheme) => {
    const err = await failure(fetchPage(url));
    expect(err.code).toBe('UNSUPPORTED_SCHEME');
    expect(err.message).toContain(scheme);
    expect(err.message).toContain('only http and https pages can be saved');
  });

  it('refuses an unparseable URL as INVALID_INPUT', async () => {
    const err = await failure(fetchPage('example.com/article'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('did you mean https://example.com/article?');
    expect((await failure(fetchPage('http://'))).code).toBe('INVALID_INPUT');
  });
});

describe('fetchBytes', () => {
  it('returns the raw bytes and type of an image, with Referer and a generic Accept', async () => {
    const got = await fetchBytes(server.url('/image.png?b=1'), { referer: server.url('/page') });
    expect(got).toMatchObject({ url: server.url('/image.png?b=1'), finalUrl: server.url('/image.png?b=1'), status: 200, contentType: 'image/png' });
    expect(Buffer.from(got.data).equals(PNG)).toBe(true);
    const seen = server.requests.find((r) => r.path === '/image.png?b=1')!;
    expect(seen.headers['referer']).toBe(server.url('/page'));
    expect(seen.headers['accept']).toBe('*/*');
  });

  it('returns a PDF too: no content-type restriction', async () => {
    const got = await fetchBytes(server.url('/pdf'));
    expect(got.contentType).toBe('application/pdf');
    expect(Buffer.from(got.data).subarray(0, 8).toString()).toBe('%PDF-1.7');
  });

  it('fails on HTTP errors like fetchPage', async () => {
    const err = await failure(fetchBytes(server.url('/missing.png')));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('HTTP 404');
  });

  it('lets the caller choose the Accept header', async () => {
    await fetchBytes(server.url('/image.png?b=2'), { accept: 'image/avif,image/webp,image/*,*/*;q=0.8' });
    expect(server.requests.find((r) => r.path === '/image.png?b=2')!.headers['accept']).toBe(
      'image/avif,image/webp,image/*,*/*;q=0.8',
    );
  });
});
