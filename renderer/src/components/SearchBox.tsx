import { memo, useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { debounceLeading } from '../lib/latest.js';

export interface SearchBoxHandle {
  focus(): void;
  clear(): void;
}

/**
 * Keystrokes closer together than this are one burst: the first is searched at once, the rest
 * wait until typing pauses this long (debounceLeading).
 */
export const SEARCH_DEBOUNCE_MS = 100;

const SYNTAX: { example: string; means: string }[] = [
  { example: 'solar panels', means: 'articles with both words' },
  { example: '"solar panels"', means: 'the exact phrase' },
  { example: 'solar OR wind', means: 'either word' },
  { example: '-nuclear', means: 'leave out articles with this word' },
  { example: 'title:energy', means: 'word in the title' },
  { example: 'tag:research', means: 'articles with this tag' },
  { example: 'is:unread', means: 'only unread articles' },
  { example: 'sort:saved', means: 'order results by date saved instead of relevance' },
];

/**
 * The "Search" box. It owns its text so typing re-renders only this component; the rest of
 * the app hears about the query at the first keystroke after a pause, then once a burst of
 * quick keystrokes pauses (debounceLeading). Enter sends a held query at once.
 */
export const SearchBox = memo(function SearchBox({ onQuery, handle }: { onQuery(q: string): void; handle: Ref<SearchBoxHandle> }) {
  const [text, setText] = useState('');
  const [helpOpen, setHelpOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const helpId = useId();
  const onQueryRef = useRef(onQuery);
  onQueryRef.current = onQuery;
  const send = useMemo(() => debounceLeading((q: string) => onQueryRef.current(q), SEARCH_DEBOUNCE_MS), []);
  useEffect(() => () => send.cancel(), [send]);

  useImperativeHandle(handle, () => ({
    focus: () => {
      input.current?.focus();
      input.current?.select();
    },
    clear: () => {
      send.cancel();
      setText('');
      onQueryRef.current('');
    },
  }));

  const change = (value: string) => {
    setText(value);
    if (value.trim() === '') {
      // Clearing the box goes back to the library at once, no need to wait.
      send.cancel();
      onQueryRef.current('');
    } else {
      send(value);
    }
  };

  return (
    <div className="search" role="search">
      <input
        ref={input}
        type="text"
        className="search-input"
        aria-label="Search"
        placeholder="Search  ( / )"
        enterKeyHint="search"
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') send.flush();
        }}
      />
      <button
        type="button"
        className="icon-button"
        aria-label="Search syntax help"
        aria-expanded={helpOpen}
        aria-controls={helpId}
        onClick={() => setHelpOpen((o) => !o)}
      >
        ?
      </button>
      {helpOpen && (
        <div id={helpId} className="popover search-help" role="region" aria-label="Search syntax">
          <p>Type words to search titles and text. You can also use:</p>
          <dl>
            {SYNTAX.map((s) => (
              <div key={s.example}>
                <dt>
                  <code>{s.example}</code>
                </dt>
                <dd>{s.means}</dd>
              </div>
            ))}
          </dl>
          <button type="button" onClick={() => setHelpOpen(false)}>
            Close
          </button>
        </div>
      )}
    </div>
  );
});
