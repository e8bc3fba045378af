import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/**
 * A zip file written as entries are added (yazl streams to disk; nothing is held whole in
 * memory). Entries are stored in the order added — EPUB relies on that for `mimetype`.
 */
export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly done: Promise<void>;
  /** Fixed timestamp: the same export gives the same bytes, and no timezone leaks in. */
  private readonly mtime: Date;

  constructor(file: string, mtime = new Date()) {
    this.mtime = mtime;
    this.done = pipeline(this.zip.outputStream, createWriteStream(file));
    // Without a listener an early stream error would be an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /**
   * `store: true` writes the entry uncompressed with a plain DOS timestamp and no extra field
   * (what EPUB requires of `mimetype`).
   */
  add(name: string, data: Buffer | Uint8Array | string, opts: { store?: boolean } = {}): void {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.zip.addBuffer(buffer, name, {
      mtime: this.mtime,
      compress: !opts.store,
      forceDosTimestamp: opts.store === true,
    });
  }

  /** Adds a file from disk (read when the zip reaches it), compressed. */
  addFile(realPath: string, name: string): void {
    this.zip.addFile(realPath, name, { mtime: this.mtime, compress: true });
  }

  /**
   * Adds an entry whose bytes are loaded only when the zip reaches it, so a large export holds
   * one image in memory at a time rather than all of them. Stored uncompressed: images are
   * compressed already. `load` runs before close() resolves, and its errors fail close().
   */
  addLazy(name: string, load: () => Buffer | Uint8Array): void {
    this.zip.addReadStreamLazy(name, { mtime: this.mtime, compress: false }, (cb) => {
      try {
        const data = load();
        cb(null, Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
      } catch (err) {
        cb(err, Readable.from([]));
      }
    });
  }

  /** Finishes the central directory and waits until the file is flushed. */
  async close(): Promise<void> {
    this.zip.end();
    await this.done;
  }
}
