/**
 * Turns a page's byline ("By Jane Doe and John Smith", "Reuters Staff", "Doe, Jane") into
 * author names for citations and front matter. Bylines are free text, so this is a careful
 * heuristic: anything that does not look like a person's name is kept whole as a literal.
 */
export type AuthorName = { given: string; family: string } | { literal: string };

const LEAD_IN = /^\s*(?:(?:written|words|text|story|reporting|posted|published)\s+)?by[:\s]+/i;
const SEPARATORS = /\s*(?:;|&|\band\b|\bund\b|\bet\b|\bwith\b|·|\||\n)\s*/i;
const ORGANISATION =
  /\b(?:staff|team|editors?|editorial|board|desk|newsroom|inc|ltd|llc|gmbh|corp|company|press|news|agency|association|foundation|university|institute|council|committee|department|office|group|media|times|post|journal|magazine|reuters|bbc|cnn|contributors?|admin|guest)\b/i;
/** Name particles that belong to the family name (Ludwig van Beethoven → "van Beethoven"). */
const PARTICLES = new Set(['van', 'von', 'de', 'der', 'den', 'da', 'di', 'du', 'del', 'della', 'des', 'la', 'le', 'ter', 'ten', 'bin', 'al', 'el', 'dos', 'das']);
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

export function splitByline(byline: string | null | undefined): AuthorName[] {
  if (!byline) return [];
  let text = byline.normalize('NFC').replace(/\s+/g, ' ').trim().replace(LEAD_IN, '');
  // Trailing credits: "Jane Doe | The Paper", "Jane Doe - Staff Writer" keep only the names part.
  text = text.replace(/\s+[-–—]\s+.*$/, '').replace(/https?:\/\/\S+|\S+@\S+\.\S+|(?:^|\s)@\w+/g, ' ').trim();
  if (!text) return [];
  const parts = commaParts(text).flatMap((p) => p.split(SEPARATORS)).map((p) => p.trim().replace(/^by\s+/i, '')).filter(Boolean);
  return dedupe(parts.map(toAuthor));
}

/** Display names, e.g. for YAML front matter's `author:` list. */
export function authorDisplayNames(byline: string | null | undefined): string[] {
  return splitByline(byline).map((a) => ('literal' in a ? a.literal : `${a.given} ${a.family}`.trim()));
}

/** "Doe, Jane" (one person, family first) stays whole; "Jane Doe, John Smith" splits on commas. */
function commaParts(text: string): string[] {
  const parts = text.split(/\s*,\s*/);
  if (parts.length === 2 && parts.every((p) => /^[\p{L}.'-]+$/u.test(p)) && !SEPARATORS.test(text)) return [text];
  return parts;
}

function toAuthor(name: string): AuthorName {
  const inverted = /^([\p{L}.'-]+),\s*([\p{L}.'-]+)$/u.exec(name);
  if (inverted) return { family: inverted[1]!, given: inverted[2]! };
  const words = name.split(' ');
  if (ORGANISATION.test(name) || UNSPACED_SCRIPT.test(name) || words.length < 2 || words.length > 4 || /\d/.test(name)) {
    return { literal: name };
  }
  let familyStart = words.length - 1;
  while (familyStart > 1 && PARTICLES.has(words[familyStart - 1]!.toLowerCase())) familyStart--;
  return { given: words.slice(0, familyStart).join(' '), family: words.slice(familyStart).join(' ') };
}

function dedupe(authors: AuthorName[]): AuthorName[] {
  const seen = new Set<string>();
  return authors.filter((a) => {
    const key = JSON.stringify(a).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
