import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateToken, TOKEN_FILE_NAME } from '../../app/bridge/token.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'folio-token-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const posix = process.platform !== 'win32';

describe('loadOrCreateToken', () => {
  it('creates a 32-byte base64url token in bridge-token, readable by the owner only', () => {
    const token = loadOrCreateToken(dir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(dir, TOKEN_FILE_NAME);
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('returns the same token on every later call (stable across restarts)', () => {
    const first = loadOrCreateToken(dir);
    expect(loadOrCreateToken(dir)).toBe(first);
    expect(loadOrCreateToken(dir)).toBe(first);
  });

  it('gives two different archives folders different tokens', () => {
    const other = mkdtempSync(join(tmpdir(), 'folio-token-'));
    try {
      expect(loadOrCreateToken(other)).not.toBe(loadOrCreateToken(dir));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('creates the folder when it does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    const token = loadOrCreateToken(nested);
    expect(readFileSync(join(nested, TOKEN_FILE_NAME), 'utf8').trim()).toBe(token);
  });

  it('replaces an empty or mangled file with a fresh token', () => {
    const file = join(dir, TOKEN_FILE_NAME);
    writeFileSync(file, 'not a token!\n');
    const token = loadOrCreateToken(dir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!posix)('tightens a token file others can read to 0600 and keeps its token', () => {
    const file = join(dir, TOKEN_FILE_NAME);
    const existing = 'A'.repeat(43);
    writeFileSync(file, `${existing}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(loadOrCreateToken(dir)).toBe(existing);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('fails with a message naming the file when the folder cannot hold it', () => {
    // A regular file where the folder should be: fails for every user, root included.
    const notAFolder = join(dir, 'plain-file');
    writeFileSync(notAFolder, 'x');
    let caught: unknown;
    try {
      loadOrCreateToken(notAFolder);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: 'FolioError', code: 'FILE_UNREADABLE' });
    expect((caught as Error).message).toMatch(
      new RegExp(`Cannot keep the bridge access key in .*plain-file.*${TOKEN_FILE_NAME}.*writable`),
    );
  });
});
