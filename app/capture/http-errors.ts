import { FolioError } from '../core/errors.js';

/**
 * Maps the raw errors Node's http/net/tls/zlib layers throw onto FolioErrors whose message
 * names the input, the cause, and what to do. Already-mapped FolioErrors pass through.
 * Transient = worth retrying later (timeouts, resets, refusals, temporary DNS failures).
 */
export function toFolioNetworkError(err: unknown, describe: string): FolioError {
  if (err instanceof FolioError) return err;
  const e = err as NodeJS.ErrnoException & { hostname?: string };
  const code = e?.code ?? '';
  const detail = e?.message ?? String(err);

  switch (code) {
    case 'ENOTFOUND':
      return new FolioError('DNS_FAILED', `${describe}: the host name could not be found (${hostOf(e)}); check the address`, {
        cause: err,
      });
    case 'EAI_AGAIN':
      return new FolioError(
        'DNS_FAILED',
        `${describe}: looking up the host name failed temporarily; check your connection and try again`,
        { transient: true, cause: err },
      );
    case 'ECONNREFUSED':
      return new FolioError(
        'NETWORK',
        `${describe}: the server refused the connection; check the address (and port) or try again later`,
        { transient: true, cause: err },
      );
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new FolioError(
        'CONNECTION_RESET',
        `${describe}: the connection was closed before the page was complete (${detail}); try again later`,
        { transient: true, cause: err },
      );
    case 'ETIMEDOUT':
      return new FolioError('CONNECT_TIMEOUT', `${describe}: the connection timed out; try again later`, {
        transient: true,
        cause: err,
      });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return new FolioError('NETWORK', `${describe}: the network cannot reach the server (${code}); check your connection`, {
        transient: true,
        cause: err,
      });
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return new FolioError(
        'DECODE_FAILED',
        `${describe}: the server sent a corrupt compressed body (${detail}); try again later`,
        { transient: true, cause: err },
      );
  }
  if (/^ERR_TLS|CERT|^UNABLE_TO|SELF_SIGNED|^ERR_SSL/.test(code)) {
    return new FolioError(
      'NETWORK',
      `${describe}: the site's security certificate was rejected (${code}: ${detail}); ` +
        'the address may be wrong or the site misconfigured',
      { cause: err },
    );
  }
  if (code.startsWith('HPE_')) {
    return new FolioError('NETWORK', `${describe}: the server sent a malformed HTTP response (${detail})`, { cause: err });
  }
  // Brotli reports codes like ERR__ERROR_FORMAT_PADDING_1 (its own error names, prefixed).
  if (/^(Z_|ERR_BROTLI|ERR_ZLIB|ERR__)/.test(code)) {
    return new FolioError('DECODE_FAILED', `${describe}: the compressed body could not be decoded (${detail})`, {
      transient: true,
      cause: err,
    });
  }
  return new FolioError('NETWORK', `${describe}: the download failed (${code ? `${code}: ` : ''}${detail}); try again later`, {
    transient: true,
    cause: err,
  });
}

function hostOf(e: { hostname?: string }): string {
  return e.hostname ?? 'unknown host';
}
