import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu as data (built with Menu.buildFromTemplate in main.ts). Items that need
 * the UI (add a URL, import, export, find, the shortcut list) do not act in main: they send a
 * menu event to the window, which the preload forwards to the renderer as `window.folio.on(name)`.
 */
export const MENU_EVENTS = ['menu.addUrl', 'menu.import', 'menu.export', 'menu.find', 'menu.shortcuts'] as const;
export type MenuEventName = (typeof MENU_EVENTS)[number];

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Reload and developer tools appear only in development. */
  isDev: boolean;
  appName: string;
  send(event: MenuEventName): void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const send = (event: MenuEventName) => () => options.send(event);

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Add URL…', accelerator: 'CmdOrCtrl+N', click: send('menu.addUrl') },
      { type: 'separator' },
      { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: send('menu.import') },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: send('menu.export') },
      { type: 'separator' },
      // On macOS Quit lives in the app menu; File ends with Close Window there.
      mac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: 'Find…', accelerator: 'CmdOrCtrl+F', click: send('menu.find') },
    ],
  };

  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(options.isDev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = { role: 'windowMenu' };

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'CmdOrCtrl+/', click: send('menu.shortcuts') }],
  };

  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, windowMenu, helpMenu];
}
