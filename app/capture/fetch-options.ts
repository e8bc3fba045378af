import { FolioError } from '../core/errors.js';

/** How one fetch behaves: limits, timeouts, and the address context for the guard. */
export interface FetchOptions {
  connectTimeoutMs?: number; // default 15_000; env FOLIO_CONNECT_TIMEOUT_MS
  totalTimeoutMs?: number; // default 60_000; env FOLIO_TIMEOUT_MS
  maxBytes?: number; // default 25 MB for pages; env FOLIO_MAX_BYTES
  maxRedirects?: number; // default 10
  referer?: string;
  allowPrivateAddresses?: boolean; // default false (see address-guard.ts)
  signal?: AbortSignal;
  /** The address context of the page that led here (for images: the page's final URL). */
  initiator?: string;
  /** The Accept header to send; fetchPage defaults to HTML, fetchBytes to any type. */
  accept?: string;
}

export type ResolvedFetchOptions = Required<
  Pick<FetchOptions, 'connectTimeoutMs' | 'totalTimeoutMs' | 'maxBytes' | 'maxRedirects' | 'allowPrivateAddresses'>
> &
  FetchOptions;

export const DEFAULT_FETCH_OPTIONS = {
  connectTimeoutMs: 15_000,
  totalTimeoutMs: 60_000,
  maxBytes: 25 * 1024 * 1024,
  maxRedirects: 10,
  allowPrivateAddresses: false,
} as const;

/** The environment variables that override the defaults (flags override them in turn). */
const ENV_NAMES = {
  connectTimeoutMs: 'FOLIO_CONNECT_TIMEOUT_MS',
  totalTimeoutMs: 'FOLIO_TIMEOUT_MS',
  maxBytes: 'FOLIO_MAX_BYTES',
} as const;

type NumericKey = 'connectTimeoutMs' | 'totalTimeoutMs' | 'maxBytes' | 'maxRedirects';

/**
 * Merges defaults < environment < explicit flags. A malformed value is an error rather than
 * silently ignored: a typo in FOLIO_TIMEOUT_MS should not quietly fall back to 60 s.
 */
export function resolveFetchOptions(
  flags: Partial<FetchOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedFetchOptions {
  const resolved: ResolvedFetchOptions = { ...DEFAULT_FETCH_OPTIONS };
  for (const [key, name] of Object.entries(ENV_NAMES) as [keyof typeof ENV_NAMES, string][]) {
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== '') resolved[key] = parseEnvInteger(name, raw, key);
  }
  for (const [key, value] of Object.entries(flags) as [keyof FetchOptions, unknown][]) {
    if (value === undefined) continue;
    if (isNumericKey(key)) resolved[key] = checkFlagNumber(key, value);
    else (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  return resolved;
}

function isNumericKey(key: string): key is NumericKey {
  return key === 'connectTimeoutMs' || key === 'totalTimeoutMs' || key === 'maxBytes' || key === 'maxRedirects';
}

/** Redirects may be 0 (follow none); timeouts and sizes must be at least 1. */
function minimumFor(key: NumericKey): number {
  return key === 'maxRedirects' ? 0 : 1;
}

function parseEnvInteger(name: string, raw: string, key: NumericKey): number {
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < minimumFor(key)) {
    throw new FolioError(
      'INVALID_INPUT',
      `environment variable ${name}=${JSON.stringify(raw)} is not a whole number ≥ ${minimumFor(key)}; ` +
        `unset it or set it to e.g. ${DEFAULT_FETCH_OPTIONS[key]}`,
    );
  }
  return value;
}

function checkFlagNumber(key: NumericKey, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimumFor(key)) {
    throw new FolioError(
      'INVALID_INPUT',
      `fetch option ${key}=${String(value)} is not a whole number ≥ ${minimumFor(key)}; ` +
        `use e.g. ${DEFAULT_FETCH_OPTIONS[key]}`,
    );
  }
  return value;
}
