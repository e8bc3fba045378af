import { describe, expect, it } from 'vitest';
import { METHOD_NAMES as CONTRACT_METHODS } from '../../app/core/contract.js';
import { clientFor } from '../../renderer/src/api/client.js';
import { unwrapEnvelope } from '../../renderer/src/api/envelope.js';
import { FolioClientError } from '../../renderer/src/api/errors.js';
import { METHOD_NAMES } from '../../renderer/src/api/methods.js';
import type { Transport } from '../../renderer/src/api/transport.js';

describe('renderer client', () => {
  it('covers exactly the contract methods', () => {
    expect([...METHOD_NAMES].sort()).toEqual([...CONTRACT_METHODS].sort());
  });

  it('routes every method to the transport by its contract name with its input', async () => {
    const calls: [string, unknown][] = [];
    const transport: Transport = {
      invoke: async (method, input) => (calls.push([method, input]), `value of ${method}`),
      on: () => () => {},
      assetUrl: (sha) => `assets/${sha}`,
      onConnection: () => () => {},
    };
    const client = clientFor(transport);
    await expect(client['articles.get']({ id: 7 })).resolves.toBe('value of articles.get');
    for (const name of METHOD_NAMES) await (client[name] as (i: unknown) => Promise<unknown>)({ probe: name });
    expect(calls.slice(1)).toEqual(METHOD_NAMES.map((n) => [n, { probe: n }]));
    expect(client.assetUrl('abc')).toBe('assets/abc');
  });

  it('unwraps envelopes into values or FolioClientError with code and message', () => {
    expect(unwrapEnvelope('m', { ok: true, value: { a: 1 } })).toEqual({ a: 1 });
    try {
      unwrapEnvelope('m', { ok: false, error: { code: 'NOT_FOUND', message: 'No article 7: it may have been deleted.' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FolioClientError);
      expect((err as FolioClientError).code).toBe('NOT_FOUND');
      expect((err as FolioClientError).message).toBe('No article 7: it may have been deleted.');
    }
    expect(() => unwrapEnvelope('articles.list', '<html>')).toThrow(/articles\.list.*not a Folio reply/);
  });
});
