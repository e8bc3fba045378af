import type { Extraction } from '../core/types.js';
import type { ImageDecision, ImagePlan } from './images.js';

/**
 * The messages between the extraction pool (extract-pool.ts) and one extraction process
 * (extract-service.ts). Plain structured-clonable data: the same messages cross a Node IPC
 * channel (`folio`, tests, benchmarks) and an Electron MessagePort (the desktop app).
 */
export type ExtractRequest =
  | { id: number; op: 'extract'; html: string; url: string }
  | { id: number; op: 'plan-images'; html: string; pageUrl: string }
  | { id: number; op: 'apply-images'; html: string; decisions: ImageDecision[] };

export type ExtractResult = { extract: Extraction; 'plan-images': ImagePlan; 'apply-images': string };

export type ExtractReply =
  | { id: number; ok: true; value: ExtractResult[keyof ExtractResult] }
  /** `code` is a FolioError code when the page failed for a known reason (e.g. EXTRACT_FAILED). */
  | { id: number; ok: false; error: { message: string; code?: string } };

/**
 * Sent once by a new extraction process when it has loaded what extraction needs (jsdom,
 * Readability, DOMPurify: ~1 s alone, several seconds on a busy 2-core machine). The pool starts
 * a page's time limit only from then, so a slow start is not charged to the first page.
 */
export interface ExtractorReady {
  ready: true;
}

/** Everything an extraction process sends the pool. */
export type ExtractorMessage = ExtractReply | ExtractorReady;
