import { FolioError } from '../core/errors.js';

/**
 * Validating what we are about to fetch: only http(s), and never with credentials. A URL's
 * user:password part is used for nothing (no Authorization header) and removed, so it never
 * reaches the archive, a message or a log.
 */

/** Parses `input` (optionally relative to `base`) into an http(s) URL without credentials. */
export function parseHttpUrl(input: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim(), base);
  } catch (cause) {
    const hint = /^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(input.trim()) ? ` (did you mean https://${input.trim()}?)` : '';
    throw new FolioError(
      'INVALID_INPUT',
      `"${input}" is not a valid web address${hint}; use a full URL such as https://example.com/article`,
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FolioError(
      'UNSUPPORTED_SCHEME',
      `${redactCredentials(url)} uses ${url.protocol.slice(0, -1)}:, but only http and https pages can be saved; ` +
        'to save a local HTML file, add it as a file instead of a URL',
    );
  }
  return stripCredentials(url);
}

export function stripCredentials(url: URL): URL {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy;
}

/** For messages about non-http URLs (where username/password setters may not apply). */
function redactCredentials(url: URL): string {
  return url.username || url.password ? url.href.replace(/\/\/[^@/]*@/, '//') : url.href;
}

/** "https://a/x" or "https://a/x (redirected to https://b/y)": how messages name the input. */
export function describeInput(requested: string, current: string): string {
  return requested === current ? requested : `${requested} (redirected to ${current})`;
}
