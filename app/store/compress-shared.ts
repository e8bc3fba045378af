/**
 * What the archive's thread and its compression thread share (compress-helper.ts,
 * compress-worker.ts): one batch of original pages to compress, split between them through a
 * state per page in shared memory, claimed with compare-and-exchange so each page is
 * compressed exactly once, by whichever thread gets to it first.
 */
import type { Compressed } from './compress.js';

/** A page's state, one Int32 each. */
export const PageState = {
  /** Nobody has it yet. */
  Waiting: 0,
  /** The helper thread is compressing it. */
  Helper: 1,
  /** The helper thread compressed it and posted the bytes. */
  Posted: 2,
  /** The archive's thread took it (it compresses it itself). */
  Taken: 3,
} as const;

/** The archive's thread → the helper: a batch. */
export interface CompressBatchMessage {
  batch: number;
  /**
   * The pages' UTF-8 bytes, one after another, in memory both threads read: encoded once by the
   * archive's thread (which compressText would do anyway), never copied to the helper.
   */
  pages: SharedArrayBuffer;
  /** Where each page starts in `pages`, and its length. */
  offsets: number[];
  lengths: number[];
  /** One Int32 PageState per page. */
  states: SharedArrayBuffer;
}

/** The helper → the archive's thread: one compressed page (compressUtf8's result). */
export interface CompressedPageMessage {
  batch: number;
  index: number;
  codec: Compressed['codec'];
  bytes: number;
  data: Uint8Array;
}
