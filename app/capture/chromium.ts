/**
 * Finding a Chromium-family browser for rendering JavaScript pages. Folio never downloads a
 * browser: it uses one already installed, or the one FOLIO_CHROMIUM names.
 */
import { existsSync } from 'node:fs';
import { FolioError } from '../core/errors.js';

export const CHROMIUM_ENV = 'FOLIO_CHROMIUM';

export interface ChromiumLookup {
  /** From the caller's options (`chromiumPath`); the environment variable wins over it. */
  explicitPath?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (path: string) => boolean;
}

/** Well-known install locations, in order of preference, for one platform. */
export function chromiumCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Applications/Brave Browser.app/Contents/MacOS/Brave Browser',
    ];
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'] ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', env['LOCALAPPDATA']]
      .filter((r): r is string => Boolean(r));
    const out: string[] = [];
    for (const rel of ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe', 'Chromium\\Application\\chrome.exe']) {
      for (const root of roots) out.push(winJoin(root, rel));
    }
    return out;
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/usr/bin/microsoft-edge',
  ];
}

function winJoin(root: string, rel: string): string {
  return root.replace(/[\\/]+$/, '') + '\\' + rel;
}

/**
 * The browser to use: FOLIO_CHROMIUM, else the explicit path, else the first installed
 * candidate; null when none is installed. A path that was set but does not exist is an error
 * (RENDER_FAILED naming where it came from), not a silent fallback: the user asked for it.
 */
export function findChromium(lookup: ChromiumLookup = {}): string | null {
  const env = lookup.env ?? process.env;
  const exists = lookup.exists ?? existsSync;
  const fromEnv = env[CHROMIUM_ENV]?.trim();
  if (fromEnv) {
    if (!exists(fromEnv)) {
      throw new FolioError('RENDER_FAILED', `${CHROMIUM_ENV} is set to ${fromEnv}, which does not exist; point it at a Chrome or Chromium executable`);
    }
    return fromEnv;
  }
  const explicit = lookup.explicitPath?.trim();
  if (explicit) {
    if (!exists(explicit)) {
      throw new FolioError('RENDER_FAILED', `the browser path ${explicit} does not exist; point it (or ${CHROMIUM_ENV}) at a Chrome or Chromium executable`);
    }
    return explicit;
  }
  return chromiumCandidates(lookup.platform, env).find((p) => exists(p)) ?? null;
}

/** The message for "no browser": says what to install or which variable to set. */
export function noBrowserMessage(): string {
  return `no Chrome or Chromium browser was found to render JavaScript pages; install one or set ${CHROMIUM_ENV} to its executable`;
}
