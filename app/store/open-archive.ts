import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { withNativeBinding } from './sqlite-binding.js';
import { FolioError } from '../core/errors.js';
import { Archive } from './archive.js';
import { LATEST_SCHEMA_VERSION, runMigrations } from './migrations/index.js';

export interface OpenArchiveOptions {
  /** Open without writing anything (no migrations, no pragmas that write). The file must exist and be current. */
  readonly?: boolean;
  /** The clock for saved/updated dates (tests). */
  now?: () => Date;
  /**
   * Checkpoint the WAL from a thread of its own (checkpointer.ts), so no save stalls the event
   * loop for one. For long-lived writers: the app, `folio serve`, `folio import`. Default false.
   */
  backgroundCheckpoints?: boolean;
}

/** `PRAGMA application_id` of a Folio archive: "Foli" in ASCII. */
export const FOLIO_APPLICATION_ID = 0x466f6c69;
const SQLITE_HEADER = 'SQLite format 3\u0000';
/** How long a connection waits for another one's write lock before giving up (ms). */
const BUSY_TIMEOUT_MS = 5000;

export { Archive };

/**
 * Opens (creating if needed) the archive at `file` and brings its schema up to date.
 *
 * The file is inspected before anything is written: something that is not SQLite, or another
 * program's database, is refused with ARCHIVE_CORRUPT; an archive from a newer Folio (schema
 * version above this build's) with ARCHIVE_TOO_NEW. In both cases the file is left byte for
 * byte as it was. Only then is the connection opened read-write and set up: WAL journal (readers
 * never block the writer), foreign keys on, busy_timeout 5 s, synchronous=NORMAL (durable
 * across application crashes; a power loss can lose the last transactions but not corrupt).
 */
export function openArchive(file: string, opts: OpenArchiveOptions = {}): Archive {
  const absolute = path.resolve(file);
  const size = fileSize(absolute);
  if (size === null && opts.readonly) {
    throw new FolioError('FILE_NOT_FOUND', `There is no archive at ${absolute}; check the path (--db or FOLIO_DB).`);
  }
  if (size !== null && size > 0) inspect(absolute);

  if (opts.readonly) return openReadonly(absolute, opts);

  mkdirSync(path.dirname(absolute), { recursive: true });
  const db = connect(absolute, {});
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`the journal mode stayed "${String(mode)}" instead of WAL`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    runMigrations(db);
    if ((db.pragma('application_id', { simple: true }) as number) === 0) {
      db.pragma(`application_id = ${FOLIO_APPLICATION_ID}`);
    }
    const archive = new Archive(db, absolute, false, opts.now);
    if (opts.backgroundCheckpoints) archive.checkpointInBackground();
    return archive;
  } catch (err) {
    db.close();
    if (err instanceof FolioError) throw err;
    throw new FolioError(
      'ARCHIVE_CORRUPT',
      `Could not set up the archive ${absolute}: ${messageOf(err)}. If another program has the file open, close it and try again.`,
      { cause: err },
    );
  }
}

function openReadonly(file: string, opts: OpenArchiveOptions): Archive {
  const db = connect(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < LATEST_SCHEMA_VERSION) {
      throw new FolioError(
        'BAD_FORMAT',
        `The archive ${file} uses an older layout (schema ${version}, this version uses ${LATEST_SCHEMA_VERSION}) and cannot be upgraded read-only; open it once normally to upgrade it.`,
      );
    }
    return new Archive(db, file, true, opts.now);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Reads the header and the schema version through a short read-only connection that writes
 * nothing, so a file Folio must refuse is never altered.
 */
function inspect(file: string): void {
  const header = readHeader(file);
  if (header !== SQLITE_HEADER) {
    throw new FolioError(
      'ARCHIVE_CORRUPT',
      `${file} is not a Folio archive (it is not an SQLite database); the file was not changed. ` +
        'Point Folio at another file (--db or FOLIO_DB), or move this one away to start a new archive.',
    );
  }
  const probe = connect(file, { readonly: true, fileMustExist: true });
  let version: number;
  let applicationId: number;
  let tables: number;
  try {
    version = probe.pragma('user_version', { simple: true }) as number;
    applicationId = probe.pragma('application_id', { simple: true }) as number;
    tables = (probe.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n;
  } catch (err) {
    throw corrupt(file, err);
  } finally {
    probe.close();
  }
  if (version > LATEST_SCHEMA_VERSION) {
    throw new FolioError(
      'ARCHIVE_TOO_NEW',
      `The archive ${file} was made by a newer Folio (schema ${version}, this version knows ${LATEST_SCHEMA_VERSION}); ` +
        'update Folio to open it — the file was not changed.',
    );
  }
  if ((applicationId !== 0 && applicationId !== FOLIO_APPLICATION_ID) || (version === 0 && tables > 0)) {
    throw new FolioError(
      'ARCHIVE_CORRUPT',
      `${file} is another program's SQLite database, not a Folio archive; the file was not changed. ` +
        'Point Folio at another file (--db or FOLIO_DB).',
    );
  }
}

function connect(file: string, options: Database.Options): Database.Database {
  try {
    return new Database(file, withNativeBinding(options));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw corrupt(file, err);
    if (code === 'SQLITE_CANTOPEN') {
      throw new FolioError(
        'FILE_UNREADABLE',
        `Cannot open the archive ${file}: ${messageOf(err)}. Check that the folder exists and that you may read and write it.`,
        { cause: err },
      );
    }
    throw new FolioError('FILE_UNREADABLE', `Cannot open the archive ${file}: ${messageOf(err)}.`, { cause: err });
  }
}

function corrupt(file: string, err: unknown): FolioError {
  return new FolioError(
    'ARCHIVE_CORRUPT',
    `The archive ${file} is damaged or is not an SQLite database (${messageOf(err)}); the file was not changed. ` +
      'Restore it from a backup copy, or point Folio at another file (--db or FOLIO_DB).',
    { cause: err },
  );
}

function fileSize(file: string): number | null {
  try {
    const st = statSync(file);
    if (st.isDirectory()) {
      throw new FolioError('INVALID_INPUT', `${file} is a folder; give the path of the archive file inside it (e.g. ${path.join(file, 'folio.db')}).`);
    }
    return st.size;
  } catch (err) {
    if (err instanceof FolioError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new FolioError('FILE_UNREADABLE', `Cannot read the archive ${file}: ${messageOf(err)}.`, { cause: err });
  }
}

function readHeader(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
