/**
 * Rendering JavaScript pages in headless Chromium (playwright-core) so "app shell" pages, whose
 * article is injected by scripts, can be captured. The page's scripts run here, inside
 * Chromium's sandboxed renderer only — never in Node, and never in Folio's reader.
 *
 * One browser per process, launched lazily on first use and reused by later renders (each
 * render gets its own fresh, isolated browser context, closed when the render ends);
 * `closeRenderer()` shuts the browser down. The CLI calls it before exiting; the long-running
 * app calls it on quit, and an idle browser closes itself after a minute.
 */
import { lookup } from 'node:dns/promises';
import { chromium, type Browser, type BrowserContext, type Route, type WebSocketRoute } from 'playwright-core';
import { FolioError } from '../core/errors.js';
import { classifyAddress, describeAddress, isHopAllowed } from './address-guard.js';
import { findChromium, noBrowserMessage } from './chromium.js';

export interface RenderOptions {
  /** Browser executable; FOLIO_CHROMIUM wins over it, else well-known install paths. */
  chromiumPath?: string;
  /** Whole render budget: navigation, load and the network-idle wait. Default 30 s. */
  timeoutMs?: number;
  /** After `load`, wait up to this long for the network to go quiet (XHR-fed articles). Default 3 s. */
  idleWaitMs?: number;
  /** Let a public page's scripts reach private/loopback addresses (off by default, as for fetches). */
  allowPrivateAddresses?: boolean;
  signal?: AbortSignal;
  userAgent?: string;
}

export interface RenderedPage {
  url: string;
  /** Where the browser ended up after redirects and script navigations. */
  finalUrl: string;
  /** HTTP status of the main document, when the browser reported one. */
  status: number | null;
  /** The rendered DOM, serialized. */
  html: string;
  /** Sub-requests refused by the address guard (for the capture's warnings). */
  blocked: string[];
}

/** Arguments that keep the browser quiet, offline from Google services and runnable in containers. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--mute-audio',
] as const;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_IDLE_WAIT_MS = 3_000;
/** The DOM is what we want; these would only cost time and bandwidth (we download images ourselves). */
const SKIPPED_RESOURCE_TYPES = new Set(['image', 'media', 'font']);

const browsers = new Map<string, Promise<Browser>>();
/** A long-running app should not keep an idle Chromium (100+ MB) around forever. */
const IDLE_CLOSE_MS = 60_000;
let activeRenders = 0;
let idleTimer: NodeJS.Timeout | null = null;

function renderStarted(): void {
  activeRenders++;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
}

function renderEnded(): void {
  activeRenders--;
  if (activeRenders > 0) return;
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (activeRenders === 0) void closeRenderer();
  }, IDLE_CLOSE_MS);
  // The timer alone must not keep a process (e.g. the CLI) alive.
  idleTimer.unref();
}

function launch(executablePath: string): Promise<Browser> {
  let pending = browsers.get(executablePath);
  if (!pending) {
    pending = chromium
      .launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 })
      .then((browser) => {
        // A crashed or killed browser is forgotten so the next render launches a new one.
        browser.on('disconnected', () => {
          if (browsers.get(executablePath) === pending) browsers.delete(executablePath);
        });
        return browser;
      })
      .catch((err: unknown) => {
        browsers.delete(executablePath);
        throw new FolioError('RENDER_FAILED', `could not start the browser ${executablePath}: ${firstLine(err)}`, { cause: err });
      });
    browsers.set(executablePath, pending);
  }
  return pending;
}

/** Closes the shared browser(s). Safe to call at any time, also when none was launched. */
export async function closeRenderer(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const all = [...browsers.values()];
  browsers.clear();
  await Promise.all(all.map((p) => p.then((b) => b.close()).catch(() => undefined)));
}

/** Whether a browser is available for rendering (without launching it). */
export function rendererAvailable(chromiumPath?: string): boolean {
  try {
    return findChromium({ explicitPath: chromiumPath }) !== null;
  } catch {
    return false;
  }
}

/**
 * Loads `url` in headless Chromium and returns the DOM after `load` plus a short network-idle
 * wait, all within `timeoutMs`. Throws RENDER_FAILED (no browser, launch failure, navigation
 * error), TIMEOUT (nothing loaded in time) or CANCELLED.
 */
