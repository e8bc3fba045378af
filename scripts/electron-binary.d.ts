// Types for scripts/electron-binary.js (plain JS so it runs before the TypeScript build).
export declare const ROOT: string;
export declare function electronVersion(root?: string): string;
export type ElectronBinary =
  | { found: true; path: string }
  | { found: false; path: string | null; reason: string };
export declare function findElectronBinary(root?: string, env?: Record<string, string | undefined>): ElectronBinary;
export declare function envForElectronBuild(env?: Record<string, string | undefined>): Record<string, string | undefined>;
export declare function electronNativeDir(root?: string): string;
export declare function electronSqliteBinding(root?: string): string;
export declare function ensureElectronSqlite(options?: { root?: string; log?: (line: string) => void }): Promise<string>;
