/**
 * Reading an export from disk with limits: a size cap checked before anything is read, whole-file
 * reads only for formats that cannot be streamed, and zips/folders behind one small interface
 * (FileSet) so Pocket, Omnivore, Readeck and Folio exports read the same way either packed or
 * unpacked.
 */
import { createReadStream, readdirSync, statSync, type ReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';
import { FolioError } from '../core/errors.js';

import { MAX_IMPORT_BYTES } from './formats.js';
export { MAX_IMPORT_BYTES };
/** Formats parsed as a whole (HTML, JSON) and each file inside a zip must fit in this. */
export const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;

const MIB = 1024 * 1024;

export interface InputInfo {
  /** Absolute path. */
  path: string;
  size: number;
  isDirectory: boolean;
}

/** Checks the input exists, is readable and under the cap. */
export function inspectInput(file: string): InputInfo {
  const absolute = path.resolve(file);
  let st;
  try {
    st = statSync(absolute);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FolioError('FILE_NOT_FOUND', `${absolute}: no such file; check the path of the export to import.`);
    throw new FolioError('FILE_UNREADABLE', `${absolute}: cannot read it (${(err as Error).message}); check its permissions.`, { cause: err });
  }
  if (st.isDirectory()) return { path: absolute, size: 0, isDirectory: true };
  if (st.size > MAX_IMPORT_BYTES) {
    throw new FolioError(
      'TOO_LARGE',
      `${absolute}: the file is ${Math.round(st.size / MIB)} MB, over Folio's ${MAX_IMPORT_BYTES / MIB} MB import limit; split the export into smaller files and import them one by one.`,
    );
  }
  return { path: absolute, size: st.size, isDirectory: false };
}

/** The first `n` bytes of a file (format detection). */
export async function readHead(file: string, n = 64 * 1024): Promise<Buffer> {
  const handle = await openFile(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A whole text file (UTF-8, BOM removed), refused above MAX_WHOLE_FILE_BYTES. */
export async function readWholeText(file: string, size: number): Promise<string> {
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new FolioError(
      'TOO_LARGE',
      `${file}: ${Math.round(size / MIB)} MB is too large for this format (read as a whole; limit ${MAX_WHOLE_FILE_BYTES / MIB} MB); split the export into smaller files.`,
    );
  }
  const handle = await openFile(file, 'r');
  try {
    return stripBom((await handle.readFile()).toString('utf8'));
  } finally {
    await handle.close();
  }
}

export function streamFile(file: string): ReadStream {
  return createReadStream(file);
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A set of named files: the entries of a zip, or the files under a folder ('/'-separated names). */
export interface FileSet {
  /** What to call it in messages (the zip or folder path). */
  label: string;
  names: string[];
  read(name: string): Promise<Buffer>;
  close(): void;
}

export async function openFileSet(info: InputInfo): Promise<FileSet> {
  return info.isDirectory ? openFolder(info.path) : openZip(info.path);
}

function openFolder(root: string): FileSet {
  const names: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix + entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), rel + '/');
      else if (entry.isFile()) names.push(rel);
    }
  };
  walk(root, '');
  names.sort();
  return {
    label: root,
    names,
    read: async (name) => {
      const full = path.join(root, ...name.split('/'));
      const size = statSync(full).size;
      if (size > MAX_WHOLE_FILE_BYTES) throw tooLargeEntry(root, name, size);
      const handle = await openFile(full, 'r');
      try {
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
    close: () => undefined,
  };
}

/**
 * Opens a zip by its central directory (yauzl, lazily): a truncated or damaged file fails here
 * or when an entry is read, with a message saying to download the export again.
 */
export async function openZip(file: string): Promise<FileSet> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, z) =>
      err ? reject(damagedZip(file, err)) : resolve(z),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) => reject(damagedZip(file, err)));
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }
  return {
    label: file,
    names: [...entries.keys()].sort(),
    read: (name) => {
      const entry = entries.get(name);
      if (!entry) return Promise.reject(new FolioError('BAD_FORMAT', `${file}: the zip has no entry "${name}".`));
      if (entry.uncompressedSize > MAX_WHOLE_FILE_BYTES) return Promise.reject(tooLargeEntry(file, name, entry.uncompressedSize));
      return new Promise<Buffer>((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(damagedZip(file, err, name));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', (e: Error) => reject(damagedZip(file, e, name)));
        });
      });
    },
    close: () => zip.close(),
  };
}

function damagedZip(file: string, err: Error, entry?: string): FolioError {
  return new FolioError(
    'BAD_FORMAT',
    `${file}: the zip is damaged or truncated${entry ? ` (reading "${entry}")` : ''}: ${err.message}; download the export again and retry.`,
    { cause: err },
  );
}

function tooLargeEntry(file: string, name: string, size: number): FolioError {
  return new FolioError(
    'TOO_LARGE',
    `${file}: "${name}" is ${Math.round(size / MIB)} MB, over the ${MAX_WHOLE_FILE_BYTES / MIB} MB limit for one file of an export; split the export.`,
  );
}
