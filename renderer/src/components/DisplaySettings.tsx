import { memo } from 'react';
import type { ReaderSettings } from '../state/use-settings.js';

const THEMES: { value: ReaderSettings['theme']; label: string }[] = [
  { value: 'system', label: 'Follow system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'sepia', label: 'Sepia' },
];

/** Theme and reading typography; saved through settings.set so they persist. */
export const DisplaySettings = memo(function DisplaySettings({ settings, update }: { settings: ReaderSettings; update(change: Partial<ReaderSettings>): void }) {
  return (
    <details className="display-settings">
      <summary>Display</summary>
      <div className="settings-grid">
        <label>
          Theme
          <select value={settings.theme} onChange={(e) => update({ theme: e.target.value as ReaderSettings['theme'] })}>
            {THEMES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Font
          <select value={settings.fontFamily} onChange={(e) => update({ fontFamily: e.target.value as ReaderSettings['fontFamily'] })}>
            <option value="serif">Serif</option>
            <option value="sans">Sans-serif</option>
          </select>
        </label>
        <label>
          Text size <span className="muted">{settings.fontSize}px</span>
          <input type="range" min={12} max={32} step={1} value={settings.fontSize} onChange={(e) => update({ fontSize: Number(e.target.value) })} />
        </label>
        <label>
          Line width <span className="muted">{settings.lineWidth} characters</span>
          <input type="range" min={40} max={120} step={5} value={settings.lineWidth} onChange={(e) => update({ lineWidth: Number(e.target.value) })} />
        </label>
      </div>
    </details>
  );
});
