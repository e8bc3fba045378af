/**
 * Runs inside a worker thread of the extraction pool. One page per call; the event loop turns
 * between calls (piscina messages are async), so jsdom can free each page's objects — a
 * synchronous loop over pages in one thread grew to ~930 MB here.
 *
 * Besides extraction, the two DOM steps of image localizing (app/capture/images.ts) run here,
 * so that parsing a long article never blocks the calling thread; downloads stay there.
 */
import { extractArticle } from './extract.js';
import { applyImageDecisions, planImages, type ImageDecision, type ImagePlan } from './images.js';
import type { Extraction } from '../core/types.js';

export interface ExtractTask {
  html: string;
  url: string;
}

export default function extractInWorker(task: ExtractTask): Extraction {
  return extractArticle(task.html, task.url);
}

export function planImagesInWorker(task: { html: string; pageUrl: string }): ImagePlan {
  return planImages(task.html, task.pageUrl);
}

export function applyImagesInWorker(task: { html: string; decisions: ImageDecision[] }): string {
  return applyImageDecisions(task.html, task.decisions);
}
