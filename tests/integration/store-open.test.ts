import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolioError } from '../../app/core/errors.js';
import { defaultArchivePath, resolveArchivePath } from '../../app/store/default-path.js';
import { LATEST_SCHEMA_VERSION } from '../../app/store/migrations/index.js';
import { FOLIO_APPLICATION_ID, openArchive } from '../../app/store/open-archive.js';
import { makeCapture } from '../helpers/make-capture.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-open-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fingerprint(file: string): string {
  const st = statSync(file);
  return `${createHash('sha256').update(readFileSync(file)).digest('hex')}:${st.size}:${st.mtimeMs}`;
}

function expectFolioError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FolioError);
    expect((err as FolioError).code).toBe(code);
    expect((err as FolioError).message).toMatch(message);
    return;
  }
  throw new Error(`expected a FolioError ${code}`);
}

describe('defaultArchivePath (what Electron userData gives for "Folio")', () => {
  it('Linux: $XDG_CONFIG_HOME, else ~/.config; a relative XDG_CONFIG_HOME is ignored', () => {
    expect(defaultArchivePath({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/xdg/Folio/folio.db');
    expect(defaultArchivePath({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Folio/folio.db');
    expect(defaultArchivePath({ XDG_CONFIG_HOME: 'rel/dir' }, 'linux', '/home/ann')).toBe('/home/ann/.config/Folio/folio.db');
    expect(defaultArchivePath({}, 'freebsd', '/home/ann')).toBe('/home/ann/.config/Folio/folio.db');
  });

  it('macOS: ~/Library/Application Support', () => {
    expect(defaultArchivePath({ XDG_CONFIG_HOME: '/xdg' }, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Folio/folio.db');
  });

  it('Windows: %APPDATA%, else ~\\AppData\\Roaming, with backslashes', () => {
    expect(defaultArchivePath({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Folio\\folio.db',
    );
    expect(defaultArchivePath({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Folio\\folio.db');
  });
});

describe('resolveArchivePath', () => {
  it('explicit beats FOLIO_DB beats the default; the folder is created', () => {
    const explicit = join(dir, 'a', 'b', 'x.db');
    expect(resolveArchivePath(explicit, { FOLIO_DB: join(dir, 'env.db') })).toBe(explicit);
    expect(existsSync(join(dir, 'a', 'b'))).toBe(true);
    expect(resolveArchivePath(undefined, { FOLIO_DB: join(dir, 'env', 'y.db') })).toBe(join(dir, 'env', 'y.db'));
    expect(resolveArchivePath('  ', { FOLIO_DB: join(dir, 'env', 'y.db') })).toBe(join(dir, 'env', 'y.db'));
    expect(resolveArchivePath(undefined, { XDG_CONFIG_HOME: join(dir, 'xdg') })).toBe(
      process.platform === 'linux' ? join(dir, 'xdg', 'Folio', 'folio.db') : defaultArchivePath({ XDG_CONFIG_HOME: join(dir, 'xdg') }),
    );
  });

  it('makes relative paths absolute and expands ~/', () => {
    expect(resolveArchivePath(join('rel-' + process.pid, 'f.db'), {})).toBe(join(process.cwd(), 'rel-' + process.pid, 'f.db'));
    rmSync(join(process.cwd(), 'rel-' + process.pid), { recursive: true, force: true });
    const sub = `.folio-test-${process.pid}`;
    try {
      expect(resolveArchivePath(`~/${sub}/f.db`, {})).toBe(join(homedir(), sub, 'f.db'));
    } finally {
      rmSync(join(homedir(), sub), { recursive: true, force: true });
    }
  });
});

describe('openArchive', () => {
  it('creates a new archive with WAL, foreign keys, busy timeout, synchronous NORMAL, current schema', () => {
    const file = join(dir, 'new', 'folio.db');
    const archive = openArchive(file);
    try {
      expect(archive.path).toBe(file);
      expect(archive.connectionInfo()).toEqual({
        schemaVersion: LATEST_SCHEMA_VERSION,
        journalMode: 'wal',
        foreignKeys: true,
        busyTimeoutMs: 5000,
        synchronous: 'NORMAL',
      });
    } finally {
      archive.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(FOLIO_APPLICATION_ID);
    db.close();
  });

  it('reopens an archive with its data', () => {
    const file = join(dir, 'folio.db');
    const first = openArchive(file);
    const { capture, blobs } = makeCapture({ seed: 1 });
    const { id } = first.saveCapture(capture, blobs);
    first.close();
    first.close(); // idempotent
    const again = openArchive(file);
    expect(again.getArticle(id)!.title).toBe(capture.title);
    again.close();
  });

  it('turns an empty file into an archive', () => {
    const file = join(dir, 'empty.db');
    writeFileSync(file, '');
    const archive = openArchive(file);
    expect(archive.connectionInfo().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    archive.close();
  });

  it('refuses a file that is not SQLite, leaving it untouched', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'These are my notes, not a database.\n'.repeat(200));
    const before = fingerprint(file);
    expectFolioError(() => openArchive(file), 'ARCHIVE_CORRUPT', /notes\.txt is not a Folio archive \(it is not an SQLite database\); the file was not changed/);
    expect(fingerprint(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a damaged SQLite file (valid header, garbage after)', () => {
    const file = join(dir, 'damaged.db');
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(8192, 0xab)]));
    const before = fingerprint(file);
    expectFolioError(() => openArchive(file), 'ARCHIVE_CORRUPT', /damaged\.db is damaged or is not an SQLite database/);
    expect(fingerprint(file)).toBe(before);
  });

  it("refuses another program's SQLite database, leaving it untouched", () => {
    const file = join(dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (\'Ann\')');
    db.close();
    const before = fingerprint(file);
    expectFolioError(() => openArchive(file), 'ARCHIVE_CORRUPT', /another program's SQLite database/);
    expect(fingerprint(file)).toBe(before);

    const tagged = join(dir, 'tagged.db');
    const t = new Database(tagged);
    t.pragma('application_id = 1234');
    t.close();
    expectFolioError(() => openArchive(tagged), 'ARCHIVE_CORRUPT', /not a Folio archive/);
  });

  it('refuses an archive from a newer Folio without changing a byte', () => {
    const file = join(dir, 'future.db');
    openArchive(file).close();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE'); // as a newer Folio might leave it
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = fingerprint(file);
    expectFolioError(
      () => openArchive(file),
      'ARCHIVE_TOO_NEW',
      new RegExp(
        `future\\.db was made by a newer Folio \\(schema ${LATEST_SCHEMA_VERSION + 5}, this version knows ${LATEST_SCHEMA_VERSION}\\); update Folio to open it — the file was not changed`,
      ),
    );
    expect(fingerprint(file)).toBe(before);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
    expectFolioError(() => openArchive(file, { readonly: true }), 'ARCHIVE_TOO_NEW', /newer Folio/);
  });

  it('refuses a folder', () => {
    mkdirSync(join(dir, 'folder.db'));
    expectFolioError(() => openArchive(join(dir, 'folder.db')), 'INVALID_INPUT', /is a folder/);
  });

  describe('read-only', () => {
    it('reads an existing archive and refuses writes', () => {
      const file = join(dir, 'ro.db');
      const rw = openArchive(file);
      const { capture, blobs } = makeCapture({ seed: 2 });
      const { id } = rw.saveCapture(capture, blobs);
      rw.close();
      const before = fingerprint(file);
      const ro = openArchive(file, { readonly: true });
      try {
        expect(ro.readonly).toBe(true);
        expect(ro.getArticle(id)!.title).toBe(capture.title);
        expect(ro.search(capture.title.split(' ')[0]!).total).toBeGreaterThan(0);
        expect(() => ro.setFlags([id], { read: true })).toThrow(/readonly/i);
      } finally {
        ro.close();
      }
      expect(fingerprint(file)).toBe(before);
    });

    it('needs the file to exist and be current', () => {
      expectFolioError(() => openArchive(join(dir, 'missing.db'), { readonly: true }), 'FILE_NOT_FOUND', /no archive at .*missing\.db/);
      expect(existsSync(join(dir, 'missing.db'))).toBe(false);

      const old = join(dir, 'old.db');
      const db = new Database(old);
      db.pragma(`application_id = ${FOLIO_APPLICATION_ID}`);
      db.exec('CREATE TABLE articles (id INTEGER PRIMARY KEY)');
      db.pragma('user_version = 1');
      db.close();
      expectFolioError(() => openArchive(old, { readonly: true }), 'BAD_FORMAT', /older layout \(schema 1/);
    });
  });
});
