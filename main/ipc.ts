import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Envelope } from '../app/core/contract.js';
import { INVOKE_CHANNEL } from './channels.js';
import { isTrustedSender, type SenderInfo } from './security.js';

/**
 * The single IPC entry point: `folio:invoke (method, input)`. The sender is checked before
 * anything else — the main window's own top frame showing our folio-app:// UI — and the call
 * is then handed to the core (which validates the method name and input against the contract).
 * Returns an Envelope always; errors never cross IPC as exceptions (Electron would strip them
 * to a bare message).
 */
export function registerInvokeHandler(options: {
  window(): BrowserWindow | null;
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
}): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const win = options.window();
    const trusted =
      win !== null &&
      !win.isDestroyed() &&
      isTrustedSender(senderInfo(event), {
        webContentsId: win.webContents.id,
        mainFrameTreeNodeId: win.webContents.mainFrame.frameTreeNodeId,
      });
    if (!trusted) {
      console.error(`folio: refused an IPC call from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`);
      return forbidden();
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'folio.invoke needs a method name (a string).' } };
    }
    return options.invoke(method, input);
  });
}

function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frame: frame && !frame.isDestroyed()
      ? { frameTreeNodeId: frame.frameTreeNodeId, isTop: frame.parent === null, url: frame.url }
      : null,
  };
}

function forbidden(): Envelope<never> {
  return {
    ok: false,
    error: { code: 'FORBIDDEN', message: "Only Folio's own window may call Folio's core; this call came from somewhere else and was refused." },
  };
}
