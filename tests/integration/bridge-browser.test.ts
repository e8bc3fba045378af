import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../app/api/events.js';
import { bookmarkletHref } from '../../app/bridge/pages.js';
import { startBridge, type RunningBridge } from '../../app/bridge/server.js';
import { METHOD_NAMES, type FolioHandlers } from '../../app/core/contract.js';
import { FolioError } from '../../app/core/errors.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

// The bridge in a real browser: the launch URL handshake, the UI calling the API and the event
// stream under the strict CSP, stored images, and the bookmarklet started from another site
// (http://localhost:X is a different site from http://127.0.0.1:Y for the browser).

const CHROMIUM = process.env['FOLIO_CHROMIUM'] ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`bridge-browser tests skipped: no Chromium at ${CHROMIUM} (set FOLIO_CHROMIUM)`);

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PNG_SHA = createHash('sha256').update(PNG).digest('hex');

// A stand-in UI using exactly the wire protocol the renderer uses: relative URLs, cookie auth.
const INDEX_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>UI</title>
<script type="module" src="/assets/app-test.js"></script></head>
<body><output id="out"></output><img id="img" alt="stored image"></body></html>`;
const APP_JS = `
const out = document.getElementById('out');
out.dataset.add = new URLSearchParams(location.hash.slice(1)).get('add') ?? '';
document.getElementById('img').src = 'assets/${PNG_SHA}';
fetch('api/tags.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin' })
  .then((r) => r.json()).then((j) => { out.dataset.tags = JSON.stringify(j); }, (e) => { out.dataset.tags = 'error ' + e; });
const events = new EventSource('api/events');
events.onopen = () => { out.dataset.sse = 'open'; };
events.addEventListener('library.changed', (e) => { out.dataset.event = e.data; });
`;

function handlersForTest(): FolioHandlers {
  const base = Object.fromEntries(
    METHOD_NAMES.map((name) => [name, async () => { throw new FolioError('INTERNAL', `${name} is not provided by this test`); }]),
  ) as unknown as FolioHandlers;
  return { ...base, 'tags.list': async () => [{ tag: 'from-core', count: 3 }] };
}

let browser: Browser;
let bridge: RunningBridge;
let otherSite: FixtureServer;
let root: string;
const events = createEventBus();

beforeAll(async () => {
  if (!haveChromium) return;
  root = mkdtempSync(join(tmpdir(), 'folio-bridge-browser-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'assets', 'app-test.js'), APP_JS);
  bridge = await startBridge({
    handlers: handlersForTest(),
    events,
    getImage: (sha) => (sha === PNG_SHA ? { type: 'image/png', data: PNG } : null),
    port: 0,
    rendererDir: root,
  });
  otherSite = await startFixtureServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  await otherSite?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/**
 * A page in a fresh profile. `problems` collects console errors and uncaught exceptions of
 * Folio's pages in it (CSP violations show up there); other sites' errors are not ours.
 */
async function freshPage() {
  const context = await browser.newContext();
  const problems: string[] = [];
  const watch = (p: import('playwright-core').Page) => {
    const ours = () => p.url().startsWith(bridge.url);
    p.on('console', (m) => void (m.type() === 'error' && ours() && problems.push(`${p.url()}: ${m.text()}`)));
    p.on('pageerror', (e) => void (ours() && problems.push(`${p.url()}: ${e.message}`)));
  };
  context.on('page', watch);
  const page = await context.newPage();
  return { context, page, problems };
}

describe.skipIf(!haveChromium)('bridge in Chromium', () => {
  it('opens the UI from the launch URL: token out of the address bar, API, events and images work under the CSP', async () => {
    const { context, page, problems } = await freshPage();
    try {
      await page.goto(bridge.launchUrl);
      expect(page.url()).toBe(bridge.url);
      const out = page.locator('#out');
      await expect.poll(() => out.getAttribute('data-tags')).toBe(JSON.stringify({ ok: true, value: [{ tag: 'from-core', count: 3 }] }));
      await expect.poll(() => out.getAttribute('data-sse')).toBe('open');
      events.emit('library.changed', { ids: [41, 42] });
      await expect.poll(() => out.getAttribute('data-event')).toBe('{"ids":[41,42]}');
      await expect.poll(() => page.locator('#img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
      // The cookie is invisible to page scripts.
      expect(await page.evaluate(() => document.cookie)).toBe('');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('runs the bookmarklet from another site: the UI opens with the page address and is authorised', async () => {
    const { context, page, problems } = await freshPage();
    try {
      const article = `http://localhost:${new URL(otherSite.origin).port}/story`;
      otherSite.route('/story', { body: '<!doctype html><title>A story</title><p>Some article.</p>' });
      await page.goto(article);
      // What clicking the bookmark does: run its code in the article's page.
      const code = decodeURIComponent(bookmarkletHref(bridge.port, bridge.token).slice('javascript:'.length));
      const [ui] = await Promise.all([context.waitForEvent('page'), page.evaluate(code)]);
      await ui.waitForURL(`${bridge.url}#add=${encodeURIComponent(article)}`, { timeout: 10_000 });
      const out = ui.locator('#out');
      await expect.poll(() => out.getAttribute('data-add')).toBe(article);
      await expect.poll(() => out.getAttribute('data-tags')).toContain('from-core');
      expect(ui.url()).not.toContain(bridge.token);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('(why the handshake avoids a redirect for cross-site starts) a 303 started by another site loses the Strict cookie', async () => {
    // A stand-in for the handshake that always redirects: set the cookie, 303 to a page that
    // reports whether the cookie came back. Served on 127.0.0.1, linked from localhost.
    const probe = await startFixtureServer({
      '/login': { status: 303, headers: { 'set-cookie': 't=1; HttpOnly; SameSite=Strict; Path=/', location: '/check' } },
      '/check': (req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<title>${/(^|;\s*)t=1/.test(req.headers.cookie ?? '') ? 'cookie-sent' : 'cookie-missing'}</title>`);
      },
    });
    const { context, page } = await freshPage();
    try {
      otherSite.route('/link', { body: `<a id="go" href="${probe.origin}/login">go</a>` });
      await page.goto(`http://localhost:${new URL(otherSite.origin).port}/link`);
      await page.click('#go');
      await page.waitForURL(`${probe.origin}/check`);
      expect(await page.title()).toBe('cookie-missing');
      // Same thing started from the address bar: the cookie is sent.
      await page.goto(`${probe.origin}/login`);
      expect(await page.title()).toBe('cookie-sent');
    } finally {
      await context.close();
      await probe.close();
    }
  });
});
