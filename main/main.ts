/**
 * Folio's Electron main process: one sandboxed window showing the UI from folio-app://ui/,
 * stored images on folio-asset://img/<sha256>, and a single IPC channel to the core, which runs
 * in a utility process (capture-host.ts). Main itself only relays; it never touches the archive.
 *
 * Run with `npm start` (scripts/start.js), which builds better-sqlite3 for Electron in a
 * separate folder and points the core at it through FOLIO_SQLITE_BINDING.
 */
import { app, BrowserWindow, Menu, protocol, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import type { EventName, FolioEvents } from '../app/core/contract.js';
import { createAppProtocolHandler } from './app-protocol.js';
import { createAssetProtocolHandler } from './asset-protocol.js';
import { startCoreHost, type CoreHost } from './capture-host.js';
import { EVENT_CHANNEL, MENU_CHANNEL } from './channels.js';
import { hardenSession, hardenWebContents } from './harden.js';
import { registerInvokeHandler, registerSaveExportHandler } from './ipc.js';
import { buildMenuTemplate, type MenuEventName } from './menu-template.js';
import { appFiles, archivePath, userDataDir } from './paths.js';
import { APP_SCHEME, ASSET_SCHEME, PRIVILEGED_SCHEMES } from './schemes.js';
import { createMainWindow } from './window.js';

const PRODUCT_NAME = 'Folio';

// Everything below must happen before 'ready'.
protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
app.setName(PRODUCT_NAME);
// Pinned explicitly: `electron .` would otherwise name the folder after package.json's "name"
// ("folio"), and the CLI's default archive path expects the product name.
app.setPath('userData', userDataDir(app.getPath('appData'), process.env));
// Every renderer sandboxed, whatever a future BrowserWindow forgets to say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Folio is running: it gets a 'second-instance' event and comes to the front.
  app.quit();
} else {
  run();
}

function run(): void {
  const files = appFiles(fileURLToPath(new URL('.', import.meta.url)));
  const isDev = !app.isPackaged;
  let mainWindow: BrowserWindow | null = null;
  let core: CoreHost | null = null;

  const openExternal = (url: string) => {
    shell.openExternal(url).catch((err: unknown) => console.error(`folio: could not open ${url} in the browser:`, err));
  };

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal));

  app.on('second-instance', () => {
    // macOS keeps running with no window: bring one back.
    if (!mainWindow && app.isReady()) openWindow();
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  const sendToWindow = (channel: string, name: string, payload: unknown) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, name, payload);
  };

  const openWindow = () => {
    mainWindow = createMainWindow({ preload: files.preload, isDev });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  app.whenReady().then(() => {
    hardenSession(session.defaultSession);

    const dbPath = archivePath(app.getPath('userData'), process.env);
    const host = startCoreHost({
      script: files.coreHost,
      extractScript: files.extractHost,
      archivePath: dbPath,
      onEvent: (name: EventName, payload: FolioEvents[EventName]) => sendToWindow(EVENT_CHANNEL, name, payload),
      onFatal: (message) => console.error(`folio: ${message}`),
    });
    core = host;

    protocol.handle(APP_SCHEME, createAppProtocolHandler(files.rendererDir));
    protocol.handle(ASSET_SCHEME, createAssetProtocolHandler((sha256) => host.getImage(sha256)));
    registerInvokeHandler({ window: () => mainWindow, invoke: (method, input) => host.invoke(method, input) });
    registerSaveExportHandler({ window: () => mainWindow, archivePath: dbPath });

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          isDev,
          appName: PRODUCT_NAME,
          send: (event: MenuEventName) => {
            if (!mainWindow) openWindow();
            mainWindow?.show();
            sendToWindow(MENU_CHANNEL, event, {});
          },
        }),
      ),
    );

    openWindow();
    // macOS: clicking the dock icon with no window open brings one back.
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  }).catch((err: unknown) => {
    console.error('folio: the app failed to start:', err);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Let the core finish its current transaction and close the archive before we exit.
  app.on('will-quit', (event) => {
    if (!core || core.stopped) return;
    event.preventDefault();
    const stopping = core;
    core = null;
    void stopping.stop().finally(() => app.quit());
  });
}
