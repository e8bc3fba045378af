import type { WebPreferences } from 'electron';
import { APP_HOST, APP_SCHEME, ASSET_SCHEME } from './schemes.js';

/**
 * The security policy of the shell as plain data and pure functions, so it can be read in one
 * place and tested without Electron. harden.ts applies it to sessions and web contents.
 */

/** The UI's Content-Security-Policy: our own files only, images also from the asset scheme. */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' ${ASSET_SCHEME}:`,
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Stored images never need to run or load anything (matters for SVG opened on its own). */
export const ASSET_CSP = "default-src 'none'";

/**
 * The main window's web preferences. Every switch that widens what page code can reach is off:
 * the page gets exactly what the preload exposes through contextBridge, nothing else.
 */
export function secureWebPreferences(preload: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
    devTools: options.devTools,
  };
}

/** True for a URL of the app's own UI origin (`folio-app://ui/...`), whatever the path. */
export function isAppUrl(raw: string): boolean {
  const url = parseUrl(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.host.toLowerCase() === APP_HOST &&
    url.username === '' &&
    url.password === ''
  );
}

/**
 * What an IPC message must come from to reach the core: the main window's own web contents,
 * its top frame (not an iframe), currently showing our UI origin. Anything else — a frame of
 * some other web contents, a sub-frame, a page that somehow navigated elsewhere — is refused.
 */
export interface SenderInfo {
  webContentsId: number;
  /** null when the frame is gone (navigated or destroyed) before the message was handled. */
  frame: { frameTreeNodeId: number; isTop: boolean; url: string } | null;
}
export interface TrustedWindow {
  webContentsId: number;
  mainFrameTreeNodeId: number;
}
export function isTrustedSender(sender: SenderInfo, window: TrustedWindow | null): boolean {
  if (!window || !sender.frame) return false;
  return (
    sender.webContentsId === window.webContentsId &&
    sender.frame.isTop &&
    sender.frame.frameTreeNodeId === window.mainFrameTreeNodeId &&
    isAppUrl(sender.frame.url)
  );
}

const MAX_EXTERNAL_URL = 8192;

/**
 * The URL to hand to the system browser, or null when it must not leave the app: only
 * absolute http(s) URLs with a host, no embedded credentials (`https://bank.example@evil.example`
 * tricks), and of a sane length. Everything else (file:, javascript:, custom schemes that would
 * launch other programs, our own schemes) is refused.
 */
export function externalHttpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_EXTERNAL_URL) return null;
  const url = parseUrl(raw.trim());
  if (!url) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

/**
 * Response headers with the CSP applied, for session.webRequest.onHeadersReceived — the
 * fallback behind the protocol handlers, which set CSP themselves. Our own schemes keep a CSP
 * they already carry (assets have a stricter one); every other response gets the app's CSP,
 * replacing whatever the response said.
 */
export function withCspHeader(
  url: string,
  headers: Record<string, string | string[]> | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  let existing: string | string[] | undefined;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') existing = value;
    else out[name] = value;
  }
  const ours = url.startsWith(`${APP_SCHEME}:`) || url.startsWith(`${ASSET_SCHEME}:`);
  out['Content-Security-Policy'] = ours && existing !== undefined ? existing : [APP_CSP];
  return out;
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
