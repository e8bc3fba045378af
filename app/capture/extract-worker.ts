/**
 * Runs inside a worker thread of the extraction pool. One page per call; the event loop turns
 * between calls (piscina messages are async), so jsdom can free each closed window — a
 * synchronous loop over pages in one thread grew to ~930 MB here.
 */
import { extractArticle } from './extract.js';
import type { Extraction } from '../core/types.js';

export interface ExtractTask {
  html: string;
  url: string;
}

export default function extractInWorker(task: ExtractTask): Extraction {
  return extractArticle(task.html, task.url);
}
