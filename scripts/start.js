#!/usr/bin/env node
// `npm start` (after `npm run build`): runs Folio in Electron when Electron's binary is
// installed; otherwise serves the very same UI on loopback with `folio serve --open`.
//
// Arguments after `npm start --` are passed on (to Electron, or to `folio serve`, e.g.
// `--port 0`); `--no-open` keeps `folio serve` from opening a browser.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureElectronSqlite, findElectronBinary } from './electron-binary.js';

const NO_ELECTRON_MESSAGE =
  "Electron's binary is not installed (it is downloaded on first use and this machine could not fetch it). Serving the same UI on loopback instead:";

const args = process.argv.slice(2);

try {
  await main();
} catch (err) {
  process.stderr.write(`folio: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

async function main() {
  const missing = ['build/main/main.js', 'build/app/cli/main.js', 'build/renderer/index.html'].filter(
    (file) => !existsSync(join(ROOT, file)),
  );
  if (missing.length) {
    process.stderr.write(`folio: the build is incomplete (${missing.join(', ')} missing); run \`npm run build\` first\n`);
    process.exitCode = 1;
    return;
  }

  const electron = findElectronBinary();
  if (!electron.found) {
    process.stdout.write(`${NO_ELECTRON_MESSAGE}\n`);
    process.stderr.write(`(${electron.reason})\n`);
    serveOnLoopback();
    return;
  }

  let binding;
  try {
    binding = await ensureElectronSqlite();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    process.stdout.write(
      `Could not build better-sqlite3 for Electron (${why}); it needs internet access the first time, or python3, make and a C++ compiler. Serving the same UI on loopback instead:\n`,
    );
    serveOnLoopback();
    return;
  }

  const env = { ...process.env, FOLIO_SQLITE_BINDING: binding };
  delete env.ELECTRON_RUN_AS_NODE; // would make Electron behave as plain Node
  const electronArgs = ['.', ...args];
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    // Chromium refuses to start as root with its OS sandbox; the renderer stays sandboxed by
    // Electron (sandbox: true) but the OS-level layer is off. Run as a normal user for that.
    process.stderr.write('folio: running as root, so Electron starts with --no-sandbox\n');
    electronArgs.unshift('--no-sandbox');
  }
  run(electron.path, electronArgs, env);
}

function serveOnLoopback() {
  const open = !args.includes('--no-open');
  const rest = args.filter((arg) => arg !== '--no-open' && arg !== '--open');
  run(process.execPath, [join(ROOT, 'bin', 'folio.js'), 'serve', ...(open ? ['--open'] : []), ...rest], process.env);
}

/** Runs the child in the foreground, passes termination signals on, and exits as it does. */
function run(command, argv, env) {
  const child = spawn(command, argv, { cwd: ROOT, env, stdio: 'inherit' });
  const running = () => child.exitCode === null && child.signalCode === null;
  const forward = (signal) => {
    if (running()) child.kill(signal);
  };
  process.on('SIGTERM', () => forward('SIGTERM'));
  process.on('SIGHUP', () => forward('SIGHUP'));
  // Ctrl-C in a terminal already reaches the child (same process group); a second SIGINT
  // would cut its clean shutdown short. Pass it on only if the child evidently missed it.
  process.on('SIGINT', () => setTimeout(() => forward('SIGINT'), 3000).unref());
  child.on('error', (err) => {
    process.stderr.write(`folio: could not run ${command}: ${err.message}\n`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1);
  });
}
