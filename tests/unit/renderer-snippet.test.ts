import { describe, expect, it } from 'vitest';
import { SNIPPET_MARK_END as E, SNIPPET_MARK_START as S } from '../../app/core/article.js';
import { snippetSegments } from '../../renderer/src/lib/snippet.js';

describe('snippetSegments', () => {
  it('splits marked matches from plain text, in order', () => {
    expect(snippetSegments(`…the ${S}solar${E} panel and ${S}wind${E} farm…`)).toEqual([
      { text: '…the ', mark: false },
      { text: 'solar', mark: true },
      { text: ' panel and ', mark: false },
      { text: 'wind', mark: true },
      { text: ' farm…', mark: false },
    ]);
  });

  it('returns plain text as one unmarked segment, and nothing for an empty snippet', () => {
    expect(snippetSegments('no matches here')).toEqual([{ text: 'no matches here', mark: false }]);
    expect(snippetSegments('')).toEqual([]);
  });

  it('keeps HTML-looking text as text (it is never parsed)', () => {
    expect(snippetSegments(`${S}<img src=x onerror=alert(1)>${E}`)).toEqual([{ text: '<img src=x onerror=alert(1)>', mark: true }]);
  });

  it('tolerates unbalanced markers: stray ends dropped, unclosed start marks to the end, no nesting', () => {
    expect(snippetSegments(`a${E}b`)).toEqual([{ text: 'ab', mark: false }]);
    expect(snippetSegments(`a${S}b`)).toEqual([
      { text: 'a', mark: false },
      { text: 'b', mark: true },
    ]);
    expect(snippetSegments(`${S}a${S}b${E}c`)).toEqual([
      { text: 'ab', mark: true },
      { text: 'c', mark: false },
    ]);
  });

  it('merges adjacent matches and drops empty ones', () => {
    expect(snippetSegments(`${S}so${E}${S}lar${E}${S}${E}!`)).toEqual([
      { text: 'solar', mark: true },
      { text: '!', mark: false },
    ]);
  });

  it('keeps astral characters whole', () => {
    expect(snippetSegments(`𝒳${S}😀${E}`)).toEqual([
      { text: '𝒳', mark: false },
      { text: '😀', mark: true },
    ]);
  });
});
