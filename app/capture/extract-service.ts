import { FolioError } from '../core/errors.js';
import { extractArticle } from './extract.js';
import type { Endpoint } from '../core/endpoint.js';
import type { ExtractReply, ExtractRequest } from './extract-protocol.js';
import { applyImageDecisions, planImages } from './images.js';

/**
 * The extraction process's side: answers each request from the pool with the CPU-heavy DOM
 * work of capture (parse5 + Readability + DOMPurify, and the two image DOM steps). One request
 * at a time; the event loop turns between them (each arrives as a message), which jsdom needs
 * to free a page's window — a synchronous loop over pages in one thread grew to ~930 MB here.
 */
export function serveExtraction(endpoint: Endpoint<ExtractRequest, ExtractReply>): void {
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
