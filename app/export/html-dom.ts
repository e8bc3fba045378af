import { JSDOM } from 'jsdom';

/**
 * One jsdom window for the exporters: parsing stored article HTML into a DOM (to rewrite image
 * references and prepare it for turndown) and serializing it back as HTML or XHTML. A single
 * window is reused because creating one per article would dominate export time.
 */
let shared: JSDOM | null = null;

function window(): JSDOM['window'] {
  shared ??= new JSDOM('<!doctype html><html><head></head><body></body></html>');
  return shared.window;
}

/** Parses an HTML fragment into a detached <body>-like container element. */
export function parseFragment(html: string): HTMLElement {
  const holder = window().document.createElement('div');
  holder.innerHTML = html;
  return holder;
}

/** Serializes a node's children as XML (void elements closed, entities valid for XHTML). */
export function childrenToXhtml(element: Element): string {
  const serializer = new (window().XMLSerializer)();
  return [...element.childNodes].map((n) => serializer.serializeToString(n)).join('');
}
