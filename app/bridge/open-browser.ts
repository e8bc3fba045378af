import { spawn } from 'node:child_process';

/**
 * Opens a URL in the user's browser without waiting for it: $BROWSER if set (the usual Unix
 * convention), else the platform's opener. Detached and unref'd, so the browser outlives
 * neither more nor less than it should, and `folio serve` never waits on it. Failures are
 * reported through `warn` and otherwise ignored: the URL is printed anyway.
 */
export interface OpenBrowserOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  warn?: (message: string) => void;
}

export function browserCommand(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { command: string; args: string[] } {
  const chosen = env['BROWSER']?.trim();
  if (chosen) return { command: chosen, args: [url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd.exe built-in with its own quoting rules; the URL handler avoids a shell.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/** Resolves once the opener has started (true) or failed to start (false); never rejects. */
export function openInBrowser(url: string, options: OpenBrowserOptions = {}): Promise<boolean> {
  const { command, args } = browserCommand(url, options.platform ?? process.platform, options.env ?? process.env);
  const warn = options.warn ?? ((m: string) => void process.stderr.write(`folio: ${m}\n`));
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { detached: true, stdio: 'ignore', env: options.env ?? process.env });
    } catch (err) {
      warn(`could not open a browser (${command}: ${(err as Error).message}); open the address above yourself.`);
      resolve(false);
      return;
    }
    child.once('error', (err) => {
      warn(`could not open a browser (${command}: ${err.message}); open the address above yourself.`);
      resolve(false);
    });
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
