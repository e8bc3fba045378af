/**
 * Tag normalisation, shared by the store (what is saved) and the query parser (`tag:`), so a
 * tag typed in any form finds the stored one: Unicode NFC, lower-case, trimmed, inner
 * whitespace collapsed to one space, at most MAX_TAG_CHARS characters.
 */
export const MAX_TAG_CHARS = 100;

/** The stored form of a tag, or null when nothing is left (blank or only control characters). */
export function normalizeTag(tag: string): string | null {
  const cleaned = String(tag)
    .normalize('NFC')
    // Control characters and the snippet markers never belong in a tag.
    .replace(/[\u0000-\u001f\u007f-\u009f\uE000\uE001]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (cleaned === '') return null;
  return Array.from(cleaned).slice(0, MAX_TAG_CHARS).join('').trim();
}

/** Normalises, drops blanks and duplicates, keeps first-seen order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const n = normalizeTag(t);
    if (n !== null) out.add(n);
  }
  return [...out];
}
