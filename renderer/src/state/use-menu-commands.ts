import { useEffect, useRef } from 'react';
import { findElectronBridge } from '../api/electron-transport.js';

/** The application menu's commands (main/menu-template.ts MENU_EVENTS) and what the UI does. */
export interface MenuCommands {
  'menu.addUrl': () => void;
  'menu.find': () => void;
  'menu.shortcuts': () => void;
  'menu.import': () => void;
  'menu.export': () => void;
}

/**
 * In the Electron shell, menu items (Add URL… Ctrl/Cmd+N, Find… Ctrl/Cmd+F, Import…, Export…,
 * Keyboard shortcuts) arrive as events through the preload; in a browser there is no app menu
 * and this does nothing.
 */
export function useMenuCommands(commands: MenuCommands): void {
  const latest = useRef(commands);
  latest.current = commands;
  useEffect(() => {
    const bridge = findElectronBridge();
    if (!bridge) return;
    const names = Object.keys(latest.current) as (keyof MenuCommands)[];
    const offs = names.map((name) => bridge.on(name, () => latest.current[name]()));
    return () => offs.forEach((off) => off());
  }, []);
}
