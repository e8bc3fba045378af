import type { FolioClient } from './client.js';
import { findElectronBridge } from './electron-transport.js';
import { unwrapEnvelope } from './envelope.js';
import { FolioClientError } from './errors.js';

/**
 * Sends a file to the core for `import.upload`. Over the loopback bridge the raw bytes are
 * streamed (application/octet-stream, up to 256 MB; nothing is base64-inflated in memory).
 * Electron's IPC cannot stream a File, so there the contract's base64 form is used, which the
 * contract caps at 50 MB.
 */
/** contract.ts's MAX_BASE64_UPLOAD_BYTES, repeated: importing contract.ts would bundle zod. */
const MAX_BASE64_UPLOAD_BYTES = 50 * 1024 * 1024;

export async function uploadForImport(client: FolioClient, file: File, options: { fetch: boolean; importId: string }): Promise<{ importId: string }> {
  if (findElectronBridge()) {
    if (file.size > MAX_BASE64_UPLOAD_BYTES) {
      throw new FolioClientError(
        'TOO_LARGE',
        `“${file.name}” is ${Math.round(file.size / (1024 * 1024))} MB; the window takes files up to 50 MB. Import it with \`folio import\` on the command line.`,
      );
    }
    return client['import.upload']({ name: file.name, data: await toBase64(file), fetch: options.fetch, importId: options.importId });
  }
  const query = new URLSearchParams({ name: file.name, fetch: options.fetch ? '1' : '0', importId: options.importId });
  let res: Response;
  try {
    res = await fetch(`api/import.upload?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new FolioClientError('UNREACHABLE', `Couldn't send “${file.name}” to Folio: the connection failed. Check that \`folio serve\` is still running, then try again.`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new FolioClientError('BAD_RESPONSE', `Folio answered the upload of “${file.name}” with HTTP ${res.status} and no Folio reply. Restart \`folio serve\` and reload this page.`);
  }
  return unwrapEnvelope('import.upload', body) as { importId: string };
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with millions of arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
