import type { Session, WebContents } from 'electron';
import { externalHttpUrl, withCspHeader } from './security.js';

/**
 * Applies the shell's security policy (security.ts) to Electron objects. Called for the
 * default session at startup and, through app 'web-contents-created', for EVERY web contents
 * the app ever creates — the main window included — so nothing can be opened unguarded.
 */

/** Permissions, downloads and the CSP fallback for a session. */
export function hardenSession(session: Session): void {
  // Folio's UI needs no camera, microphone, notifications, geolocation, clipboard-read, HID…
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Nothing in the window may save files behind the user's back.
  session.on('will-download', (event) => event.preventDefault());
  // Belt and braces: the folio-app handler sets the CSP itself; this covers any other response.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.url, details.responseHeaders) });
  });
}

/**
 * No navigation away from the UI, no new windows, no webviews. Links the user follows (an
 * article's links open with target=_blank, or a plain link click) go to the system browser,
 * and only when they are http(s).
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  const openIfWeb = (url: string) => {
    const safe = externalHttpUrl(url);
    if (safe) openExternal(safe);
  };
  contents.setWindowOpenHandler(({ url }) => {
    openIfWeb(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openIfWeb(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    // Sub-frames are blocked by the CSP too (frame-src falls back to default-src 'none').
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
