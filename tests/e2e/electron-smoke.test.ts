import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/core/contract.js';
import { ensureElectronSqlite, findElectronBinary } from '../../scripts/electron-binary.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

// Smoke test of the real Electron app (build/main/main.js) driven by Playwright. It needs
// Electron's binary, which is downloaded on `npm install` where there is internet; where it is
// missing (as on the machine this was written on) the whole file is skipped, saying why.

const root = resolve(import.meta.dirname, '..', '..');
const electron = findElectronBinary(root);
const built = ['build/main/main.js', 'build/main/preload.cjs', 'build/renderer/index.html'].every((f) => existsSync(join(root, f)));
const skipReason = !electron.found
  ? `Electron's binary is not installed (${electron.reason}); the Electron smoke test needs it`
  : !built
    ? 'the build is missing; run `npm run build` first'
    : null;
if (skipReason) console.warn(`skipping tests/e2e/electron-smoke.test.ts: ${skipReason}`);

// A 1×1 PNG, as a fixture page's only image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const ARTICLE = `<!doctype html><html lang="en"><head><title>Lighthouses of the North Sea</title></head><body>
<article><h1>Lighthouses of the North Sea</h1>
${'<p>Keepers climbed the spiral stairs every evening to light the lamp and wind the clockwork that turned the lens. </p>'.repeat(12)}
<p><img src="/lamp.png" alt="the lamp" width="300" height="200"></p>
${'<p>Storms shook the towers, yet the light stayed on through the night for the ships at sea. </p>'.repeat(8)}
</article></body></html>`;

describe.skipIf(skipReason !== null)('Folio in Electron', () => {
  let dir: string;
  let server: FixtureServer;
  let app: ElectronApplication;
  let page: Page;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'folio-electron-'));
    server = await startFixtureServer({
      '/article': { body: ARTICLE },
      '/lamp.png': { headers: { 'content-type': 'image/png' }, body: PNG },
    });
    // First run builds better-sqlite3 for Electron (cached in build/electron-native/).
    const binding = await ensureElectronSqlite({ root });
    env = {
      ...(process.env as Record<string, string>),
      FOLIO_DB: join(dir, 'folio.db'),
      FOLIO_USER_DATA: join(dir, 'profile'),
      FOLIO_SQLITE_BINDING: binding,
    };
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({ executablePath: (electron as { path: string }).path, args: [root], cwd: root, env, timeout: 60_000 });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 600_000);

  afterAll(async () => {
    await app?.close().catch(() => {});
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the UI from folio-app:// in its one window', async () => {
    expect(page.url()).toBe('folio-app://ui/index.html');
    expect(await page.title()).toBe('Folio');
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()));
    expect(windows).toEqual(['folio-app://ui/index.html']);
  });

  it('exposes only window.folio = { invoke, on, platform } to the page', async () => {
    const seen = await page.evaluate(() => ({
      keys: Object.keys((window as any).folio).sort(),
      require: typeof (window as any).require,
      process: typeof (window as any).process,
      ipc: typeof (window as any).ipcRenderer,
    }));
    expect(seen).toEqual({ keys: ['invoke', 'on', 'platform'], require: 'undefined', process: 'undefined', ipc: 'undefined' });
  });

  it('answers contract calls through the core process, errors as envelopes', async () => {
    const settings = await page.evaluate(() => (window as any).folio.invoke('settings.get', {}));
    expect(settings).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    const invalid = await page.evaluate(() => (window as any).folio.invoke('articles.get', { id: -1 }));
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unknown = await page.evaluate(() => (window as any).folio.invoke('no.such.method', {}));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('serves its pages with the strict CSP, which blocks injected inline script', async () => {
    const csp = await page.evaluate(async () => (await fetch('folio-app://ui/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src 'self' folio-asset:");
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = '(window).__injected = true';
      document.body.append(s);
      return (window as any).__injected === true;
    });
    expect(ran).toBe(false);
  });

  it('opens no new windows and does not navigate away', async () => {
    const opened = await page.evaluate(() => window.open('about:blank') === null);
    expect(opened).toBe(true);
    await page.evaluate(() => {
      location.href = 'folio-app://ui/elsewhere.html';
    });
    await page.waitForTimeout(300); // let a navigation start, if one were allowed
    expect(page.url()).toBe('folio-app://ui/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('captures a page in the core process, pushes progress events, and shows its stored image', async () => {
    await page.evaluate(() => {
      (window as any).__events = [];
      (window as any).folio.on('queue.progress', (p: unknown) => (window as any).__events.push(p));
    });
    // The fixture server is on loopback, which capture refuses by default.
    await page.evaluate(() => (window as any).folio.invoke('settings.set', { allowPrivateAddresses: true }));
    const added = await page.evaluate((url) => (window as any).folio.invoke('capture.add', { urls: [url] }), server.url('/article'));
    expect(added.ok).toBe(true);

    await page.waitForFunction(
      () => ((window as any).__events as { item: { status: string } }[]).some((e) => ['saved', 'failed'].includes(e.item.status)),
      undefined,
      { timeout: 30_000 },
    );
    const last = await page.evaluate(() => (window as any).__events.at(-1));
    expect(last.item.status).toBe('saved');

    const detail = await page.evaluate((id) => (window as any).folio.invoke('articles.get', { id }), last.item.articleId);
    expect(detail.ok).toBe(true);
    expect(detail.value.title).toContain('Lighthouses');
    const sha = /folio-asset:([0-9a-f]{64})/.exec(detail.value.html)?.[1];
    expect(sha).toBeTruthy();

    const size = await page.evaluate(async (hash) => {
      const img = new Image();
      img.src = `folio-asset://img/${hash}`;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, sha);
    expect(size).toEqual([1, 1]);
  });

  it('keeps one instance: a second launch hands over and exits', async () => {
    const second = spawn((electron as { path: string }).path, ['--no-sandbox', root], { cwd: root, env, stdio: 'ignore' });
    const code = await new Promise<number | null>((ok) => second.on('exit', (c) => ok(c)));
    expect(code).toBe(0);
    expect(app.windows()).toHaveLength(1);
  });

  it('closes the archive cleanly on quit', async () => {
    await app.close();
    const db = new Database(join(dir, 'folio.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
