/**
 * Reads the schema.org article a page describes in `<script type="application/ld+json">`.
 * Handles the shapes found in the wild: a single object, an array, an `@graph` (Yoast and
 * friends, with authors/publishers given as `{"@id": …}` references), `mainEntity` nesting,
 * and JSON with raw newlines inside strings (invalid JSON, common in `articleBody`).
 */

export interface JsonLdArticle {
  headline: string | null;
  authors: string[];
  datePublished: string | null;
  description: string | null;
  image: string | null;
  publisher: string | null;
  inLanguage: string | null;
  articleBody: string | null;
  url: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ARTICLE_TYPE =
  /^(?:\w*Article|BlogPosting|LiveBlogPosting|SocialMediaPosting|DiscussionForumPosting|Report|ReportageNews)$/;

export function readJsonLdArticle(document: Document): JsonLdArticle | null {
  const objects: JsonObject[] = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json" i]')) {
    const parsed = parseJsonLd(script.textContent ?? '');
    if (parsed !== undefined) collect(parsed, objects, 0);
  }
  const byId = new Map<string, JsonObject>();
  for (const o of objects) if (typeof o['@id'] === 'string') byId.set(o['@id'], o);
  const deref = (v: Json | undefined): Json | undefined => {
    if (isObject(v) && typeof v['@id'] === 'string' && Object.keys(v).length === 1) return byId.get(v['@id']) ?? v;
    return v;
  };

  const article = objects.find((o) => types(o).some((t) => ARTICLE_TYPE.test(t)));
  if (!article) return null;
  return {
    headline: text(article['headline']) ?? text(article['name']),
    authors: list(article['author'])
      .map((a) => deref(a))
      .map((a) => (isObject(a) ? text(a['name']) : text(a)))
      .filter((n): n is string => !!n),
    datePublished: text(article['datePublished']) ?? text(article['dateCreated']),
    description: text(article['description']),
    image: imageUrl(article['image'], deref),
    publisher: nameOf(deref(article['publisher'])),
    inLanguage: text(article['inLanguage']) ?? nameOf(deref(article['inLanguage'])),
    articleBody: text(article['articleBody']),
    url: text(article['url']),
  };
}

function parseJsonLd(raw: string): Json | undefined {
  // CDATA wrappers and HTML comments are common leftovers from old templates.
  const cleaned = raw.replace(/^\s*(?:<!--|<!\[CDATA\[)/, '').replace(/(?:-->|\]\]>)\s*$/, '').trim();
  if (!cleaned) return undefined;
  try {
    return JSON.parse(cleaned) as Json;
  } catch {
    try {
      return JSON.parse(escapeControlCharsInStrings(cleaned)) as Json;
    } catch {
      return undefined;
    }
  }
}

/** Raw control characters are illegal inside JSON strings; escape them, leave the rest alone. */
function escapeControlCharsInStrings(json: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of json) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      else if (ch < ' ') {
        out += ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : ' ';
        continue;
      }
    } else if (ch === '"') inString = true;
    out += ch;
  }
  return out;
}

function collect(value: Json, into: JsonObject[], depth: number): void {
  if (depth > 4) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, depth + 1);
  } else if (isObject(value)) {
    into.push(value);
    if (value['@graph'] !== undefined) collect(value['@graph'], into, depth + 1);
    if (value['mainEntity'] !== undefined) collect(value['mainEntity'], into, depth + 1);
  }
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "@type" as bare names: "NewsArticle", ["Article"], "https://schema.org/BlogPosting". */
function types(o: JsonObject): string[] {
  return list(o['@type'])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.replace(/^(?:https?:\/\/schema\.org\/|schema:)/, ''));
}

function list(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function text(v: Json | undefined): string | null {
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

function nameOf(v: Json | undefined): string | null {
  if (Array.isArray(v)) return nameOf(v[0]);
  return isObject(v) ? text(v['name']) : null;
}

function imageUrl(v: Json | undefined, deref: (v: Json | undefined) => Json | undefined): string | null {
  for (const item of list(v)) {
    const img = deref(item);
    const url = typeof img === 'string' ? text(img) : isObject(img) ? (text(img['url']) ?? text(img['contentUrl'])) : null;
    if (url) return url;
  }
  return null;
}
