import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBytes, fetchPage } from '../../app/capture/fetch.js';
import { FolioError } from '../../app/core/errors.js';
import { startFixtureServer, type FixtureServer, type Route } from '../helpers/fixture-server.js';

async function failure(promise: Promise<unknown>): Promise<FolioError> {
  const err = await promise.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof FolioError)) throw err;
  return err;
}

function redirect(status: number, location: string): Route {
  return { status, headers: { location }, body: `<p>moved to ${location}</p>` };
}

const FINAL = '<!doctype html><title>final</title><p>arrived</p>';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/final': { body: FINAL },
    '/image.png': { headers: { 'content-type': 'image/png' }, body: Buffer.from('89504e470d0a1a0a', 'hex') },
    // 301 → 302 → 307 → 303 → 308 → /final
    '/chain/1': redirect(301, '/chain/2'),
    '/chain/2': redirect(302, '/chain/3'),
    '/chain/3': redirect(307, '/chain/4'),
    '/chain/4': redirect(303, '/chain/5'),
    '/chain/5': redirect(308, '/final'),
    // relative references resolve against the current URL
    '/dir/sub/start': redirect(302, '../other/next?q=1'),
    '/dir/other/next': redirect(301, 'last'),
    '/dir/other/last': { body: FINAL },
    // a loop: a → b → a
    '/loop/a': redirect(302, '/loop/b'),
    '/loop/b': redirect(302, '/loop/a'),
    '/self': redirect(301, '/self'),
    '/to-ftp': redirect(302, 'ftp://files.example/x'),
    '/img-redirect': redirect(302, '/image.png'),
  });
  // /hops/N redirects to /hops/N-1 … /hops/0 is the page: /hops/N takes exactly N redirects.
  for (let n = 1; n <= 11; n++) server.route(`/hops/${n}`, redirect(302, `/hops/${n - 1}`));
  server.route('/hops/0', { body: FINAL });
  // The same chain with absolute http://localhost URLs: a different host name, same machine.
  server.route('/to-localhost', (_req, res) => {
    res.writeHead(302, { location: `http://localhost:${new URL(server.origin).port}/final` });
    res.end();
  });
});
afterAll(() => server.close());

describe('redirects', () => {
  it('follows 301, 302, 307, 303 and 308, recording every hop and the final URL', async () => {
    const page = await fetchPage(server.url('/chain/1'));
    expect(page.url).toBe(server.url('/chain/1'));
    expect(page.finalUrl).toBe(server.url('/final'));
    expect(page.redirects).toEqual([
      server.url('/chain/2'),
      server.url('/chain/3'),
      server.url('/chain/4'),
      server.url('/chain/5'),
      server.url('/final'),
    ]);
    expect(page.html).toBe(FINAL);
  });

  it('resolves relative Location headers against the current URL', async () => {
    const page = await fetchPage(server.url('/dir/sub/start'));
    expect(page.redirects).toEqual([server.url('/dir/other/next?q=1'), server.url('/dir/other/last')]);
    expect(page.finalUrl).toBe(server.url('/dir/other/last'));
  });

  it('follows exactly 10 redirects', async () => {
    const page = await fetchPage(server.url('/hops/10'));
    expect(page.redirects).toHaveLength(10);
    expect(page.finalUrl).toBe(server.url('/hops/0'));
  });

  it('refuses an 11th redirect with TOO_MANY_REDIRECTS, without requesting it', async () => {
    const before = server.requests.length;
    const err = await failure(fetchPage(server.url('/hops/11')));
    expect(err.code).toBe('TOO_MANY_REDIRECTS');
    expect(err.message).toContain(server.url('/hops/11'));
    expect(err.message).toContain('more than 10 times');
    const paths = server.requests.slice(before).map((r) => r.path);
    expect(paths).toHaveLength(11); // /hops/11 … /hops/1; /hops/0 never requested
    expect(paths).not.toContain('/hops/0');
  });

  it('honours a smaller maxRedirects', async () => {
    expect((await failure(fetchPage(server.url('/hops/3'), { maxRedirects: 2 }))).code).toBe('TOO_MANY_REDIRECTS');
    expect((await fetchPage(server.url('/hops/2'), { maxRedirects: 2 })).redirects).toHaveLength(2);
  });

  it('detects a loop as REDIRECT_LOOP and shows it', async () => {
    const err = await failure(fetchPage(server.url('/loop/a')));
    expect(err.code).toBe('REDIRECT_LOOP');
    expect(err.message).toContain(`${server.url('/loop/a')} → ${server.url('/loop/b')} → ${server.url('/loop/a')}`);
    expect((await failure(fetchPage(server.url('/self')))).code).toBe('REDIRECT_LOOP');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const err = await failure(fetchPage(server.url('/to-ftp')));
    expect(err.code).toBe('UNSUPPORTED_SCHEME');
    expect(err.message).toContain(server.url('/to-ftp'));
    expect(err.message).toContain('ftp://files.example/x');
  });

  it('fetchBytes follows redirects too', async () => {
    const got = await fetchBytes(server.url('/img-redirect'));
    expect(got.finalUrl).toBe(server.url('/image.png'));
    expect(got.contentType).toBe('image/png');
  });
});

describe('address guard', () => {
  it('allows a typed local URL and its redirects between local addresses (127.0.0.1 → 127.0.0.1)', async () => {
    const page = await fetchPage(server.url('/chain/1'));
    expect(page.finalUrl).toBe(server.url('/final'));
  });

  it('allows a local page to redirect to another local host name (127.0.0.1 → localhost)', async () => {
    const page = await fetchPage(server.url('/to-localhost'));
    expect(page.finalUrl).toBe(`http://localhost:${new URL(server.origin).port}/final`);
    expect(page.html).toBe(FINAL);
  });

  it('refuses a loopback image referenced by a public page, naming both and the setting', async () => {
    const before = server.requests.length;
    const err = await failure(fetchBytes(server.url('/image.png'), { initiator: 'http://93.184.216.34/article' }));
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(err.message).toContain(server.url('/image.png'));
    expect(err.message).toContain('127.0.0.1 (loopback)');
    expect(err.message).toContain('http://93.184.216.34/article');
    expect(err.message).toContain('allowPrivateAddresses');
    expect(server.requests.length).toBe(before); // never connected
  });

  it('refuses a loopback host NAME referenced by a public page (checked on the resolved address)', async () => {
    const url = `http://localhost:${new URL(server.origin).port}/image.png`;
    const err = await failure(fetchBytes(url, { initiator: 'https://[2606:4700:4700::1111]/page' }));
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(err.message).toMatch(/127\.0\.0\.1 \(loopback\)|::1 \(loopback\)/);
  });

  it('allows it with allowPrivateAddresses', async () => {
    const got = await fetchBytes(server.url('/image.png'), {
      initiator: 'http://93.184.216.34/article',
      allowPrivateAddresses: true,
    });
    expect(got.contentType).toBe('image/png');
  });

  it('allows local images of a local page (and of a saved file)', async () => {
    expect((await fetchBytes(server.url('/image.png'), { initiator: server.url('/final') })).status).toBe(200);
    expect((await fetchBytes(server.url('/image.png'), { initiator: 'file:///home/me/saved.html' })).status).toBe(200);
  });
});
