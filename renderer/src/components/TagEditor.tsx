import { useState } from 'react';

/** Inline tag editing: type and press Enter (or comma) to add, × to remove. */
export function TagEditor({ tags, onChange }: { tags: string[]; onChange(tags: string[]): void }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim().replace(/,+$/, '').trim();
    setDraft('');
    if (!tag || tags.some((t) => t.toLowerCase() === tag.toLowerCase())) return;
    onChange([...tags, tag]);
  };
  return (
    <div className="tag-editor" role="group" aria-label="Tags">
      <ul className="tag-list">
        {tags.map((t) => (
          <li key={t} className="tag">
            <span>{t}</span>
            <button type="button" className="tag-remove" aria-label={`Remove tag ${t}`} onClick={() => onChange(tags.filter((x) => x !== t))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        type="text"
        className="tag-input"
        aria-label="Add tag"
        placeholder="Add tag…"
        maxLength={100}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          }
        }}
      />
    </div>
  );
}
