import { FolioError } from '../core/errors.js';
import { extractArticle } from './extract.js';
import type { Endpoint } from '../core/endpoint.js';
import type { ExtractReply, ExtractRequest, ExtractorMessage } from './extract-protocol.js';
import { applyImageDecisions, planImages } from './images.js';

/**
 * The extraction process's side: answers each request from the pool with the CPU-heavy DOM
 * work of capture (parse5 + Readability + DOMPurify, and the two image DOM steps). One request
 * at a time; the event loop turns between them (each arrives as a message), which jsdom needs
 * to free a page's window — a synchronous loop over pages in one thread grew to ~930 MB here.
 */
export function serveExtraction(endpoint: Endpoint<ExtractRequest, ExtractorMessage>): void {
  warmUp();
  endpoint.post({ ready: true });
  endpoint.onMessage((request) => {
    let reply: ExtractReply;
    try {
      reply = { id: request.id, ok: true, value: run(request) };
    } catch (err) {
      const code = err instanceof FolioError ? err.code : undefined;
      reply = { id: request.id, ok: false, error: { message: err instanceof Error ? err.message : String(err), code } };
    }
    endpoint.post(reply);
  });
}

/**
 * Loads everything a page needs (jsdom loads on the first parse, dom-window.ts) by cleaning a
 * one-line page, before the pool is told this process is ready. Requests that arrive meanwhile
 * wait in the channel: this runs synchronously, before any message is read.
 */
function warmUp(): void {
  try {
    extractArticle('<!DOCTYPE html><title>ready</title><p>ready</p>', 'http://127.0.0.1/ready');
  } catch {
    // nothing lost: the first real page loads what is missing and reports its own error
  }
}

function run(request: ExtractRequest) {
  switch (request.op) {
    case 'extract':
      return extractArticle(request.html, request.url);
    case 'plan-images':
      return planImages(request.html, request.pageUrl);
    case 'apply-images':
      return applyImageDecisions(request.html, request.decisions);
  }
}
