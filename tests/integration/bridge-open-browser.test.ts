import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserCommand, openInBrowser } from '../../app/bridge/open-browser.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'folio-open-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('browserCommand', () => {
  it('uses the platform opener, without a shell, unless $BROWSER is set', () => {
    const url = 'http://127.0.0.1:4747/?token=abc';
    expect(browserCommand(url, 'linux', {})).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, 'darwin', {})).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, 'win32', {})).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
    expect(browserCommand(url, 'linux', { BROWSER: '/opt/firefox/firefox' })).toEqual({ command: '/opt/firefox/firefox', args: [url] });
  });
});

describe.skipIf(process.platform === 'win32')('openInBrowser', () => {
  it('runs the browser command detached with the URL as one argument', async () => {
    const record = join(dir, 'opened.txt');
    const fakeBrowser = join(dir, 'browser.sh');
    writeFileSync(fakeBrowser, `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
    chmodSync(fakeBrowser, 0o755);
    const url = 'http://127.0.0.1:4747/?token=abc&add=x y';
    const warn = vi.fn();
    expect(await openInBrowser(url, { env: { ...process.env, BROWSER: fakeBrowser }, warn })).toBe(true);
    await vi.waitFor(() => expect(existsSync(record) && readFileSync(record, 'utf8')).toBe(url), { timeout: 5000 });
    expect(warn).not.toHaveBeenCalled();
  });

  it('reports a missing browser command instead of throwing', async () => {
    const warn = vi.fn();
    const opened = await openInBrowser('http://127.0.0.1:4747/', { env: { ...process.env, BROWSER: join(dir, 'no-such-browser') }, warn });
    expect(opened).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/could not open a browser .*no-such-browser.*ENOENT.*open the address above yourself/);
  });
});
