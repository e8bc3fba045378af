import { JSDOM, VirtualConsole, type DOMWindow } from 'jsdom';

/**
 * A jsdom window for one page that can never run the page: scripts are not executed
 * (runScripts left off), no subresource is fetched (no `resources` option), and jsdom's own
 * complaints (mostly CSS it cannot parse) are recorded instead of printed.
 */
export interface DomWindow {
  window: DOMWindow;
  document: Document;
  /** Distinct jsdom error messages met while parsing, e.g. "Could not parse CSS stylesheet". */
  errors(): string[];
  close(): void;
}

export function openDomWindow(html: string, pageUrl: string): DomWindow {
  const seen = new Set<string>();
  const virtualConsole = new VirtualConsole();
  // Not forwarded anywhere: jsdom's errors are recorded, page console calls (impossible without
  // scripts) go nowhere.
  virtualConsole.on('jsdomError', (err: Error) => seen.add(err.message.split('\n')[0]!));
  const dom = new JSDOM(html, { url: pageUrl, virtualConsole, contentType: 'text/html' });
  const window = dom.window;
  return {
    window,
    document: window.document,
    errors: () => [...seen],
    close: () => window.close(),
  };
}

/**
 * String-level clean-ups applied before parsing. Today only the CSS strip used by the retry
 * path; issue #6 can add a pre-strip of `<script>`/comments here for speed.
 */
export interface PreParseSteps {
  stripStyles?: boolean;
}

export function preParse(html: string, steps: PreParseSteps): string {
  let out = html;
  if (steps.stripStyles) out = stripStyles(out);
  return out;
}

/**
 * Removes `<style>` elements and `style` attributes from raw HTML, because jsdom parses CSS
 * eagerly and some real pages contain CSS its parser throws on. `<style>` is a raw-text element
 * (it ends at the first `</style`), so a regular expression finds its end reliably; the attribute
 * pattern only matches inside a tag (after `<name` and other attributes).
 */
export function stripStyles(html: string): string {
  return html
    .replace(/<style\b[^>]*>[\s\S]*?(<\/style\s*>|$)/gi, '')
    .replace(/(<[a-zA-Z][^\s/>]*(?:\s+[^\s/>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*?)\s+style\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, '$1');
}

/** True when `stripStyles` would change something, i.e. a CSS-free retry is worth trying. */
export function hasStyles(html: string): boolean {
  return stripStyles(html) !== html;
}
