import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, MENU_EVENTS, type MenuEventName } from '../../main/menu-template.js';
import { appFiles, archivePath, userDataDir } from '../../main/paths.js';
import { APP_CSP, externalHttpUrl, isAppUrl, isTrustedSender, withCspHeader, type SenderInfo } from '../../main/security.js';

// The decisions main/ makes on every IPC call, link click and response, as pure functions.

describe('which frames may call the core', () => {
  const window = { webContentsId: 7, mainFrameTreeNodeId: 1 };
  const sender = (over: Partial<SenderInfo['frame'] & { webContentsId: number }> = {}): SenderInfo => ({
    webContentsId: over.webContentsId ?? 7,
    frame: { frameTreeNodeId: over.frameTreeNodeId ?? 1, isTop: over.isTop ?? true, url: over.url ?? 'folio-app://ui/index.html' },
  });

  it("accepts the main window's top frame on the app origin, any path", () => {
    expect(isTrustedSender(sender(), window)).toBe(true);
    expect(isTrustedSender(sender({ url: 'folio-app://ui/#/article/3' }), window)).toBe(true);
  });

  it('refuses other web contents, sub-frames, other origins, gone frames and no window', () => {
    expect(isTrustedSender(sender({ webContentsId: 8 }), window)).toBe(false);
    expect(isTrustedSender(sender({ isTop: false }), window)).toBe(false);
    expect(isTrustedSender(sender({ frameTreeNodeId: 2 }), window)).toBe(false);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:4747/',
      'file:///work/main/build/renderer/index.html',
      'folio-app://evil/index.html',
      'folio-app://ui.evil.example/index.html',
      'folio-asset://img/' + 'a'.repeat(64),
      'about:blank',
      'data:text/html,<script>1</script>',
      '',
    ]) {
      expect(isTrustedSender(sender({ url }), window), url).toBe(false);
    }
    expect(isTrustedSender({ webContentsId: 7, frame: null }, window)).toBe(false);
    expect(isTrustedSender(sender(), null)).toBe(false);
  });

  it('isAppUrl is about the origin only', () => {
    expect(isAppUrl('folio-app://ui/index.html')).toBe(true);
    expect(isAppUrl('folio-app://UI/')).toBe(true);
    expect(isAppUrl('folio-app://user@ui/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('links that leave the app', () => {
  it('passes http(s) URLs to the system browser, normalised', () => {
    expect(externalHttpUrl('https://example.com/a?b=1#c')).toBe('https://example.com/a?b=1#c');
    expect(externalHttpUrl('  HTTP://Example.COM  ')).toBe('http://example.com/');
    expect(externalHttpUrl('https://例え.jp/')).toBe('https://xn--r8jz45g.jp/');
  });

  it('refuses every other scheme, credentials, junk and absurd lengths', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'folio-app://ui/index.html',
      'folio-asset://img/x',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'mailto:a@b.example',
      'data:text/html,hi',
      'https://bank.example@evil.example/',
      'https://user:pw@example.com/',
      '//example.com/',
      '/relative',
      '',
      `https://example.com/${'a'.repeat(9000)}`,
    ]) {
      expect(externalHttpUrl(url), url).toBeNull();
    }
    expect(externalHttpUrl(undefined)).toBeNull();
    expect(externalHttpUrl({ href: 'https://example.com' })).toBeNull();
  });
});

describe('CSP fallback on responses', () => {
  it('forces the app CSP on foreign responses, replacing theirs whatever its case', () => {
    const out = withCspHeader('https://example.com/', { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] });
    expect(out).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [APP_CSP] });
  });

  it("keeps our own schemes' CSP (assets have a stricter one) and adds it when missing", () => {
    expect(withCspHeader('folio-asset://img/x', { 'Content-Security-Policy': ["default-src 'none'"] })).toEqual({
      'Content-Security-Policy': ["default-src 'none'"],
    });
    expect(withCspHeader('folio-app://ui/', undefined)).toEqual({ 'Content-Security-Policy': [APP_CSP] });
  });
});

