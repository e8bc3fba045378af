/**
 * Response headers that lock pages down. The renderer runs no inline script or style (Vite
 * emits files), so the app's CSP can be strict: everything from our own origin only, no
 * framing, no forms, no <base>.
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** For the small pages the server writes itself (401, bookmarklet, …): they need nothing at all. */
export const PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** For stored images and any non-HTML body: if opened directly, nothing in it may run. */
export const INERT_CSP = "default-src 'none'";

/** Headers for every HTML response, with the given CSP. */
export function htmlHeaders(csp: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/** Headers every response gets, whatever its type. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};
