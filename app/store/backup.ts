/**
 * A consistent copy of an archive while it is in use: `VACUUM INTO` runs in one read
 * transaction, so the copy is the archive as of one instant (never half a transaction), and
 * WAL lets writers go on meanwhile. (The online backup API restarts whenever another
 * connection writes, so under steady writes it may never finish; VACUUM INTO cannot starve.)
 *
 * The copy is written to a temporary name in the target folder, checked, flushed to disk and
 * only then given its name, so an interrupted backup never leaves a half-written file under
 * the name the user asked for.
 */
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { withNativeBinding } from './sqlite-binding.js';
import { FolioError } from '../core/errors.js';
import { openArchive } from './open-archive.js';

export interface BackupOptions {
  /** Replace an existing file at the destination (otherwise refused). */
  force?: boolean;
}

export interface BackupResult {
  /** Absolute path of the copy. */
  path: string;
  /** Size of the copy in bytes. */
  bytes: number;
  /** Live (not trashed) articles in the copy, captured and bookmarks. */
  articles: number;
}

/** Copies the archive at `source` to `destination`. @throws FolioError */
export function backupArchive(source: string, destination: string, opts: BackupOptions = {}): BackupResult {
  const from = path.resolve(source);
  const to = path.resolve(destination);
  if (from === to) throw new FolioError('INVALID_INPUT', `the backup ${to} would overwrite the archive itself; choose another file`);
  checkDestination(to, !!opts.force);

  // Refuses what is not a (current) Folio archive with the store's usual messages, writing nothing.
  openArchive(from, { readonly: true }).close();

  mkdirSync(path.dirname(to), { recursive: true });
  const temp = path.join(path.dirname(to), `.${path.basename(to)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    copyInto(from, temp);
    const articles = verifyCopy(temp);
    fsyncFile(temp);
    publish(temp, to, !!opts.force);
    fsyncDir(path.dirname(to));
    return { path: to, bytes: statSync(to).size, articles };
  } finally {
    for (const leftover of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) rmSync(leftover, { force: true });
  }
}

function checkDestination(to: string, force: boolean): void {
  if (!existsSync(to)) return;
  if (statSync(to).isDirectory()) {
    throw new FolioError('INVALID_INPUT', `${to} is a folder; give the backup's file name (e.g. ${path.join(to, 'folio-backup.db')})`);
  }
  if (!force) throw new FolioError('INVALID_INPUT', `${to} already exists; choose another name, or pass --force to replace it`);
}

function copyInto(from: string, temp: string): void {
  const db = new Database(from, withNativeBinding({ readonly: true, fileMustExist: true }));
  try {
    // Readers never wait on a WAL writer, but a checkpoint may hold a lock for a moment.
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(temp);
  } catch (err) {
    throw new FolioError('FILE_UNREADABLE', `could not copy the archive ${from} to ${temp}: ${messageOf(err)}`, { cause: err });
  } finally {
    db.close();
  }
}

/**
 * Opens the copy on its own: it must pass SQLite's check, and is left in rollback-journal mode
 * so the backup is exactly one self-contained file. Returns its count of live articles.
 */
function verifyCopy(temp: string): number {
  const db = new Database(temp, withNativeBinding({ fileMustExist: true }));
  try {
    db.pragma('journal_mode = DELETE');
    const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw new Error(`the copy failed SQLite's check: ${problems.slice(0, 3).join('; ')}`);
    return (db.prepare('SELECT count(*) AS n FROM articles WHERE deleted_at IS NULL').get() as { n: number }).n;
  } catch (err) {
    throw new FolioError('INTERNAL', `the backup copy ${temp} is not sound (${messageOf(err)}); nothing was written — try again`, { cause: err });
  } finally {
    db.close();
  }
}

/**
 * Gives the copy its final name. Without --force a hard link creates the name only if it is
 * still free (atomic, so a file that appeared meanwhile is not clobbered); where links are not
 * supported, a check then a rename.
 */
function publish(temp: string, to: string, force: boolean): void {
  if (force) {
    renameSync(temp, to);
    return;
  }
  try {
    linkSync(temp, to);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FolioError('INVALID_INPUT', `${to} already exists; choose another name, or pass --force to replace it`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') {
      throw new FolioError('FILE_UNREADABLE', `could not write the backup ${to}: ${messageOf(err)}`, { cause: err });
    }
  }
  checkDestination(to, false);
  renameSync(temp, to);
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the new name itself durable; not possible on every platform (Windows), so best effort. */
function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The data is already synced; only the directory entry's durability is at stake.
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
