/**
 * The preload of Folio's window: the ONLY bridge between the page and the rest of the app.
 * It exposes `window.folio = { invoke, on, platform }` and nothing else — never ipcRenderer,
 * never an IPC event object (its `sender` would hand the page ipcRenderer back).
 *
 * Why this file is CommonJS and self-contained: the window is sandboxed, and a sandboxed
 * preload is run as a classic script whose `require` knows only a few built-ins ('electron'
 * among them), not relative files or ESM. So it cannot import METHOD_NAMES (that would pull in
 * the contract and zod). Instead it lists the names itself, as object keys checked with
 * `satisfies Record<Name, true>`: a method or event added to (or removed from) the contract
 * without updating this list is a type error. The `import type` lines below vanish on
 * compilation; the emitted build/main/preload.cjs requires only 'electron'.
 *
 * Validation happens twice on purpose: here, so a wrong name fails fast with a clear message
 * and never reaches IPC; and again in main (ipc.ts), which trusts nothing from a renderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, MethodName } from '../app/core/contract.js';
import type { EVENT_CHANNEL, INVOKE_CHANNEL, MENU_CHANNEL, SAVE_EXPORT_CHANNEL } from './channels.js';
import type { MenuEventName } from './menu-template.js';

const INVOKE: typeof INVOKE_CHANNEL = 'folio:invoke';
const EVENTS: typeof EVENT_CHANNEL = 'folio:event';
const MENU: typeof MENU_CHANNEL = 'folio:menu';
const SAVE_EXPORT: typeof SAVE_EXPORT_CHANNEL = 'folio:save-export';

const METHODS = {
  'capture.add': true,
  'queue.status': true,
  'queue.retry': true,
  'queue.clearFinished': true,
  'articles.list': true,
  'articles.search': true,
  'articles.get': true,
  'articles.setTags': true,
  'articles.setFlags': true,
  'articles.setProgress': true,
  'articles.delete': true,
  'articles.restore': true,
  'articles.refresh': true,
  'tags.list': true,
  'sites.list': true,
  'stats.get': true,
  'settings.get': true,
  'settings.set': true,
  'export.run': true,
  'import.upload': true,
} as const satisfies Record<MethodName, true>;

const CORE_EVENTS = {
  'queue.progress': true,
  'library.changed': true,
  'export.progress': true,
  'import.progress': true,
} as const satisfies Record<EventName, true>;

const MENU_EVENTS = {
  'menu.addUrl': true,
  'menu.import': true,
  'menu.export': true,
  'menu.find': true,
  'menu.shortcuts': true,
} as const satisfies Record<MenuEventName, true>;

function isKey(table: object, name: unknown): name is string {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(table, name);
}

type Listener = (payload: unknown) => void;

/**
 * One ipcRenderer listener per channel, fanning out to the page's subscribers by name: the
 * page may subscribe many times without piling listeners onto ipcRenderer.
 */
function createFanOut(channel: string) {
  const byName = new Map<string, Set<Listener>>();
  let attached = false;
  const onMessage = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (typeof name !== 'string') return;
    for (const fn of [...(byName.get(name) ?? [])]) {
      try {
        fn(payload);
      } catch (err) {
        console.error(`folio: a listener for "${name}" failed:`, err);
      }
    }
  };
  return (name: string, fn: Listener): (() => void) => {
    let set = byName.get(name);
    if (!set) byName.set(name, (set = new Set()));
    // Wrapped so one function subscribed twice gets two independent subscriptions.
    const entry: Listener = (payload) => fn(payload);
    set.add(entry);
    if (!attached) {
      ipcRenderer.on(channel, onMessage);
      attached = true;
    }
    return () => {
      set.delete(entry);
    };
  };
}

const subscribeCore = createFanOut(EVENTS);
const subscribeMenu = createFanOut(MENU);

const bridge = {
  /** Calls a contract method; resolves to its Envelope (`{ok:true,value}` or `{ok:false,error}`). */
  invoke(method: string, input: unknown): Promise<unknown> {
    if (!isKey(METHODS, method)) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'UNKNOWN_METHOD',
          message: `Unknown method ${JSON.stringify(String(method).slice(0, 100))}: Folio's API has no such operation.`,
        },
      });
    }
    return ipcRenderer.invoke(INVOKE, method, input);
  },
  /** Subscribes to a core event (FolioEvents) or a menu event; returns the unsubscribe function. */
  on(event: string, fn: (payload: unknown) => void): () => void {
    if (typeof fn !== 'function') throw new TypeError('folio.on(event, fn): fn must be a function');
    if (isKey(CORE_EVENTS, event)) return subscribeCore(event, fn);
    if (isKey(MENU_EVENTS, event)) return subscribeMenu(event, fn);
    throw new TypeError(`folio.on: unknown event ${JSON.stringify(String(event).slice(0, 100))}`);
  },
  /** Saves a finished export (export.run's downloadId) where the user chooses, via a save dialog. */
  saveExport(downloadId: string, fileName: string): Promise<unknown> {
    return ipcRenderer.invoke(SAVE_EXPORT, String(downloadId), String(fileName));
  },
  platform: process.platform,
};

/** What the page sees as `window.folio`. */
export type FolioBridge = typeof bridge;

contextBridge.exposeInMainWorld('folio', bridge);
