import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FolioError } from '../core/errors.js';

/**
 * The bridge's access key. It must stay the same across restarts, because the bookmarklet the
 * user dragged to their toolbar embeds it; so it lives in a file next to the archive, readable
 * by the user only (0600), and is created once.
 */
export const TOKEN_FILE_NAME = 'bridge-token';

/** 32 random bytes, base64url: 43 characters, safe in URLs, cookies and headers as is. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

const WELL_FORMED = /^[A-Za-z0-9_-]{32,512}$/;

/** Reads `dir/bridge-token`, creating it (and `dir`) with a fresh token if missing or unusable. */
export function loadOrCreateToken(dir: string): string {
  const file = join(dir, TOKEN_FILE_NAME);
  try {
    mkdirSync(dir, { recursive: true });
    const existing = readToken(file);
    if (existing) return existing;
    const token = generateToken();
    if (createExclusively(file, token)) return token;
    // Another `folio serve` created it between our read and our create: use theirs.
    const theirs = readToken(file);
    if (theirs) return theirs;
    // The file exists but holds no usable token (emptied, edited by hand): replace it atomically.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${token}\n`, { mode: 0o600 });
    renameSync(temp, file);
    return token;
  } catch (err) {
    if (err instanceof FolioError) throw err;
    throw new FolioError(
      'FILE_UNREADABLE',
      `Cannot keep the bridge access key in ${file}: ${(err as Error).message}; check that the folder exists and is writable by you.`,
      { cause: err },
    );
  }
}

function readToken(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (!WELL_FORMED.test(text)) return null;
  tightenPermissions(file);
  return text;
}

/** `wx`: fails if the file exists, so two processes starting at once never both write. */
function createExclusively(file: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** A key readable by other local users would let them drive the archive; fix it quietly. */
function tightenPermissions(file: string): void {
  if (process.platform === 'win32') return; // POSIX modes mean little there; the profile folder is private
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch {
    // Not ours to fix (e.g. owned by another user); the read still worked.
  }
}
