import { describe, expect, it } from 'vitest';
import { hasUnspacedScript, mayHaveUnspacedScript, unspacedRuns } from '../../app/core/query/scripts.js';

/**
 * unspacedRuns (what the trigram index gets of each article body) first asks the quick block
 * test, and only then the script properties: the quick test must hold for every character the
 * script test accepts, or some article's CJK text would silently never be indexed.
 */
describe('mayHaveUnspacedScript', () => {
  it('is true for every character of a script written without spaces', () => {
    const missed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (hasUnspacedScript(ch) && !mayHaveUnspacedScript(`Text ${ch} text`)) missed.push(cp.toString(16));
    }
    expect(missed).toEqual([]);
  });

  it('is false for English prose with typographic punctuation, so such articles skip the script test', () => {
    expect(mayHaveUnspacedScript('It’s “quoted” — and… naïve café, ½ €5 № 3 ™ ✓')).toBe(false);
    expect(unspacedRuns('It’s “quoted” — and… naïve café')).toBe('');
  });

  it('keeps the runs of text that has them', () => {
    expect(unspacedRuns('Tokyo 東京の図書館 and 大阪 (Osaka) ภาษาไทย')).toBe('東京の図書館\n大阪\nภาษาไทย');
  });
});
