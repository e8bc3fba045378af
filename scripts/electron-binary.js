// Helpers shared by scripts/start.js and scripts/dist.js: finding Electron's binary WITHOUT
// require('electron') (which tries to download it when missing), and building better-sqlite3
// for Electron's ABI in a folder of its own so the Node build used by the CLI and the tests
// stays untouched. Plain ESM JavaScript: these run before and around the TypeScript build.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Electron's version as installed in node_modules (what native modules must be built for). */
export function electronVersion(root = ROOT) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/**
 * Where Electron's executable is, if it is installed. Mirrors node_modules/electron/index.js
 * (path.txt names the executable inside dist/; ELECTRON_OVERRIDE_DIST_PATH replaces dist/)
 * but only looks: it never downloads. FOLIO_ELECTRON_PATH names an executable directly (for
 * a system Electron, or for tests pointing at a missing one).
 * @returns {{ found: true, path: string } | { found: false, path: string | null, reason: string }}
 */
export function findElectronBinary(root = ROOT, env = process.env) {
  const explicit = env.FOLIO_ELECTRON_PATH?.trim();
  if (explicit) {
    return isFile(explicit)
      ? { found: true, path: resolve(explicit) }
      : { found: false, path: resolve(explicit), reason: `FOLIO_ELECTRON_PATH points at ${explicit}, which does not exist` };
  }
  const pkgDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) {
    return { found: false, path: null, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH?.trim();
  if (!relative && !override) {
    return { found: false, path: null, reason: `${pathFile} is missing: the binary was never downloaded` };
  }
  const path = override ? join(override, relative || 'electron') : join(pkgDir, 'dist', relative);
  return isFile(path) ? { found: true, path } : { found: false, path, reason: `${path} does not exist` };
}

/**
 * The environment for native builds for Electron: without npm_config_nodedir (any case). With
 * it set — as `npm` does when ~/.npmrc says nodedir=… — node-gyp silently compiles against
 * THAT Node's headers instead of Electron's, and the module then fails to load in Electron
 * with a NODE_MODULE_VERSION error.
 */
export function envForElectronBuild(env = process.env) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() !== 'npm_config_nodedir') out[key] = value;
  }
  return out;
}

/** Where the Electron-ABI copy of better-sqlite3 lives (never node_modules itself). */
export function electronNativeDir(root = ROOT) {
  return join(root, 'build', 'electron-native');
}

/** The compiled addon inside that copy: what the store receives as better-sqlite3's nativeBinding. */
export function electronSqliteBinding(root = ROOT) {
  return join(electronNativeDir(root), 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

/**
 * Builds better-sqlite3 for Electron in build/electron-native/ (once per Electron and
 * better-sqlite3 version; a stamp file records what was built) and returns the .node path.
 * Uses @electron/rebuild, which tries a prebuilt binary first and compiles against Electron's
 * headers otherwise. Needs network access the first time.
 * @param {{ root?: string, log?: (line: string) => void }} [options]
 */
export async function ensureElectronSqlite(options = {}) {
  const root = options.root ?? ROOT;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const dir = electronNativeDir(root);
  const binding = electronSqliteBinding(root);
  const sqlitePkg = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'));
  const wanted = {
    electron: electronVersion(root),
    betterSqlite3: sqlitePkg.version,
    platform: process.platform,
    arch: process.arch,
  };
  const stampFile = join(dir, 'stamp.json');
  if (isFile(binding) && isFile(stampFile) && JSON.stringify(JSON.parse(readFileSync(stampFile, 'utf8'))) === JSON.stringify(wanted)) {
    return binding;
  }

  log(`Building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} in ${dir} (once)…`);
  rmSync(dir, { recursive: true, force: true });
  const target = join(dir, 'node_modules', 'better-sqlite3');
  mkdirSync(target, { recursive: true });
  // A project of its own, so @electron/rebuild finds exactly one module to rebuild. Its
  // build/ is left behind: that is the Node-ABI binary the tests use.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'folio-electron-native', private: true, dependencies: { 'better-sqlite3': wanted.betterSqlite3 } }, null, 2),
  );
  const source = join(root, 'node_modules', 'better-sqlite3');
  cpSync(source, target, { recursive: true, filter: (src) => src !== join(source, 'build') });

  // node-gyp reads npm_config_* from the environment of this process: drop nodedir for the build.
  const saved = Object.entries(process.env).filter(([key]) => key.toLowerCase() === 'npm_config_nodedir');
  for (const [key] of saved) delete process.env[key];
  try {
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({
      buildPath: dir,
      electronVersion: wanted.electron,
      onlyModules: ['better-sqlite3'],
      force: true,
      mode: 'sequential',
    });
  } finally {
    for (const [key, value] of saved) process.env[key] = value;
  }
  if (!isFile(binding)) throw new Error(`the rebuild finished but ${binding} is missing`);
  writeFileSync(stampFile, JSON.stringify(wanted, null, 2));
  log('better-sqlite3 is ready for Electron.');
  return binding;
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
