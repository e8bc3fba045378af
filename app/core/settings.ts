/**
 * User settings and their defaults. Kept free of zod so the renderer can import the defaults
 * as values without bundling the schema library; contract.ts holds the matching schema.
 */
export type Theme = 'system' | 'light' | 'dark' | 'sepia';

export interface Settings {
  theme: Theme;
  fontSize: number; // px, 12..32
  lineWidth: number; // characters, 40..120
  fontFamily: 'serif' | 'sans';
  /** Allow redirects/images from public addresses to private or loopback ones (off by default). */
  allowPrivateAddresses: boolean;
  renderMode: 'auto' | 'never' | 'always';
}

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  fontSize: 18,
  lineWidth: 70,
  fontFamily: 'serif',
  allowPrivateAddresses: false,
  renderMode: 'auto',
};
