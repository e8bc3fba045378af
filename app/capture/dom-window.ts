import { createRequire } from 'node:module';
import type { DOMWindow } from 'jsdom';

/**
 * jsdom is loaded on the first parse, not with this module: loading it takes ~0.9 s, and a
 * process whose parsing all happens in the extraction workers (the app, `folio import`) would
 * otherwise stall its event loop for that long on its first capture.
 */
const loadJsdom = (): typeof import('jsdom') => createRequire(import.meta.url)('jsdom') as typeof import('jsdom');

/**
 * jsdom, in this process's threads, for what must be a browser-grade DOM: sanitizing (DOMPurify
 * supports jsdom, not the light DOM extraction reads pages with — see light-dom.ts) and the
 * image steps and local-page reading that parse clean article HTML.
 *
 * Documents are parsed with DOMParser inside one long-lived, empty host window per thread rather
 * than with a new JSDOM each: a JSDOM builds a whole Window (every DOM interface installed
 * afresh, ~15 ms) and another one for each `<iframe>`, and eagerly parses every `<style>` sheet.
 * A DOMParser document has no browsing context: iframes stay inert elements, stylesheets are not
 * parsed, and the document is ordinary garbage once dropped — no window waiting for the event
 * loop to turn before it can be freed.
 *
 * jsdom keeps documents that share a window reachable through that window in two ways found so
 * far (930 MB retained after the 130 corpus pages): its named-property table (`window.foo` for
 * every attached element with an id or name) and the selector engine's event listeners (below).
 * So every document parsed here is handed to releaseDocument when done (detaching its tree
 * unregisters the names), and the host window is renewed every PARSES_PER_HOST documents as a
 * backstop for whatever else holds on to them.
 *
 * The document's own URL is about:blank, so nothing may rely on `document.URL`/`baseURI` or
 * on resolved properties such as `a.href`: extraction resolves every URL explicitly against the
 * page's base (absolutizeDocumentUrls) before anything is kept.
 */
interface Host {
  window: DOMWindow;
  parser: DOMParser;
}

let host: Host | null = null;
let parses = 0;
/**
 * A fresh host window every so many documents, as a backstop for anything still registered with
 * the old one (a document a caller forgot to release): dropped with its window.
 */
const PARSES_PER_HOST = 50;

function hostWindow(): Host {
  if (host && ++parses % PARSES_PER_HOST !== 0) return host;
  const { JSDOM, VirtualConsole } = loadJsdom();
  // Nothing is forwarded: no script runs, and the clean HTML parsed here has no stylesheets to complain about.
  const created: Host = { window: null as unknown as DOMWindow, parser: null as unknown as DOMParser };
  created.window = new JSDOM('<!DOCTYPE html><html><head></head><body></body></html>', { virtualConsole: new VirtualConsole() }).window;
  // jsdom's selector engine adds ten focus/keyboard/mouse listeners to the window for every
  // document it queries, each holding that document: with one window shared by every page, each
  // page stayed reachable through them. Nothing listens on this window, and an inert document
  // has no focus or input to track, so the listeners are not registered at all.
  created.window.addEventListener = () => undefined;
  installSimpleSelectorFastPath(created.window);
  created.parser = new created.window.DOMParser();
  host = created;
  return created;
}

/**
 * One simple selector of a list the fast path answers: a lowercase tag name, an attribute's
 * presence, or both (`img`, `[id]`, `a[href]`).
 */
const SIMPLE = '(?:[a-z][a-z0-9]*(?:\\[[a-z][a-z-]*\\])?|\\[[a-z][a-z-]*\\])';
const SIMPLE_LIST = new RegExp(`^\\s*${SIMPLE}(?:\\s*,\\s*${SIMPLE})*\\s*$`);

interface SimpleSelector {
  tag: string | null;
  attribute: string | null;
}

function parseSimpleList(selectors: string): SimpleSelector[] {
  return selectors.split(',').map((part) => {
    const m = /^([a-z0-9]*)(?:\[([a-z-]+)\])?$/.exec(part.trim())!;
    return { tag: m[1] || null, attribute: m[2] ?? null };
  });
}

/**
 * querySelectorAll for a list of tag names and attribute tests (SIMPLE_LIST), answered by
 * walking the element tree instead of through jsdom's general selector engine. Written when
 * extraction still read whole pages with jsdom (the engine spent 3.4 of a worker's 18 s on the
 * corpus, walking the tree once per call through its generic matcher and allocating as it went);
 * the jsdom work left — the sanitizer's tidy-up, image planning and rewriting — asks the same
 * simple lists (`img`, `picture`, `source`). The answer is
 * the same: the elements of the subtree that match one of the list's selectors, in tree order,
 * as a static list (an Array: everything here indexes, iterates or spreads it; nothing calls
 * NodeList.item). Any other selector goes to the engine unchanged.
 */
function installSimpleSelectorFastPath(window: DOMWindow): void {
  for (const proto of [window.Document.prototype, window.Element.prototype, window.DocumentFragment.prototype]) {
    const general = proto.querySelectorAll as (this: ParentNode, selectors: string) => NodeListOf<Element>;
    proto.querySelectorAll = function (this: ParentNode, selectors: string) {
      if (typeof selectors !== 'string' || !SIMPLE_LIST.test(selectors)) return general.call(this, selectors);
      const list = parseSimpleList(selectors);
      return elementsMatching(this, (el) =>
        list.some((s) => (s.tag === null || el.localName === s.tag) && (s.attribute === null || el.hasAttribute(s.attribute))),
      );
    } as typeof proto.querySelectorAll;
  }
}

/** The elements below `root` (not itself) that pass `test`, in tree order. */
function elementsMatching(root: ParentNode, test: (el: Element) => boolean): Element[] {
  const out: Element[] = [];
  let node = root.firstElementChild;
  while (node) {
    if (test(node)) out.push(node);
    // Next in tree order: the first child, else the next sibling of the nearest ancestor below root that has one.
    let next = node.firstElementChild;
    let up: Node = node;
    while (!next && up !== root) {
      next = (up as Element).nextElementSibling;
      if (!next) up = up.parentNode!;
    }
    node = next;
  }
  return out;
}

/**
 * Parses HTML into an inert document (no window: nothing runs, loads or is styled) using the
 * thread's shared host window — for work that holds a document across awaits (images, local
 * pages), where jsdom's error log per page does not apply.
 */
export function parseInertDocument(html: string): Document {
  return hostWindow().parser.parseFromString(html, 'text/html') as unknown as Document;
}

/** Detaches a parsed document's tree so the host window lets go of it (see above). */
export function releaseDocument(document: Document | null | undefined): void {
  if (!document || document === host?.window.document) return;
  document.documentElement?.remove();
}

/** The thread's host window, whose DOM implementation DOMPurify must use (see sanitize.ts). */
export function sanitizerWindow(): DOMWindow {
  return hostWindow().window;
}
