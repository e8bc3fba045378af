import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizeImages } from '../../app/capture/images.js';
import { captureInput } from '../../app/capture/pipeline.js';
import { FolioError } from '../../app/core/errors.js';
import type { Capture } from '../../app/core/types.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { ARTICLE_SENTINEL, articleHtml } from '../helpers/hostile-server.js';
import { pngBytes } from '../helpers/image-bytes.js';

/**
 * Issue #7 §6, input bounds of a capture: which inputs are refused before anything is fetched,
 * that credentials typed into (or embedded in) URLs never reach the stored capture, and that a
 * public page cannot make Folio reach the user's machine or LAN through its images.
 *
 * All servers here are on 127.0.0.1, so a "public page" cannot be served for real: the guard's
 * public-page case is exercised on the image stage with the exact context the pipeline gives it
 * (the page URL as initiator). Redirects from a public server to a private one are covered by
 * the unit tests of address-guard.ts; they need a public address to run end to end.
 */

const PNG = pngBytes(6, 4, [200, 100, 0]);
const PUBLIC_PAGE = 'http://93.184.216.34/article'; // a public address; never contacted

let server: FixtureServer;
let port: string;
let localhost: string;

async function failure(promise: Promise<unknown>): Promise<FolioError> {
  const outcome = await promise.then(
    (r) => new Error(`expected a failure, got a capture: ${JSON.stringify((r as { capture: Capture }).capture.url)}`),
    (e: unknown) => e,
  );
  if (!(outcome instanceof FolioError)) throw outcome;
  return outcome;
}

beforeAll(async () => {
  server = await startFixtureServer({
    '/img.png': { headers: { 'content-type': 'image/png' }, body: PNG },
    '/never': () => new Promise<void>(() => {}),
  });
  port = new URL(server.origin).port;
  localhost = `http://localhost:${port}`;
  server.route('/article', { body: articleHtml({ inside: '<img src="/img.png" alt="the hive">' }) });
  server.route('/hop/1', { status: 301, headers: { location: '/hop/2' } });
  server.route('/hop/2', { status: 302, headers: { location: `${server.origin}/article` } });
  server.route('/to-localhost', { status: 302, headers: { location: `${localhost}/localhost-article` } });
  server.route('/localhost-article', { body: articleHtml({ inside: `<img src="${localhost}/img.png" alt="via localhost">` }) });
  server.route('/to-credentials', { status: 302, headers: { location: `http://bob:hunter2@127.0.0.1:${port}/article` } });
  server.route('/credentials-everywhere', {
    body: articleHtml({
      head: '<link rel="canonical" href="https://carol:canon-secret@news.example/story">',
      inside:
        `<img src="http://dave:img-secret@127.0.0.1:${port}/img.png" alt="stored">` +
        `<img src="http://erin:missing-secret@127.0.0.1:${port}/missing.png" alt="missing">`,
    }),
  });
});
afterAll(() => server.close());

describe('schemes: only http and https are fetched', () => {
  it.each([
    ['ftp://example.com/a.html', 'ftp:'],
    ['javascript:alert(1)', 'javascript:'],
    ['JaVaScRiPt:alert(1)', 'javascript:'],
    ['  javascript:alert(document.cookie)', 'javascript:'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['chrome://settings', 'chrome:'],
    ['about:blank', 'about:'],
    ['blob:https://example.com/550e8400-e29b-41d4-a716-446655440000', 'blob:'],
    ['ws://example.com/socket', 'ws:'],
    ['wss://example.com/socket', 'wss:'],
    ['view-source:https://example.com/', 'view-source:'],
    ['chrome-extension://abcdefghijklmnop/page.html', 'chrome-extension:'],
    ['gopher://example.com/1', 'gopher:'],
    ['mailto:someone@example.com', 'mailto:'],
  ])('%s → UNSUPPORTED_SCHEME naming %s', async (input, scheme) => {
    const before = server.requests.length;
    const err = await failure(captureInput(input, { render: 'never' }));
    expect(err.code).toBe('UNSUPPORTED_SCHEME');
    expect(err.message).toContain(`uses ${scheme}`);
    expect(err.message).toContain('only http and https pages can be saved');
    expect(server.requests.length).toBe(before);
  });

  describe('file: URLs', () => {
    let folder: string;
    let page: string;
    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'folio-bounds-'));
      page = join(folder, 'saved.html');
      writeFileSync(page, articleHtml());
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('a saved page given as an explicit file path is captured', async () => {
      const { capture } = await captureInput(page, { render: 'never' });
      expect(capture.text).toContain(ARTICLE_SENTINEL);
      expect(capture.url).toBe(pathToFileURL(page).href);
    });

    // #7 §6: "file: … → UNSUPPORTED_SCHEME — local files only through an explicit file path input".
    // FAILS today: pipeline.ts `isLocalFileInput` treats any `file:` URL as a local file and reads
    // it (e.g. captureInput('file:///etc/hostname') captures that file), and so does `folio add`
    // (add.ts). Reported to the lead: the spec and the implementation disagree.
    it('a file: URL given where a web address is expected is refused with UNSUPPORTED_SCHEME', async () => {
      const err = await failure(captureInput(pathToFileURL(page).href, { render: 'never' }));
      expect(err.code).toBe('UNSUPPORTED_SCHEME');
    });
  });
});

