import { describe, expect, it } from 'vitest';
import { chromiumCandidates, CHROMIUM_ENV, findChromium } from '../../app/capture/chromium.js';
import { CHROMIUM_ARGS } from '../../app/capture/render.js';

// Browser discovery is pure given env, platform and a file-exists check, so every platform's
// order can be checked here; the real browser is exercised in render.test.ts.
const existing = (...paths: string[]) => (p: string) => paths.includes(p);

describe('findChromium', () => {
  it('FOLIO_CHROMIUM wins over the option and the system browsers', () => {
    const found = findChromium({
      env: { [CHROMIUM_ENV]: '/opt/my/chrome' },
      explicitPath: '/opt/other/chrome',
      platform: 'linux',
      exists: existing('/opt/my/chrome', '/opt/other/chrome', '/usr/bin/chromium'),
    });
    expect(found).toBe('/opt/my/chrome');
  });

  it('then the explicit path, then the first installed well-known path', () => {
    expect(findChromium({ env: {}, explicitPath: '/opt/other/chrome', platform: 'linux', exists: existing('/opt/other/chrome', '/usr/bin/chromium') })).toBe('/opt/other/chrome');
    expect(findChromium({ env: {}, platform: 'linux', exists: existing('/usr/bin/google-chrome-stable', '/usr/bin/chromium-browser') })).toBe('/usr/bin/chromium-browser');
    expect(findChromium({ env: {}, platform: 'linux', exists: existing('/usr/bin/chromium', '/usr/bin/google-chrome') })).toBe('/usr/bin/chromium');
  });

  it('returns null when no browser is installed', () => {
    expect(findChromium({ env: {}, platform: 'linux', exists: () => false })).toBeNull();
    expect(findChromium({ env: { [CHROMIUM_ENV]: '  ' }, platform: 'darwin', exists: () => false })).toBeNull();
  });

  it('a configured path that does not exist is an error naming where it came from', () => {
    expect(() => findChromium({ env: { [CHROMIUM_ENV]: '/nope/chrome' }, exists: () => false })).toThrow(
      /FOLIO_CHROMIUM is set to \/nope\/chrome, which does not exist/,
    );
    try {
      findChromium({ env: {}, explicitPath: '/nope/chrome', exists: () => false });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'RENDER_FAILED', message: expect.stringContaining('/nope/chrome') });
    }
  });

  it('knows macOS and Windows install locations', () => {
    expect(findChromium({ env: {}, platform: 'darwin', exists: existing('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome') })).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
    const winEnv = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' };
    const win = chromiumCandidates('win32', winEnv);
    expect(win[0]).toBe('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(findChromium({ env: winEnv, platform: 'win32', exists: existing('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe') })).toBe(
      'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    );
  });

  it('launches with the quiet, container-safe arguments', () => {
    for (const arg of ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']) {
      expect(CHROMIUM_ARGS).toContain(arg);
    }
  });
});
