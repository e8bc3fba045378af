import { copyFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Envelope } from '../app/core/contract.js';
import { INVOKE_CHANNEL, SAVE_EXPORT_CHANNEL } from './channels.js';
import { exportFileFor, suggestedName } from './export-file.js';
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
    if (!fromMainWindow(event, options.window())) {
      console.error(`folio: refused an IPC call from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`);
      return forbidden();
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'folio.invoke needs a method name (a string).' } };
    }
    return options.invoke(method, input);
  });
}

/**
 * Over the loopback bridge a finished export is a download link; in the desktop app there is
 * no download manager (downloads are refused), so the window asks main to save it: a native
 * save dialog, then a copy from the core's exports/ folder to where the user chose.
 */
export function registerSaveExportHandler(options: { window(): BrowserWindow | null; archivePath: string }): void {
  ipcMain.handle(SAVE_EXPORT_CHANNEL, async (event: IpcMainInvokeEvent, downloadId: unknown, fileName: unknown) => {
    const win = options.window();
    if (!fromMainWindow(event, win)) return { saved: false, error: "refused: the request did not come from Folio's window" };
    const source = exportFileFor(dirname(options.archivePath), downloadId, fileName);
    if (source === null) return { saved: false, error: 'that export is not known' };
    const choice = await dialog.showSaveDialog(win, {
      title: 'Save export',
      defaultPath: suggestedName(String(fileName)),
    });
    if (choice.canceled || !choice.filePath) return { saved: false };
    try {
      await copyFile(source, choice.filePath);
      return { saved: true, path: choice.filePath };
    } catch (err) {
      return { saved: false, error: `could not save to ${choice.filePath}: ${(err as Error).message}` };
    }
  });
}

/** True when the call comes from the main window's top frame showing Folio's own UI. */
export function fromMainWindow(event: IpcMainInvokeEvent, win: BrowserWindow | null): win is BrowserWindow {
  return (
    win !== null &&
    !win.isDestroyed() &&
    isTrustedSender(senderInfo(event), {
      webContentsId: win.webContents.id,
      mainFrameTreeNodeId: win.webContents.mainFrame.frameTreeNodeId,
    })
  );
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
