import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { hasUnspacedScript } from '../../app/core/query/scripts.js';
import { UNSPACED_BLOCKS, UNSPACED_ROW_SQL } from '../../app/store/migrations/0004-substring-index.js';

/**
 * The partial index of migration 0004 leaves out rows without any unspaced-script text, so a
 * 1–2 character term (which always holds such a character) would silently miss an article if
 * the index's condition failed to recognise one of that term's characters. Checked here for
 * every code point, against the same regular expression that routes terms (scripts.ts), and in
 * SQLite itself (its GLOB decodes UTF-8 and compares code points in `[a-b]` ranges).
 */

const db = new Database(':memory:');
afterAll(() => db.close());
const rowMatches = db.prepare(`SELECT ${UNSPACED_ROW_SQL} AS hit FROM (SELECT ? AS title, ? AS byline, ? AS cjk_text)`).pluck();
const inBlocks = (cp: number) => UNSPACED_BLOCKS.some(([a, b]) => cp >= a && cp <= b);

function unspacedCodePoints(): number[] {
  const out: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue; // lone surrogates are not characters
    if (hasUnspacedScript(String.fromCodePoint(cp))) out.push(cp);
  }
  return out;
}

describe('UNSPACED_ROW_SQL (migration 0004)', () => {
  const scriptChars = unspacedCodePoints();

  it('its blocks hold every character a substring term can be routed for', () => {
    expect(scriptChars.length).toBeGreaterThan(90_000); // Han alone is ~98,000
    expect(scriptChars.filter((cp) => !inBlocks(cp)).map((cp) => cp.toString(16))).toEqual([]);
  });

  it('SQLite recognises each of those characters in a title, a byline, or with other text around it', () => {
    const missed: string[] = [];
    for (const cp of scriptChars) {
      const ch = String.fromCodePoint(cp);
      if (rowMatches.get(`Tokyo ${ch}!`, '', '') !== 1 || rowMatches.get('', `${ch}`, '') !== 1) missed.push(cp.toString(16));
    }
    expect(missed).toEqual([]);
  });

  it('leaves out rows with only spaced scripts, and keeps any row with CJK runs in the body', () => {
    expect(rowMatches.get('Plain English — with “quotes”, café and Ελληνικά', 'Writer', '')).toBe(0);
    const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;
    for (const cp of UNSPACED_BLOCKS.flatMap(([a, b]) => [a - 1, a, b, b + 1]).filter((c) => !isSurrogate(c))) {
      expect({ cp, hit: rowMatches.get(String.fromCodePoint(cp), '', '') }).toEqual({ cp, hit: inBlocks(cp) ? 1 : 0 });
    }
    expect(rowMatches.get('English title', '', '東京')).toBe(1);
  });
});
