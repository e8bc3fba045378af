import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FolioError } from '../core/errors.js';
import { beginAtomic, type AtomicOptions, type AtomicTarget } from './atomic-output.js';
import { ZipWriter } from './zip-writer.js';

/**
 * A tree of files written either into a folder or into a .zip (PATH ending in `.zip`), so the
 * Markdown and HTML exporters write one layout for both. Built atomically (atomic-output.ts):
 * call `commit()` at the end, `abort()` on failure.
 */
export interface OutputTree {
  readonly finalPath: string;
  readonly kind: 'folder' | 'zip';
  /** `relPath` uses `/`; it must stay inside the tree (checked). */
  write(relPath: string, data: Buffer | Uint8Array | string): void;
  /** Like write, but a zip loads the bytes only when it gets to them (bounded memory). */
  writeLazy(relPath: string, load: () => Buffer | Uint8Array): void;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function openOutputTree(target: string, opts: AtomicOptions & { zipMtime?: Date } = {}): OutputTree {
  return target.toLowerCase().endsWith('.zip') ? new ZipTree(beginAtomic(target, 'file', opts), opts.zipMtime) : new FolderTree(beginAtomic(target, 'folder', opts));
}

/**
 * Rejects any path that could land outside the output: absolute, `..`, empty or `.` segments,
 * backslashes (a separator on Windows). Names come from filenames.ts already; this is the
 * last check before a write, whatever a caller passes.
 */
export function checkRelativePath(relPath: string, root: string): string {
  const segments = relPath.split('/');
  const bad = relPath === '' || relPath.includes('\\') || relPath.includes('\0') || path.isAbsolute(relPath) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  const base = path.resolve(root);
  const resolved = path.resolve(base, ...segments);
  if (bad || !resolved.startsWith(base + path.sep)) {
    throw new FolioError('INTERNAL', `Refusing to write "${relPath}" outside the export folder ${root}; this is a bug in Folio's exporter, please report it.`);
  }
  return resolved;
}

class FolderTree implements OutputTree {
  readonly kind = 'folder' as const;
  private readonly made = new Set<string>();
  constructor(private readonly target: AtomicTarget) {}

  get finalPath(): string {
    return this.target.finalPath;
  }

  write(relPath: string, data: Buffer | Uint8Array | string): void {
    const file = checkRelativePath(relPath, this.target.tempPath);
    const dir = path.dirname(file);
    if (!this.made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    // 'wx': never follow or replace something already there (names are unique by construction).
    writeFileSync(file, data, { flag: 'wx' });
  }

  writeLazy(relPath: string, load: () => Buffer | Uint8Array): void {
    this.write(relPath, load());
  }

  async commit(): Promise<void> {
    this.target.commit();
  }

  async abort(): Promise<void> {
    this.target.abort();
  }
}

class ZipTree implements OutputTree {
  readonly kind = 'zip' as const;
  private readonly zip: ZipWriter;
  private readonly names = new Set<string>();
  constructor(
    private readonly target: AtomicTarget,
    mtime?: Date,
  ) {
    this.zip = new ZipWriter(target.tempPath, mtime);
  }

  get finalPath(): string {
    return this.target.finalPath;
  }

  write(relPath: string, data: Buffer | Uint8Array | string): void {
    this.claim(relPath);
    this.zip.add(relPath, data);
  }

  writeLazy(relPath: string, load: () => Buffer | Uint8Array): void {
    this.claim(relPath);
    this.zip.addLazy(relPath, load);
  }

  private claim(relPath: string): void {
    checkRelativePath(relPath, '/zip-root');
    // Zip readers on case-insensitive systems would overwrite one entry with the other.
    const key = relPath.toLowerCase();
    if (this.names.has(key)) throw new FolioError('INTERNAL', `The export wrote "${relPath}" twice into ${this.target.finalPath}; this is a bug in Folio's exporter.`);
    this.names.add(key);
  }

  async commit(): Promise<void> {
    await this.zip.close();
    this.target.commit();
  }

  async abort(): Promise<void> {
    await this.zip.close().catch(() => undefined);
    this.target.abort();
  }
}
