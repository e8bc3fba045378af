// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { useMenuCommands, type MenuCommands } from '../../renderer/src/state/use-menu-commands.js';

// The Electron menu's items reach the renderer as preload events; each must run its command,
// and unmounting must unsubscribe.
describe('useMenuCommands', () => {
  afterEach(() => {
    delete (globalThis as { folio?: unknown }).folio;
  });

  it('runs the command for each menu event and unsubscribes on unmount', async () => {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    const listeners = new Map<string, (payload: unknown) => void>();
    (globalThis as { folio?: unknown }).folio = {
      invoke: async () => ({ ok: true, value: null }),
      on: (name: string, fn: (payload: unknown) => void) => {
        listeners.set(name, fn);
        return () => listeners.delete(name);
      },
    };
    const commands: MenuCommands = {
      'menu.addUrl': vi.fn(),
      'menu.find': vi.fn(),
      'menu.shortcuts': vi.fn(),
      'menu.import': vi.fn(),
      'menu.export': vi.fn(),
    };
    function Probe() {
      useMenuCommands(commands);
      return null;
    }
    const root = createRoot(document.createElement('div'));
    await act(async () => root.render(createElement(Probe)));
    expect([...listeners.keys()].sort()).toEqual(['menu.addUrl', 'menu.export', 'menu.find', 'menu.import', 'menu.shortcuts']);
    listeners.get('menu.addUrl')!(undefined);
    listeners.get('menu.export')!(undefined);
    expect(commands['menu.addUrl']).toHaveBeenCalledTimes(1);
    expect(commands['menu.export']).toHaveBeenCalledTimes(1);
    expect(commands['menu.find']).not.toHaveBeenCalled();
    await act(async () => root.unmount());
    expect(listeners.size).toBe(0);
  });

});
