/**
 * The IPC channels between the preload and main, named once. The preload cannot import
 * this file at run time (a sandboxed preload may only require 'electron'), so it repeats the
 * strings with a type annotation taken from here: a mismatch is a type error.
 */
/** renderer → main: `(method: string, input: unknown) → Envelope`. */
export const INVOKE_CHANNEL = 'folio:invoke';
/** main → renderer: `(name: EventName, payload)` for every core event (FolioEvents). */
export const EVENT_CHANNEL = 'folio:event';
/** main → renderer: `(name: MenuEventName, payload: {})` when a menu item needs the UI. */
export const MENU_CHANNEL = 'folio:menu';
/** renderer → main: `(downloadId, fileName) → {saved, path?, error?}`: save a finished export. */
export const SAVE_EXPORT_CHANNEL = 'folio:save-export';
