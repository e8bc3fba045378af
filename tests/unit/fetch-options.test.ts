import { describe, expect, it } from 'vitest';
import { FolioError } from '../../app/core/errors.js';
import { resolveFetchOptions } from '../../app/capture/fetch-options.js';

function thrown(fn: () => unknown): FolioError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FolioError) return err;
    throw err;
  }
  throw new Error('expected a FolioError');
}

describe('resolveFetchOptions', () => {
  it('has the documented defaults when nothing is set', () => {
    expect(resolveFetchOptions({}, {})).toEqual({
      connectTimeoutMs: 15_000,
      totalTimeoutMs: 60_000,
      maxBytes: 25 * 1024 * 1024,
      maxRedirects: 10,
      allowPrivateAddresses: false,
    });
  });

  it('reads FOLIO_CONNECT_TIMEOUT_MS, FOLIO_TIMEOUT_MS and FOLIO_MAX_BYTES from the environment', () => {
    const env = { FOLIO_CONNECT_TIMEOUT_MS: '2500', FOLIO_TIMEOUT_MS: ' 9000 ', FOLIO_MAX_BYTES: '1048576' };
    expect(resolveFetchOptions({}, env)).toMatchObject({
      connectTimeoutMs: 2500,
      totalTimeoutMs: 9000,
      maxBytes: 1_048_576,
    });
  });

  it('lets explicit flags win over the environment, and ignores undefined flags', () => {
    const env = { FOLIO_TIMEOUT_MS: '9000', FOLIO_MAX_BYTES: '1000' };
    const opts = resolveFetchOptions({ totalTimeoutMs: 500, maxBytes: undefined, referer: 'https://a/' }, env);
    expect(opts.totalTimeoutMs).toBe(500);
    expect(opts.maxBytes).toBe(1000);
    expect(opts.referer).toBe('https://a/');
  });

  it('treats an empty variable as unset', () => {
    expect(resolveFetchOptions({}, { FOLIO_TIMEOUT_MS: '' }).totalTimeoutMs).toBe(60_000);
  });

  it('passes the other options through', () => {
    const controller = new AbortController();
    const opts = resolveFetchOptions(
      { allowPrivateAddresses: true, initiator: 'https://x/', signal: controller.signal, maxRedirects: 0 },
      {},
    );
    expect(opts.allowPrivateAddresses).toBe(true);
    expect(opts.initiator).toBe('https://x/');
    expect(opts.signal).toBe(controller.signal);
    expect(opts.maxRedirects).toBe(0); // 0 = follow no redirect
  });

  it('refuses a malformed environment value, naming the variable and a valid example', () => {
    for (const bad of ['abc', '-5', '1.5', '0', '10s']) {
      const err = thrown(() => resolveFetchOptions({}, { FOLIO_TIMEOUT_MS: bad }));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toContain(`FOLIO_TIMEOUT_MS="${bad}"`);
      expect(err.message).toContain('60000');
    }
  });

  it('refuses a malformed flag', () => {
    const err = thrown(() => resolveFetchOptions({ maxBytes: -1 }, {}));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('maxBytes=-1');
  });

  it('reads process.env when no environment is given', () => {
    const saved = process.env.FOLIO_MAX_BYTES;
    process.env.FOLIO_MAX_BYTES = '4242';
    try {
      expect(resolveFetchOptions().maxBytes).toBe(4242);
    } finally {
      if (saved === undefined) delete process.env.FOLIO_MAX_BYTES;
      else process.env.FOLIO_MAX_BYTES = saved;
    }
  });
});
