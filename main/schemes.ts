import type { CustomScheme } from 'electron';
import { ASSET_SCHEME } from '../app/core/types.js';

/**
 * Folio's window never loads file:// or http(s). The UI comes from a privileged custom scheme
 * served by our own handler (so we control every byte and header, CSP included), and stored
 * images come from a second scheme that can serve nothing but image blobs by hash.
 */
export const APP_SCHEME = 'folio-app';
export const APP_HOST = 'ui';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export { ASSET_SCHEME };
export const ASSET_HOST = 'img';

/**
 * Passed to protocol.registerSchemesAsPrivileged before the app is ready.
 * - The app scheme is `standard` (relative URLs, an origin of its own for 'self' in the CSP,
 *   module scripts) and `secure` (a secure context, like https), with fetch for connect-src.
 * - The asset scheme is `secure` (so a secure page may load it) and `standard` (so
 *   `folio-asset://img/<sha>` has a host and path we can check exactly). Neither bypasses CSP:
 *   the page's CSP names `folio-asset:` in img-src and allows it nowhere else.
 */
export const PRIVILEGED_SCHEMES: CustomScheme[] = [
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, bypassCSP: false },
  },
  {
    scheme: ASSET_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: false, bypassCSP: false, corsEnabled: false },
  },
];
