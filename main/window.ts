import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './schemes.js';
import { secureWebPreferences } from './security.js';
// preload.cts is CommonJS, which the tsconfig globs (`main/**/*.ts`) do not match: this type
// import is what puts it in the program, so tsc type-checks it and emits build/main/preload.cjs.
import type { FolioBridge } from './preload.cjs';

/** What the window's page sees as `window.folio`. */
export type { FolioBridge };

/** Folio's one window: the three-pane UI from folio-app://ui/index.html, sandboxed. */
export function createMainWindow(options: { preload: string; isDev: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Folio',
    width: 1280,
    height: 820,
    minWidth: 420,
    minHeight: 320,
    // Shown once painted, so the user never sees a white flash before the first frame.
    show: false,
    webPreferences: secureWebPreferences(options.preload, { devTools: options.isDev }),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-fail-load', (_event, code, description, url) => {
    console.error(`folio: the window could not load ${url}: ${description} (${code})`);
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