// Electron's menu item type, taken from the template (tests never import electron, not even types).
type MenuItemConstructorOptions = ReturnType<typeof buildMenuTemplate>[number];

describe('application menu', () => {
  const sent: MenuEventName[] = [];
  const build = (platform: NodeJS.Platform, isDev: boolean) =>
    buildMenuTemplate({ platform, isDev, appName: 'Folio', send: (e) => sent.push(e) });

  function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
    return template.flatMap((m) => [m, ...items(Array.isArray(m.submenu) ? m.submenu : [])]);
  }
  const byLabel = (t: MenuItemConstructorOptions[], label: string) => items(t).find((i) => i.label === label)!;
  const roles = (t: MenuItemConstructorOptions[]) => items(t).map((i) => i.role).filter(Boolean);

  it('has File/Edit/View/Window/Help, and an app menu with Quit on macOS only', () => {
    expect(build('linux', false).map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help']);
    expect(build('darwin', false).map((m) => m.label ?? m.role)).toEqual(['Folio', 'File', 'Edit', 'View', 'windowMenu', 'help']);
    expect(roles(build('linux', false))).toContain('quit');
    expect(roles(build('darwin', false)).filter((r) => r === 'quit')).toHaveLength(1);
  });

  it('wires the usual shortcuts; the UI actions send menu events', () => {
    const t = build('linux', false);
    const expected: [string, string, MenuEventName][] = [
      ['Add URL…', 'CmdOrCtrl+N', 'menu.addUrl'],
      ['Import…', 'CmdOrCtrl+O', 'menu.import'],
      ['Export…', 'CmdOrCtrl+E', 'menu.export'],
      ['Find…', 'CmdOrCtrl+F', 'menu.find'],
      ['Keyboard Shortcuts', 'CmdOrCtrl+/', 'menu.shortcuts'],
    ];
    sent.length = 0;
    for (const [label, accelerator, event] of expected) {
      const item = byLabel(t, label);
      expect(item.accelerator).toBe(accelerator);
      (item.click as () => void)();
      expect(sent.at(-1)).toBe(event);
    }
    expect(new Set(sent)).toEqual(new Set(MENU_EVENTS));
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']) {
      expect(roles(t)).toContain(role);
    }
    const accelerators = items(t).map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length); // no shortcut bound twice
  });

  it('offers reload and developer tools only in development', () => {
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) {
      expect(roles(build('linux', true))).toContain(role);
      expect(roles(build('linux', false))).not.toContain(role);
    }
  });
});

describe('paths', () => {
  it('finds the renderer, the CommonJS preload and the core host next to the compiled main', () => {
    expect(appFiles('/app/build/main')).toEqual({
      rendererDir: '/app/build/renderer',
      preload: '/app/build/main/preload.cjs',
      coreHost: '/app/build/main/core-host.js',
      extractHost: '/app/build/main/extract-host.js',
    });
  });

  it('puts the profile in <appData>/Folio unless FOLIO_USER_DATA says otherwise', () => {
    expect(userDataDir('/home/u/.config', {})).toBe('/home/u/.config/Folio');
    expect(userDataDir('/home/u/.config', { FOLIO_USER_DATA: '/tmp/profile' })).toBe('/tmp/profile');
  });

  it('keeps the archive in userData unless FOLIO_DB says otherwise', () => {
    expect(archivePath('/home/u/.config/Folio', {})).toBe('/home/u/.config/Folio/folio.db');
    expect(archivePath('/home/u/.config/Folio', { FOLIO_DB: '  ' })).toBe('/home/u/.config/Folio/folio.db');
    expect(archivePath('/home/u/.config/Folio', { FOLIO_DB: '/data/my.db' })).toBe('/data/my.db');
    expect(archivePath('/home/u/.config/Folio', { FOLIO_DB: 'rel.db' }, '/work')).toBe('/work/rel.db');
  });
});
