#!/usr/bin/env node
// `npm run dist` (after `npm run build`): packages Folio with electron-builder for the current
// platform (Linux: AppImage + deb, macOS: dmg, Windows: NSIS) into release/, configured by
// electron-builder.yml. Extra arguments go to electron-builder (e.g. `npm run dist -- --linux deb`).
// Needs internet access: electron-builder downloads Electron and rebuilds better-sqlite3
// against Electron's headers.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, envForElectronBuild } from './electron-binary.js';

const builderCli = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
const missing = ['build/main/main.js', 'build/main/preload.cjs', 'build/renderer/index.html'].filter(
  (file) => !existsSync(join(ROOT, file)),
);
if (missing.length) {
  process.stderr.write(`folio: the build is incomplete (${missing.join(', ')} missing); run \`npm run build\` first\n`);
  process.exit(1);
}

// electron-builder rebuilds native modules IN node_modules for Electron's ABI (npmRebuild).
// The CLI and the tests run on Node and need Node's build of better-sqlite3, so keep a copy
// and put it back afterwards, whatever happens.
const nodeBinding = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const backup = join(ROOT, 'build', 'node-native-backup', 'better_sqlite3.node');
const hadNodeBinding = existsSync(nodeBinding);
if (hadNodeBinding) {
  mkdirSync(dirname(backup), { recursive: true });
  copyFileSync(nodeBinding, backup);
}

// Without npm_config_nodedir: with it, node-gyp would build against Node's headers, not Electron's.
const child = spawn(
  process.execPath,
  [builderCli, '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)],
  { cwd: ROOT, env: envForElectronBuild(process.env), stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  process.stderr.write(`folio: could not run electron-builder: ${err.message}\n`);
  restore();
  process.exitCode = 1;
});
child.on('exit', (code) => {
  restore();
  process.exitCode = code ?? 1;
  if (code === 0) process.stdout.write(`Packages are in ${join(ROOT, 'release')}\n`);
});

function restore() {
  if (hadNodeBinding && existsSync(backup)) copyFileSync(backup, nodeBinding);
}
