import type { ContractErrorCode } from '../core/contract.js';

/**
 * The HTTP status for each error code a method can fail with. A Record, so adding a code to
 * the contract without deciding its status is a type error. The envelope carries the code and
 * message either way; the status is for HTTP tooling and logs.
 */
export const STATUS_FOR_CODE: Record<ContractErrorCode, number> = {
  VALIDATION: 400,
  BAD_FORMAT: 400,
  INVALID_INPUT: 400,
  UNSUPPORTED_SCHEME: 400,
  BLOCKED_ADDRESS: 400,
  UNKNOWN_METHOD: 404,
  NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  DUPLICATE: 409,
  CANCELLED: 409,
  TOO_LARGE: 413,
  UNSUPPORTED_TYPE: 415,
  // The page or file the input named could not be turned into an article.
  DECODE_FAILED: 422,
  EXTRACT_FAILED: 422,
  NO_CONTENT: 422,
  FILE_UNREADABLE: 422,
  // A remote server (the page being captured) failed, not this one.
  DNS_FAILED: 502,
  NETWORK: 502,
  CONNECTION_RESET: 502,
  TOO_MANY_REDIRECTS: 502,
  REDIRECT_LOOP: 502,
  HTTP_STATUS: 502,
  RENDER_FAILED: 502,
  CONNECT_TIMEOUT: 504,
  TIMEOUT: 504,
  ARCHIVE_TOO_NEW: 500,
  ARCHIVE_CORRUPT: 500,
  INTERNAL: 500,
};