export async function renderPage(url: string, options: RenderOptions = {}): Promise<RenderedPage> {
  const executablePath = findChromium({ explicitPath: options.chromiumPath });
  if (!executablePath) throw new FolioError('RENDER_FAILED', `${url}: ${noBrowserMessage()}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  if (options.signal?.aborted) throw cancelled(url);
  renderStarted();
  try {
    return await renderWith(await launch(executablePath), url, options, timeoutMs, remaining);
  } finally {
    renderEnded();
  }
}

async function renderWith(
  browser: Browser,
  url: string,
  options: RenderOptions,
  timeoutMs: number,
  remaining: () => number,
): Promise<RenderedPage> {
  const context = await browser.newContext({
    acceptDownloads: false,
    serviceWorkers: 'block',
    userAgent: options.userAgent ?? desktopUserAgent(browser.version()),
    locale: 'en-US',
  });
  const onAbort = () => void context.close().catch(() => undefined);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const blocked: string[] = [];
  try {
    await installRequestPolicy(context, url, options.allowPrivateAddresses ?? false, blocked);
    const page = await context.newPage();
    // Pop-ups opened by the page's scripts are closed at once.
    context.on('page', (p) => {
      if (p !== page) void p.close().catch(() => undefined);
    });

    let response;
    try {
      response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: remaining() });
    } catch (err) {
      if (options.signal?.aborted) throw cancelled(url);
      if (/Timeout/i.test(String(err))) {
        throw new FolioError('TIMEOUT', `${url}: the page did not load in the browser within ${Math.round(timeoutMs / 1000)} s`, {
          transient: true,
          cause: err,
        });
      }
      throw new FolioError('RENDER_FAILED', `${url}: the browser could not load the page: ${firstLine(err)}`, { cause: err });
    }
    // Both waits are best effort: a page that never stops polling still yields its DOM.
    await page.waitForLoadState('load', { timeout: remaining() }).catch(() => undefined);
    await page
      .waitForLoadState('networkidle', { timeout: Math.min(options.idleWaitMs ?? DEFAULT_IDLE_WAIT_MS, remaining()) })
      .catch(() => undefined);
    if (options.signal?.aborted) throw cancelled(url);
    const html = await page.content();
    return { url, finalUrl: page.url(), status: response?.status() ?? null, html, blocked };
  } catch (err) {
    if (options.signal?.aborted) throw cancelled(url);
    if (err instanceof FolioError) throw err;
    throw new FolioError('RENDER_FAILED', `${url}: rendering failed: ${firstLine(err)}`, { cause: err });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await context.close().catch(() => undefined);
  }
}

/**
 * What the page may load: only http(s); no images/media/fonts (not needed for the DOM); and,
 * for a page on a public address, nothing on private/loopback addresses unless allowed —
 * the same rule the fetcher applies to redirects and images.
 */
async function installRequestPolicy(context: BrowserContext, pageUrl: string, allowPrivate: boolean, blocked: string[]): Promise<void> {
  const fromPublic = allowPrivate ? false : await hostIsPublic(pageUrl);
  const verdicts = new Map<string, Promise<string | null>>();
  const refusal = (target: string): Promise<string | null> => {
    let host: string;
    try {
      const u = new URL(target);
      if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:') {
        return Promise.resolve(`${u.protocol} requests are not allowed`);
      }
      host = u.hostname;
    } catch {
      return Promise.resolve('malformed URL');
    }
    if (!fromPublic) return Promise.resolve(null);
    let verdict = verdicts.get(host);
    if (!verdict) {
      verdict = privateAddressOf(host).then((ip) =>
        ip && !isHopAllowed({ fromPublic, toAddress: ip, allowPrivate }) ? `blocked: ${host} is ${describeAddress(ip)}` : null,
      );
      verdicts.set(host, verdict);
    }
    return verdict;
  };

  await context.route('**/*', async (route: Route) => {
    const request = route.request();
    if (SKIPPED_RESOURCE_TYPES.has(request.resourceType())) return route.abort('blockedbyclient');
    const reason = await refusal(request.url());
    if (reason) {
      blocked.push(`${request.url()} (${reason})`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  await context.routeWebSocket(/.*/, async (ws: WebSocketRoute) => {
    const reason = await refusal(ws.url());
    if (reason) {
      blocked.push(`${ws.url()} (${reason})`);
      await ws.close({ code: 1008, reason: 'blocked by Folio' }).catch(() => undefined);
      return;
    }
    ws.connectToServer();
  });
}

/** True when every address the page's host resolves to is public. */
async function hostIsPublic(url: string): Promise<boolean> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  try {
    const found = await lookup(host, { all: true, verbatim: true });
    return found.length > 0 && found.every((a) => classifyAddress(a.address) === 'public');
  } catch {
    return true; // unresolvable here: treat as public, the stricter choice
  }
}

/** The first non-public address a host resolves to, or null (all public, or unresolvable). */
async function privateAddressOf(host: string): Promise<string | null> {
  try {
    const found = await lookup(host.replace(/^\[(.*)\]$/, '$1'), { all: true, verbatim: true });
    return found.find((a) => classifyAddress(a.address) !== 'public')?.address ?? null;
  } catch {
    return null;
  }
}

/** Headless Chromium announces itself as "HeadlessChrome", which some sites refuse. */
function desktopUserAgent(version: string): string {
  const major = version.split('.')[0] ?? '140';
  const platform =
    process.platform === 'darwin'
      ? 'Macintosh; Intel Mac OS X 10_15_7'
      : process.platform === 'win32'
        ? 'Windows NT 10.0; Win64; x64'
        : 'X11; Linux x86_64';
  return `Mozilla/5.0 (${platform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}

function cancelled(url: string): FolioError {
  return new FolioError('CANCELLED', `${url}: rendering was cancelled`);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim();
}
