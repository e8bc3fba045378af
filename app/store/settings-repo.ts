import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../core/contract.js';
import { FolioError } from '../core/errors.js';
import type { StoreContext } from './context.js';

/**
 * Settings as key/value rows (JSON values). Reading merges the stored values over
 * DEFAULT_SETTINGS one key at a time: a value a newer or older Folio wrote that this version
 * does not accept falls back to its default instead of making every setting unreadable.
 */
export class SettingsRepo {
  constructor(private readonly ctx: StoreContext) {}

  get(): Settings {
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    const shape = SettingsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
    for (const row of this.ctx.stmt<{ key: string; value: string }>('SELECT key, value FROM settings').all()) {
      const field = shape[row.key];
      if (!field) continue;
      const parsed = field.safeParse(parseJson(row.value));
      if (parsed.success) merged[row.key] = parsed.data;
    }
    return SettingsSchema.parse(merged);
  }

  /**
   * Validates and stores the given keys; returns the full settings after the change.
   * @throws FolioError('INVALID_INPUT') naming the bad keys; nothing is stored then.
   */
  update(partial: Partial<Settings>): Settings {
    const parsed = SettingsSchema.partial().strict().safeParse(partial);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
      throw new FolioError('INVALID_INPUT', `Settings not saved (${problems}); nothing was changed.`);
    }
    this.ctx.write(() => {
      const upsert = this.ctx.stmt(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      );
      for (const [key, value] of Object.entries(parsed.data)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value));
      }
    });
    return this.get();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
