import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { METHOD_NAMES } from '../../app/core/contract.js';
import { PRIVILEGED_SCHEMES } from '../../main/schemes.js';
import { secureWebPreferences } from '../../main/security.js';
import { envForElectronBuild, findElectronBinary } from '../../scripts/electron-binary.js';

// Electron's binary cannot run on this machine, so the shell is checked here from the outside:
// the packaging config through electron-builder's own validator, the security settings by
// reading main/'s sources (TypeScript AST), the compiled preload by running it the way
// Electron runs a sandboxed preload, and `npm start`'s fallback by really running it.

const root = resolve(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  const config = parseYaml(read('electron-builder.yml')) as Record<string, any>;

  it('names the app and writes packages to release/', () => {
    expect(config.appId).toBe('app.folio.desktop');
    expect(config.productName).toBe('Folio');
    expect(config.directories.output).toBe('release');
    // "build" is our compiler output: as buildResources it would be left out of the app.
    expect(config.directories.buildResources ?? 'build').not.toBe('build');
  });

  it('builds AppImage + deb on Linux, dmg on macOS, NSIS on Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/); // deb refuses to build without one
  });

  it('rebuilds better-sqlite3 for Electron from source and keeps it out of the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(config.asar).toBe(true);
    expect((config.asarUnpack as string[]).some((p) => p.includes('node_modules/better-sqlite3'))).toBe(true);
  });

  it('packs the compiled app and package.json, never tests or the dev-only native copy', () => {
    const files = config.files as string[];
    for (const wanted of ['package.json', 'build/main/**/*', 'build/app/**/*', 'build/renderer/**/*']) {
      expect(files).toContain(wanted);
    }
    expect(files.filter((p) => !p.startsWith('!')).some((p) => p.startsWith('tests') || p.includes('build/tests'))).toBe(false);
    expect(files).toContain('!build/tests/**/*');
    expect(files).toContain('!build/electron-native/**/*');
  });

  it('starts build/main/main.js, the same entry as package.json', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(config.extraMetadata.main).toBe('build/main/main.js');
    expect(pkg.main).toBe('build/main/main.js');
    expect(pkg.scripts.start).toMatch(/node scripts\/start\.js/);
    expect(pkg.scripts.dist).toMatch(/node scripts\/dist\.js/);
  });

  it("passes electron-builder's own configuration validation", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const loaded = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is real: an unknown key is refused.
    const bad = await getConfig(root, join(root, 'electron-builder.yml'), { notAnOption: true });
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
  });
});

// ---- static checks of main/ (Electron cannot run here) --------------------------------------

function sourceFile(file: string): ts.SourceFile {
  return ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
}

