import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FolioError } from '../core/errors.js';

/**
 * Every export is built under a temporary name beside its destination and renamed into place
 * only when complete, so an interrupted or failed export never leaves something at PATH that
 * looks finished. The temporary name, `.<name>.partial-<pid>`, is hidden and says what it is;
 * a killed run leaves only that behind.
 * Rename is atomic within one folder, which is why the temp lives beside PATH, not in /tmp.
 */
export interface AtomicTarget {
  /** The final destination (absolute). */
  readonly finalPath: string;
  /** Where to build: a file path, or a folder that already exists for `kind: 'folder'`. */
  readonly tempPath: string;
  /** Moves the finished temp into place. */
  commit(): void;
  /** Removes the temp (idempotent; safe after commit). */
  abort(): void;
}

export interface AtomicOptions {
  /** Replace an existing PATH (default: refuse, naming the path). */
  overwrite?: boolean;
}

export function partialName(finalPath: string, pid = process.pid): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.partial-${pid}`);
}

export function beginAtomic(target: string, kind: 'file' | 'folder', opts: AtomicOptions = {}): AtomicTarget {
  const finalPath = path.resolve(target);
  if (existsSync(finalPath) && !opts.overwrite) {
    throw new FolioError(
      'INVALID_INPUT',
      `Cannot export to ${finalPath}: it already exists; choose another --out path or pass --force to replace it.`,
    );
  }
  const parent = path.dirname(finalPath);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new FolioError('FILE_UNREADABLE', `Cannot create the folder ${parent} for the export: ${messageOf(err)}; check the path and permissions.`, {
      cause: err,
    });
  }
  const tempPath = partialName(finalPath);
  rmSync(tempPath, { recursive: true, force: true }); // leftovers of an earlier run with our pid
  if (kind === 'folder') mkdirSync(tempPath);
  let done = false;
  return {
    finalPath,
    tempPath,
    commit() {
      if (done) return;
      if (existsSync(finalPath)) {
        // A folder cannot be renamed over a non-empty one: move the old one aside first, so
        // PATH is at every moment either the old export or the new one.
        const aside = `${tempPath}.old`;
        renameSync(finalPath, aside);
        renameSync(tempPath, finalPath);
        rmSync(aside, { recursive: true, force: true });
      } else {
        renameSync(tempPath, finalPath);
      }
      done = true;
    },
    abort() {
      if (done) return;
      done = true;
      rmSync(tempPath, { recursive: true, force: true });
    },
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
