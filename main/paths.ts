import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where the shell finds its parts and the archive. Pure (given the directory of the compiled
 * main.js and the environment), so the layout is tested without Electron.
 */
export interface AppFiles {
  /** build/renderer: the UI served on folio-app://ui/ */
  rendererDir: string;
  /** build/main/preload.cjs: CommonJS, since a sandboxed preload cannot be ESM */
  preload: string;
  /** build/main/core-host.js: entry of the core's utility process */
  coreHost: string;
  /** build/main/extract-host.js: entry of each extraction utility process */
  extractHost: string;
}

export function appFiles(mainDir: string): AppFiles {
  return {
    rendererDir: join(mainDir, '..', 'renderer'),
    preload: join(mainDir, 'preload.cjs'),
    coreHost: join(mainDir, 'core-host.js'),
    extractHost: join(mainDir, 'extract-host.js'),
  };
}

/**
 * Electron's profile folder: `<appData>/Folio`, or FOLIO_USER_DATA when set (tests and a
 * second, separate profile during development; the single-instance lock is per folder).
 */
export function userDataDir(appData: string, env: Record<string, string | undefined>, cwd = process.cwd()): string {
  const explicit = env.FOLIO_USER_DATA?.trim();
  if (explicit) return isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
  return join(appData, 'Folio');
}

/** `FOLIO_DB` when set (as the CLI does), else `<userData>/folio.db` (userData ends in "Folio"). */
export function archivePath(userData: string, env: Record<string, string | undefined>, cwd = process.cwd()): string {
  const explicit = env.FOLIO_DB?.trim();
  if (explicit) return isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
  return join(userData, 'folio.db');
}
