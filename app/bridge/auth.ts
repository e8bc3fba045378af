import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Who may use the bridge: whoever presents the token, either as `Authorization: Bearer <token>`
 * (scripts, tests) or as the `folio_token` cookie the browser got from the `/?token=` handshake.
 */
export const TOKEN_COOKIE = 'folio_token';

/**
 * Constant-time comparison. Both sides are hashed first so that neither the length of the
 * expected token nor the position of the first differing byte shows in the timing.
 */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Every token the request offers (a bearer header and any number of same-named cookies). */
export function presentedTokens(headers: IncomingHttpHeaders): string[] {
  const found: string[] = [];
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) found.push(m[1]!);
  }
  for (const value of cookieValues(headers.cookie, TOKEN_COOKIE)) found.push(value);
  return found;
}

export function isAuthorized(headers: IncomingHttpHeaders, token: string): boolean {
  // Check every candidate: another app on 127.0.0.1 (cookies ignore ports) may have set a
  // cookie of the same name, and it must not shadow ours.
  let ok = false;
  for (const candidate of presentedTokens(headers)) ok = tokensEqual(candidate, token) || ok;
  return ok;
}

/**
 * The session cookie. HttpOnly: page scripts (and so injected ones) cannot read it.
 * SameSite=Strict: no other site can make the browser send it. No Secure flag: this is plain
 * http on loopback. No Max-Age: it ends with the browser session; the launch URL or the
 * bookmarklet sets it again.
 */
export function sessionCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}
