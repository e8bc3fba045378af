/**
 * What every failed call becomes in the renderer: a code (from the contract, or one of the
 * transport's own below) and a message a person can read in the UI.
 */
export type TransportErrorCode =
  /** The core could not be reached at all (server stopped, IPC gone). */
  | 'UNREACHABLE'
  /** The core answered something that is not a contract envelope. */
  | 'BAD_RESPONSE';

export class FolioClientError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'FolioClientError';
    this.code = code;
  }
}

/** The words to show for anything thrown by a call (never "[object Object]" or a blank). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  if (typeof err === 'string' && err) return err;
  return 'Something went wrong, and Folio gave no details. Try again; if it keeps happening, restart Folio.';
}
