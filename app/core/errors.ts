/**
 * Every failure Folio reports carries a stable code (for JSON output, the contract and tests)
 * and a message a person can act on: which input, what went wrong, what to do.
 */
export type FolioErrorCode =
  | 'INVALID_INPUT'
  | 'UNSUPPORTED_SCHEME'
  | 'BLOCKED_ADDRESS'
  | 'DNS_FAILED'
  | 'CONNECT_TIMEOUT'
  | 'TIMEOUT'
  | 'CONNECTION_RESET'
  | 'NETWORK'
  | 'TOO_MANY_REDIRECTS'
  | 'REDIRECT_LOOP'
  | 'HTTP_STATUS'
  | 'UNSUPPORTED_TYPE'
  | 'TOO_LARGE'
  | 'DECODE_FAILED'
  | 'EXTRACT_FAILED'
  | 'NO_CONTENT'
  | 'RENDER_FAILED'
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'ARCHIVE_TOO_NEW'
  | 'ARCHIVE_CORRUPT'
  | 'BAD_FORMAT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CANCELLED'
  | 'INTERNAL';

export class FolioError extends Error {
  readonly code: FolioErrorCode;
  /** Transient failures (timeouts, resets, 5xx) are worth retrying; the queue reads this. */
  readonly transient: boolean;
  constructor(code: FolioErrorCode, message: string, options: { transient?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FolioError';
    this.code = code;
    this.transient = options.transient ?? false;
  }
  toJSON(): { code: FolioErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into a FolioError without losing the original message. */
export function asFolioError(err: unknown, fallbackCode: FolioErrorCode = 'INTERNAL'): FolioError {
  if (err instanceof FolioError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new FolioError(fallbackCode, message, { cause: err });
}
