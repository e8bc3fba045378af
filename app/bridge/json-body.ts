import type { IncomingMessage } from 'node:http';
import type { ContractErrorCode } from '../core/contract.js';

/**
 * Reading an API request body: JSON only, UTF-8 only, and never more than the cap in memory.
 * The cap is enforced while streaming (a missing or lying Content-Length cannot get around it).
 * After a refusal the rest of the body is read and thrown away, up to a hard limit, so the
 * client receives the 413 instead of a connection reset in the middle of its upload.
 */
export type BodyResult =
  | { ok: true; value: unknown }
  /** `refusal` is null when the client went away: there is nobody to answer. */
  | { ok: false; refusal: { status: number; code: ContractErrorCode; message: string } | null };

/** `application/json`, optionally with `charset=utf-8`; anything else is refused (415). */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  for (const param of params) {
    const [name, value] = param.split('=').map((p) => p.trim().replace(/^"|"$/g, ''));
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return false;
  }
  return true;
}

export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    refusal: {
      status: 413,
      code: 'TOO_LARGE',
      message: `The request body is larger than the ${formatBytes(maxBytes)} this server accepts; send less at once (e.g. split a long list of URLs).`,
    },
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardRest(req, maxBytes);
    return Promise.resolve(tooLarge);
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        chunks.length = 0;
        discardRest(req, maxBytes);
        settle(tooLarge);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle(parse(Buffer.concat(chunks))));
    req.on('close', () => {
      if (!req.complete) settle({ ok: false, refusal: null });
    });
    req.on('error', () => settle({ ok: false, refusal: null }));
  });
}

function parse(bytes: Buffer): BodyResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return badFormat('The request body is not valid UTF-8.');
  }
  // An empty body means "no arguments", so methods whose input is {} can be called bare.
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return badFormat(`The request body is not valid JSON (${(err as Error).message}); send the method's input as a JSON object.`);
  }
}

function badFormat(message: string): BodyResult {
  return { ok: false, refusal: { status: 400, code: 'BAD_FORMAT', message } };
}

/** Reads and drops what the client still sends; gives up (closes) past a hard limit or 10 s. */
function discardRest(req: IncomingMessage, maxBytes: number): void {
  const hardLimit = Math.max(maxBytes * 8, 16 * 1024 * 1024);
  let discarded = 0;
  const timer = setTimeout(() => req.socket.destroy(), 10_000);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > hardLimit) {
      clearTimeout(timer);
      req.socket.destroy();
    }
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