/** Every call `x.name(...)` or `name(...)` in a file, as its source text. */
function callsTo(file: string, name: string): string[] {
  const sf = sourceFile(file);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (calleeName === name) out.push(node.getText(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The listener registered with `x.on('<event>', listener)` in a file. */
function listenerFor(file: string, event: string): string {
  const found = callsTo(file, 'on').filter((text) => text.includes(`'${event}'`));
  expect(found, `${file} registers a '${event}' listener`).toHaveLength(1);
  return found[0]!;
}

const mainSources = readdirSync(join(root, 'main'))
  .filter((f) => /\.c?ts$/.test(f))
  .map((f) => `main/${f}`);

describe('main/ security settings', () => {
  it('the window preferences isolate and sandbox the page', () => {
    const prefs = secureWebPreferences('/x/preload.cjs', { devTools: false });
    expect(prefs).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('the only BrowserWindow uses those preferences and loads the app scheme, never file://', () => {
    const windows = mainSources.flatMap((f) => (read(f).includes('new BrowserWindow(') ? [f] : []));
    expect(windows).toEqual(['main/window.ts']);
    expect(read('main/window.ts')).toMatch(/webPreferences:\s*secureWebPreferences\(/);
    expect(callsTo('main/window.ts', 'loadURL')).toEqual(['win.loadURL(APP_ENTRY_URL)']);
    for (const f of mainSources) expect(callsTo(f, 'loadFile'), f).toEqual([]);
    expect(read('main/schemes.ts')).toMatch(/APP_ENTRY_URL = `\$\{APP_ORIGIN\}\/index\.html`/);
  });

  it('new windows are denied; http(s) links go to the system browser only after validation', () => {
    const [handler] = callsTo('main/harden.ts', 'setWindowOpenHandler');
    expect(handler).toMatch(/openIfWeb\(url\);\s*return \{ action: 'deny' \};/);
    expect(read('main/harden.ts')).toMatch(/const safe = externalHttpUrl\(url\);\s*if \(safe\) openExternal\(safe\);/);
    // shell.openExternal is reached only through that validation.
    const opens = mainSources.flatMap((f) => callsTo(f, 'openExternal').map((c) => `${f}: ${c}`));
    expect(opens).toEqual(['main/harden.ts: openExternal(safe)', expect.stringMatching(/^main\/main\.ts: shell\.openExternal\(url\)/)]);
    expect(read('main/main.ts')).toMatch(/hardenWebContents\(contents, openExternal\)/);
  });

  it('navigation, redirects and webviews are prevented', () => {
    expect(listenerFor('main/harden.ts', 'will-navigate')).toMatch(/event\.preventDefault\(\)/);
    expect(listenerFor('main/harden.ts', 'will-redirect')).toMatch(/event\.preventDefault\(\)/);
    expect(listenerFor('main/harden.ts', 'will-attach-webview')).toMatch(/event\.preventDefault\(\)/);
    // Applied to every web contents the app creates, the main window included.
    expect(listenerFor('main/main.ts', 'web-contents-created')).toMatch(/hardenWebContents\(contents/);
  });

  it('every permission request and check is denied, downloads too', () => {
    expect(callsTo('main/harden.ts', 'setPermissionRequestHandler')).toEqual([
      'session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))',
    ]);
    expect(callsTo('main/harden.ts', 'setPermissionCheckHandler')).toEqual(['session.setPermissionCheckHandler(() => false)']);
    expect(callsTo('main/harden.ts', 'setDevicePermissionHandler')).toEqual(['session.setDevicePermissionHandler(() => false)']);
    expect(listenerFor('main/harden.ts', 'will-download')).toMatch(/event\.preventDefault\(\)/);
    expect(callsTo('main/main.ts', 'hardenSession')).toEqual(['hardenSession(session.defaultSession)']);
  });

  it('single instance, global sandbox, privileged schemes and both protocol handlers are set up', () => {
    expect(callsTo('main/main.ts', 'requestSingleInstanceLock')).toHaveLength(1);
    expect(listenerFor('main/main.ts', 'second-instance')).toMatch(/mainWindow\.focus\(\)/);
    expect(callsTo('main/main.ts', 'enableSandbox')).toHaveLength(1);
    expect(callsTo('main/main.ts', 'registerSchemesAsPrivileged')).toEqual(['protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES)']);
    const handled = callsTo('main/main.ts', 'handle').map((c) => c.split(',')[0]);
    expect(handled).toEqual(['protocol.handle(APP_SCHEME', 'protocol.handle(ASSET_SCHEME']);
  });

  it('the app scheme is standard+secure+fetch, and no scheme bypasses the CSP', () => {
    const [appScheme, assetScheme] = PRIVILEGED_SCHEMES;
    expect(appScheme).toMatchObject({ scheme: 'folio-app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    expect(assetScheme).toMatchObject({ scheme: 'folio-asset', privileges: { secure: true } });
    for (const s of PRIVILEGED_SCHEMES) expect(s.privileges?.bypassCSP ?? false).toBe(false);
  });

  it('IPC has two channels, each checking the sender frame before doing anything', () => {
    const ipc = read('main/ipc.ts');
    expect(callsTo('main/ipc.ts', 'handle')).toHaveLength(2);
    // folio:invoke: the check, then the core.
    const invokeAt = ipc.indexOf('ipcMain.handle(INVOKE_CHANNEL,');
    const check = ipc.indexOf('if (!fromMainWindow(event, options.window()))', invokeAt);
    const forward = ipc.indexOf('options.invoke(method, input)', invokeAt);
    expect(invokeAt).toBeGreaterThan(0);
    expect(check).toBeGreaterThan(invokeAt);
    expect(forward).toBeGreaterThan(check);
    expect(ipc.slice(check, forward)).toMatch(/return forbidden\(\);/);
    // folio:save-export: the check, then the path check, then the dialog and the copy.
    const saveAt = ipc.indexOf('ipcMain.handle(SAVE_EXPORT_CHANNEL,');
    const saveCheck = ipc.indexOf('if (!fromMainWindow(event, win)) return', saveAt);
    const pathCheck = ipc.indexOf('exportFileFor(', saveAt);
    const dialogAt = ipc.indexOf('dialog.showSaveDialog(', saveAt);
    expect(saveAt).toBeGreaterThan(0);
    expect(saveCheck).toBeGreaterThan(saveAt);
    expect(pathCheck).toBeGreaterThan(saveCheck);
    expect(dialogAt).toBeGreaterThan(pathCheck);
    // The sender check itself: the main window's top frame, by isTrustedSender.
    expect(ipc).toMatch(/function fromMainWindow[\s\S]*isTrustedSender\(senderInfo\(event\)/);
    for (const f of mainSources.filter((f) => f !== 'main/ipc.ts')) expect(read(f), f).not.toMatch(/ipcMain\.(handle|on)\(/);
  });

  it("the main process never loads the archive, the capture pipeline or a native module (they run in the core's utility process)", () => {
    // Follow main.ts's run-time imports (type-only imports vanish at compile time).
    const seen = new Set<string>();
    const queue = ['main/main.ts'];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const sf = sourceFile(file);
      for (const stmt of sf.statements) {
        if (!ts.isImportDeclaration(stmt) || stmt.importClause?.isTypeOnly) continue;
        const spec = (stmt.moduleSpecifier as ts.StringLiteral).text;
        if (!spec.startsWith('.')) {
          seen.add(spec);
          continue;
        }
        const target = relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts');
        if (existsSync(join(root, target))) queue.push(target);
      }
    }
    const loaded = [...seen];
    expect(loaded).toContain('main/capture-host.ts');
    expect(loaded.filter((m) => /better-sqlite3|app\/(store|capture|queue|api)\/|jsdom/.test(m))).toEqual([]);
    // The core host is what loads them.
    expect(read('main/core-runtime.ts')).toMatch(/openArchive/);
    expect(callsTo('main/capture-host.ts', 'fork')[0]).toMatch(/^utilityProcess\.fork\(options\.script/);
    // Extraction processes too are utility processes main starts (the packaged app cannot fork
    // Node), with the heap cap the core's pool asks for.
    expect(loaded).toContain('main/extract-broker.ts');
    // Its flags come from the one list the CLI's fork uses too (app/core, which main may load).
    expect(callsTo('main/extract-broker.ts', 'fork')[0]).toMatch(/^utilityProcess\.fork\(script, \[\], \{[\s\S]*execArgv: extractorExecArgv\(limits\)/);
    expect(loaded).toContain('app/core/extractor-flags.ts');
    expect(read('app/core/extractor-flags.ts')).toMatch(/--max-old-space-size=\$\{limits\.maxHeapMb\}/);
  });
});

// ---- the compiled preload, run the way Electron runs a sandboxed preload ---------------------

describe('build/main/preload.cjs', () => {
  const file = join(root, 'build', 'main', 'preload.cjs');
  const built = existsSync(file);
  if (!built) console.warn(`skipping the preload checks: ${file} is missing (run \`npx tsc -p tsconfig.build.json\`)`);

  /**
   * A stand-in for the two Electron objects a sandboxed preload can reach (the real ones need
   * Electron's binary, absent here). The preload itself is the real compiled file, evaluated
   * as Electron does: a classic script wrapped in a function receiving `require`, `process`…
   */
  function loadPreload() {
    const exposed = new Map<string, any>();
    const ipcRenderer = new EventEmitter() as EventEmitter & { invoke: (...args: unknown[]) => Promise<unknown>; calls: unknown[][] };
    ipcRenderer.calls = [];
    ipcRenderer.invoke = (...args: unknown[]) => {
      ipcRenderer.calls.push(args);
      return Promise.resolve({ ok: true, value: 'from main' });
    };
    const required: string[] = [];
    const fakeRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
    };
    const source = readFileSync(file, 'utf8');
    const wrapper = `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${source}\n})`;
    const context = vm.createContext({ console });
    const fn = vm.runInContext(wrapper, context, { filename: file });
    const module = { exports: {} };
    fn(fakeRequire, { platform: 'linux' }, Buffer, context, setImmediate, clearImmediate, module.exports, module);
    return { exposed, ipcRenderer, required };
  }

  it.skipIf(!built)('is a classic CommonJS script that requires only electron', () => {
    const { required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*(import|export)\s/m);
  });

  it.skipIf(!built)('exposes exactly window.folio = { invoke, on, saveExport, platform }', () => {
    const { exposed } = loadPreload();
    expect([...exposed.keys()]).toEqual(['folio']);
    const folio = exposed.get('folio');
    expect(Object.keys(folio).sort()).toEqual(['invoke', 'on', 'platform', 'saveExport']);
    expect(folio.platform).toBe('linux');
  });

  it.skipIf(!built)('saveExport asks main over folio:save-export with string arguments only', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    await exposed.get('folio').saveExport({ toString: () => 'id' }, 'notes-markdown.zip');
    expect(ipcRenderer.calls).toEqual([['folio:save-export', 'id', 'notes-markdown.zip']]);
  });

  it.skipIf(!built)('forwards every contract method over folio:invoke and refuses other names without IPC', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    const folio = exposed.get('folio');
    for (const method of METHOD_NAMES) {
      await expect(folio.invoke(method, { probe: method })).resolves.toEqual({ ok: true, value: 'from main' });
    }
    expect(ipcRenderer.calls).toEqual(METHOD_NAMES.map((m) => ['folio:invoke', m, { probe: m }]));
    for (const bad of ['nope', '__proto__', 'constructor', 'hasOwnProperty', 42, undefined]) {
      const envelope = await folio.invoke(bad, {});
      expect(envelope.ok).toBe(false);
      expect(envelope.error.code).toBe('UNKNOWN_METHOD');
    }
    expect(ipcRenderer.calls).toHaveLength(METHOD_NAMES.length);
  });

  it.skipIf(!built)('delivers core and menu events by name, payload only, and unsubscribes', () => {
    const { exposed, ipcRenderer } = loadPreload();
    const folio = exposed.get('folio');
    const progress: unknown[][] = [];
    const changed: unknown[][] = [];
    const menu: unknown[][] = [];
    const offProgress = folio.on('queue.progress', (...args: unknown[]) => progress.push(args));
    for (let i = 0; i < 20; i++) folio.on('library.changed', (...args: unknown[]) => changed.push(args));
    folio.on('menu.addUrl', (...args: unknown[]) => menu.push(args));
    // One ipcRenderer listener per channel however many subscriptions the page makes.
    expect(ipcRenderer.listenerCount('folio:event')).toBe(1);
    expect(ipcRenderer.listenerCount('folio:menu')).toBe(1);

    const ipcEvent = { sender: ipcRenderer, ports: [] };
    ipcRenderer.emit('folio:event', ipcEvent, 'queue.progress', { n: 1 });
    ipcRenderer.emit('folio:event', ipcEvent, 'library.changed', { ids: [3] });
    ipcRenderer.emit('folio:menu', ipcEvent, 'menu.addUrl', {});
    ipcRenderer.emit('folio:event', ipcEvent, 'menu.addUrl', {}); // wrong channel: ignored
    expect(progress).toEqual([[{ n: 1 }]]); // never the IPC event object
    expect(changed).toHaveLength(20);
    expect(menu).toEqual([[{}]]);

    offProgress();
    ipcRenderer.emit('folio:event', ipcEvent, 'queue.progress', { n: 2 });
    expect(progress).toHaveLength(1);
  });

  it.skipIf(!built)('refuses unknown events and non-function listeners', () => {
    const folio = loadPreload().exposed.get('folio');
    expect(() => folio.on('folio:invoke', () => {})).toThrow(/unknown event/);
    expect(() => folio.on('__proto__', () => {})).toThrow(/unknown event/);
    expect(() => folio.on('queue.progress', 'not a function')).toThrow(/must be a function/);
  });
});

// ---- scripts ------------------------------------------------------------------------------------

describe('electron detection and native build environment', () => {
  it('never reports a binary that is not there, and honours FOLIO_ELECTRON_PATH', () => {
    const missing = findElectronBinary(root, { FOLIO_ELECTRON_PATH: '/nonexistent/electron' });
    expect(missing).toMatchObject({ found: false, path: '/nonexistent/electron' });
    const present = findElectronBinary(root, { FOLIO_ELECTRON_PATH: process.execPath });
    expect(present).toEqual({ found: true, path: process.execPath });
    const installed = findElectronBinary(root, {});
    if (installed.found) expect(existsSync(installed.path)).toBe(true);
    else expect(installed.reason).toMatch(/missing|does not exist|not installed/);
  });

  it('dist.js runs electron-builder with this config, without nodedir, and restores the Node build of better-sqlite3', () => {
    const dist = read('scripts/dist.js');
    expect(dist).toMatch(/\[builderCli, '--config', 'electron-builder\.yml', '--publish', 'never'/);
    expect(dist).toMatch(/env: envForElectronBuild\(process\.env\)/);
    expect(dist).toMatch(/child\.on\('exit', \(code\) => \{\s*restore\(\);/);
    expect(existsSync(join(root, 'node_modules', 'electron-builder', 'cli.js'))).toBe(true);
  });

  it('drops npm_config_nodedir (any case) for Electron builds and keeps the rest', () => {
    const env = envForElectronBuild({ npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', PATH: '/bin', npm_config_jobs: '2' });
    expect(env).toEqual({ PATH: '/bin', npm_config_jobs: '2' });
  });
});

describe('npm start without Electron', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const built = ['build/main/main.js', 'build/app/cli/main.js', 'build/renderer/index.html'].every((f) => existsSync(join(root, f)));
  if (!built) console.warn('skipping the `npm start` fallback test: the build is missing (run `npm run build`)');

  it.skipIf(!built)('says why, then serves the UI on loopback with `folio serve`, and stops with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'folio-start-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.js'), '--port', '0', '--no-open'], {
      cwd: root,
      env: { ...process.env, FOLIO_ELECTRON_PATH: join(dir, 'no-electron-here'), FOLIO_DB: join(dir, 'folio.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 20 s; stdout: ${stdout}\nstderr: ${stderr}`)), 20_000);
      child.stdout!.on('data', (d) => {
        stdout += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[0]);
        }
      });
      child.on('exit', (code) => reject(new Error(`start.js exited (${code}) before printing a URL; stdout: ${stdout}\nstderr: ${stderr}`)));
    });

    expect(stdout.split('\n')[0]).toBe(
      "Electron's binary is not installed (it is downloaded on first use and this machine could not fetch it). Serving the same UI on loopback instead:",
    );
    expect(stderr).toContain('no-electron-here');

    // The server is real: the printed launch URL answers.
    const status = await new Promise<number>((ok, fail) =>
      http.get(url, (res) => {
        res.resume();
        ok(res.statusCode ?? 0);
      }).on('error', fail),
    );
    expect([200, 303]).toContain(status);

    // Stopping start.js stops the server it started.
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    await exited;
    const port = Number(new URL(url).port);
    const refused = await new Promise<boolean>((ok) =>
      http.get(`http://127.0.0.1:${port}/`, (res) => {
        res.resume();
        ok(false);
      }).on('error', () => ok(true)),
    );
    expect(refused).toBe(true);
  });
});
