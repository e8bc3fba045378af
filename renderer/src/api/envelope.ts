import { FolioClientError } from './errors.js';

/**
 * Unwraps a contract envelope `{ok:true,value}` / `{ok:false,error:{code,message}}`.
 * Anything else means the other side is not a Folio core speaking this contract.
 */
export function unwrapEnvelope(method: string, body: unknown): unknown {
  if (body && typeof body === 'object' && 'ok' in body) {
    const env = body as { ok: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
    if (env.ok === true) return env.value;
    if (env.ok === false && env.error && typeof env.error.message === 'string') {
      const code = typeof env.error.code === 'string' ? env.error.code : 'INTERNAL';
      return throwError(code, env.error.message);
    }
  }
  throw new FolioClientError(
    'BAD_RESPONSE',
    `Folio answered "${method}" with something that is not a Folio reply. Restart Folio; if it persists, the UI and core may be different versions.`,
  );
}

function throwError(code: string, message: string): never {
  throw new FolioClientError(code, message);
}
