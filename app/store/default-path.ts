import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Electron's productName: the per-user folder is named after it. */
const PRODUCT_NAME = 'Folio';
const FILE_NAME = 'folio.db';

/**
 * Where Electron's `app.getPath('userData')` puts Folio's data, plus `folio.db`, so the CLI and
 * the desktop app open the same archive without either importing Electron:
 *   Linux (and other Unixes)  $XDG_CONFIG_HOME/Folio/folio.db, else ~/.config/Folio/folio.db
 *   macOS                     ~/Library/Application Support/Folio/folio.db
 *   Windows                   %APPDATA%\Folio\folio.db, else ~\AppData\Roaming\Folio\folio.db
 * Pure apart from its defaults; pass all three for tests.
 */
export function defaultArchivePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA && path.win32.isAbsolute(env.APPDATA) ? env.APPDATA : path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, PRODUCT_NAME, FILE_NAME);
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME, FILE_NAME);
  }
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const config = env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  return path.posix.join(config, PRODUCT_NAME, FILE_NAME);
}

/**
 * The archive to open: `explicit` (e.g. --db), else $FOLIO_DB, else defaultArchivePath().
 * Returns an absolute path (a leading `~/` is expanded) and creates its folder if missing.
 */
export function resolveArchivePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = [explicit, env.FOLIO_DB].find((p) => typeof p === 'string' && p.trim() !== '')?.trim();
  const raw = chosen ?? defaultArchivePath(env);
  const expanded = /^~(?=$|[\\/])/.test(raw) ? path.join(homedir(), raw.slice(1)) : raw;
  const absolute = path.resolve(expanded);
  mkdirSync(path.dirname(absolute), { recursive: true });
  return absolute;
}
