import type { z } from 'zod';
import { contract, isMethodName, type ContractErrorCode, type Envelope, type FolioHandlers } from '../core/contract.js';
import { FolioError } from '../core/errors.js';

/**
 * The one place where a call from any transport (the loopback bridge, Electron IPC) meets the
 * core: look the method up in the contract, validate the raw input with its zod schema, run the
 * handler, and wrap the outcome in an Envelope. It never throws, so a transport only has to
 * serialise what it gets back.
 */
export async function dispatch(handlers: FolioHandlers, method: string, rawInput: unknown): Promise<Envelope<unknown>> {
  if (typeof method !== 'string' || !isMethodName(method)) {
    return failure(
      'UNKNOWN_METHOD',
      `Unknown method ${quoteName(method)}: Folio's API has no such operation; ` +
        'check the name, or restart Folio if the window and the core come from different versions.',
    );
  }
  const parsed = contract[method].input.safeParse(rawInput);
  if (!parsed.success) return failure('VALIDATION', `Invalid input for ${method}: ${describeIssues(parsed.error)}`);

  // Looked up at run time too: a handlers object built in plain JS (or cast) may lack a method.
  const handler = handlers[method] as ((input: unknown) => Promise<unknown>) | undefined;
  if (typeof handler !== 'function') {
    console.error(`folio: no handler is registered for the contract method "${method}"`);
    return failure('INTERNAL', internalMessage(method));
  }
  try {
    const value = await handler.call(handlers, parsed.data);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof FolioError) return failure(err.code, err.message);
    // Unexpected failures are bugs: keep the stack for the log, give the caller no internals.
    console.error(`folio: internal error in ${method}:`, err);
    return failure('INTERNAL', internalMessage(method));
  }
}

function failure(code: ContractErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function internalMessage(method: string): string {
  return `Folio hit an internal error while running ${method}; the details were written to its log (stderr). Try again, and report it if it keeps happening.`;
}

/** Names come from untrusted callers: bound their length and quote them. */
function quoteName(name: unknown): string {
  const text = typeof name === 'string' ? name : String(name);
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

/** One line naming each bad field and what is wrong with it, e.g. `tags[0]: Too small: …`. */
function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const where = formatPath(issue.path);
    return where ? `${where}: ${issue.message}` : `the input as a whole: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '');
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
