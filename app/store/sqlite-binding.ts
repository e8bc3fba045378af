import type Database from 'better-sqlite3';

/**
 * Which compiled better-sqlite3 to load. Under Electron (`npm start`) the Node build in
 * node_modules has the wrong ABI, so scripts/start.js builds one for Electron elsewhere and
 * names it in FOLIO_SQLITE_BINDING; everywhere else the default build is used.
 */
export function withNativeBinding(options: Database.Options, env: NodeJS.ProcessEnv = process.env): Database.Options {
  const binding = env.FOLIO_SQLITE_BINDING;
  return binding ? { ...options, nativeBinding: binding } : options;
}