describe('inputs that are not addresses', () => {
  it.each(['', '   ', 'not a url', 'http://', 'http://[::1', 'https://exa mple.com/', 'http://127.0.0.1:99999/'])(
    '%j → INVALID_INPUT naming the input',
    async (input) => {
      const err = await failure(captureInput(input, { render: 'never' }));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toContain(`"${input}" is not a valid web address`);
    },
  );

  it('a bare host name gets a hint instead of a guess', async () => {
    const err = await failure(captureInput('news.example/story', { render: 'never' }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('did you mean https://news.example/story?');
  });

  it('a backslash cannot smuggle the host: http://example.com\\@127.0.0.1/ goes to example.com, not to 127.0.0.1', async () => {
    const err = await failure(captureInput(`http://example.com\\@127.0.0.1:${port}/article`, { render: 'never', fetch: { totalTimeoutMs: 3000 } }));
    expect(err.message).toMatch(/^http:\/\/example\.com\/@127\.0\.0\.1/);
    expect(server.requests.some((r) => r.path.includes('@'))).toBe(false);
  });

  it('a 100 KB URL ends as a clean failure (the server refuses the request line), not a crash', async () => {
    const err = await failure(captureInput(`${server.origin}/${'a'.repeat(100_000)}`, { render: 'never' }));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('HTTP 431');
  });
});

describe('credentials in URLs', () => {
  it('are stripped from url and finalUrl, and never sent', async () => {
    const { capture } = await captureInput(`http://alice:typed-secret@127.0.0.1:${port}/to-credentials`, { render: 'never' });
    expect(capture.url).toBe(`${server.origin}/to-credentials`);
    expect(capture.finalUrl).toBe(`${server.origin}/article`); // the redirect's own bob:hunter2 too
    expect(capture.text).toContain(ARTICLE_SENTINEL);
    const seen = server.requests.filter((r) => r.path === '/to-credentials' || r.path === '/article');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const r of seen) expect(r.headers.authorization).toBeUndefined();
  });

  it('never appear in failure messages', async () => {
    const status = await failure(captureInput(`http://erin:status-secret@127.0.0.1:${port}/missing`, { render: 'never' }));
    expect(status.message).toBe(`${server.origin}/missing: HTTP 404 Not Found; check the address`);
    const timeout = await failure(captureInput(`http://erin:slow-secret@127.0.0.1:${port}/never`, { render: 'never', fetch: { totalTimeoutMs: 300 } }));
    expect(timeout.code).toBe('TIMEOUT');
    expect(timeout.message).not.toContain('slow-secret');
    const scheme = await failure(captureInput('ftp://frank:ftp-secret@files.example/a.html'));
    expect(scheme.message).not.toContain('ftp-secret');
    expect(scheme.message).toContain('ftp://files.example/a.html');
  });

  // FAILS today: metadata.ts reads <link rel=canonical> through sanitize-urls.ts `absoluteWebUrl`,
  // which keeps user:password; capture.canonicalUrl is "https://carol:canon-secret@news.example/story".
  it('are stripped from canonicalUrl', async () => {
    const { capture } = await captureInput(`${server.origin}/credentials-everywhere`, { render: 'never' });
    expect(capture.canonicalUrl).toBe('https://news.example/story');
  });

  // FAILS today: images.ts records each image under the URL as written in the page (`label(url)`),
  // credentials included, for stored and failed images alike, and writes it into
  // data-folio-missing in capture.html. The download itself is made without them (fetch-url.ts).
  it('are stripped from the image URLs recorded in capture.images and in the stored HTML', async () => {
    const { capture } = await captureInput(`${server.origin}/credentials-everywhere`, { render: 'never' });
    expect(capture.images.map((i) => [i.url, 'sha256' in i])).toEqual([
      [`${server.origin}/img.png`, true],
      [`${server.origin}/missing.png`, false],
    ]);
    expect(capture.html).not.toMatch(/img-secret|missing-secret/);
  });
});

describe('the address guard at capture level', () => {
  it('fetches a local address the user typed, and follows its redirects on the same host', async () => {
    const { capture, blobs } = await captureInput(`${server.origin}/hop/1`, { render: 'never' });
    expect(capture.url).toBe(`${server.origin}/hop/1`);
    expect(capture.finalUrl).toBe(`${server.origin}/article`);
    // The local page's own images are local too, and allowed.
    expect(capture.images).toEqual([{ url: `${server.origin}/img.png`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'image/png', bytes: PNG.length }]);
    expect(blobs).toHaveLength(1);
  });

  it('follows a local page to another loopback name (127.0.0.1 → localhost) and stores its images', async () => {
    const { capture } = await captureInput(`${server.origin}/to-localhost`, { render: 'never' });
    expect(capture.finalUrl).toBe(`${localhost}/localhost-article`);
    expect(capture.images).toEqual([expect.objectContaining({ url: `${localhost}/img.png`, type: 'image/png' })]);
  });

  describe('images of a public page (the context the pipeline gives the image stage)', () => {
    const spellings = () => [
      `${server.origin}/img.png?as=ipv4`,
      `${localhost}/img.png?as=name`,
      `http://2130706433:${port}/img.png?as=decimal`,
      `http://0x7f.1:${port}/img.png?as=hex-short`,
      `http://127.1:${port}/img.png?as=short`,
      `http://[::ffff:127.0.0.1]:${port}/img.png?as=mapped-v6`,
      `http://0.0.0.0:${port}/img.png?as=unspecified`,
      'http://169.254.169.254/latest/meta-data/iam?as=cloud-metadata',
      'http://10.0.0.1/router.png?as=private',
      'http://192.168.1.1/admin.png?as=lan',
      'http://[fd00::1]/x.png?as=unique-local',
    ];
    const html = () => spellings().map((src, i) => `<p><img src="${src}" alt="image ${i}"></p>`).join('');

    it('are refused for every loopback, LAN and metadata address, without connecting', async () => {
      const before = server.requests.length;
      const result = await localizeImages(html(), PUBLIC_PAGE, { referer: PUBLIC_PAGE, initiator: PUBLIC_PAGE, timeoutMs: 3000 });
      expect(result.blobs).toEqual([]);
      expect(result.images).toHaveLength(spellings().length);
      for (const image of result.images) {
        if (!('error' in image)) throw new Error(`${image.url} was stored`);
        expect(image.error).toMatch(/is at \S+ \((loopback|unspecified|link-local|private|unique-local)\) but was referenced by the public page http:\/\/93\.184\.216\.34\/article/);
        expect(image.error).toContain('allowPrivateAddresses');
      }
      expect(server.requests.length).toBe(before);
      expect(result.html).not.toMatch(/<img[^>]+\bsrc=/);
    });

    it('are fetched when allowPrivateAddresses is on', async () => {
      const local = spellings().slice(0, 6); // the ones this machine actually serves
      const result = await localizeImages(
        local.map((src) => `<img src="${src}" alt="">`).join(''),
        PUBLIC_PAGE,
        { referer: PUBLIC_PAGE, initiator: PUBLIC_PAGE, allowPrivateAddresses: true, timeoutMs: 3000 },
      );
      expect(result.images.map((i) => ('sha256' in i ? 'stored' : i.error))).toEqual(local.map(() => 'stored'));
      expect(result.blobs).toHaveLength(1); // the same bytes six times
    });
  });
});
