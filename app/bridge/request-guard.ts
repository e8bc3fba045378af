import type { IncomingHttpHeaders } from 'node:http';

/**
 * Refuses requests that did not come from Folio's own page on loopback, before anything else
 * looks at them:
 * - Host must name loopback with our port: a DNS-rebinding page (evil.example resolving to
 *   127.0.0.1) sends its own name as Host and is refused.
 * - Origin, when sent, must be our own origin: another site's script (or a sandboxed/file page,
 *   Origin "null") is refused even if it somehow has the token.
 * - State-changing requests must not be sent by another site (Sec-Fetch-Site). `same-site` is
 *   refused too: every port of 127.0.0.1 is the same "site", so another local web app counts.
 * Returns null when the request may proceed, or the reason it may not.
 */
export function refuseForeignRequest(method: string, headers: IncomingHttpHeaders, port: number): string | null {
  const host = (headers.host ?? '').toLowerCase();
  if (!allowedHosts(port).has(host)) {
    return 'This Folio server only answers requests addressed to 127.0.0.1 or localhost with its own port.';
  }
  const origin = headers.origin;
  if (origin !== undefined && !allowedOrigins(port).has(origin.toLowerCase())) {
    return 'Requests from other web sites are refused; open Folio from the address printed by `folio serve`.';
  }
  if (!SAFE_METHODS.has(method)) {
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return 'Changes can only be made from Folio\'s own page, not from another site or local app.';
    }
  }
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function allowedHosts(port: number): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  // Browsers leave out the default port.
  if (port === 80) for (const h of ['127.0.0.1', 'localhost']) hosts.add(h);
  return hosts;
}

function allowedOrigins(port: number): Set<string> {
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  if (port === 80) for (const o of ['http://127.0.0.1', 'http://localhost']) origins.add(o);
  return origins;
}
