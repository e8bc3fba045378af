import { createHash } from 'node:crypto';
import { assetUrl, type Capture, type CapturedImage, type ImageBlob } from '../../app/core/types.js';
import { pngBytes } from './image-bytes.js';

/**
 * Realistic Capture objects and image blobs for store tests, deterministic from a seed: English
 * prose from a fixed vocabulary (with inflections, so stemming matters), sanitized-looking HTML
 * that references its images as folio-asset:<sha256>, real PNG bytes, plausible metadata.
 */
export interface MakeCaptureOptions extends Partial<Capture> {
  /** Same seed → same capture. Default 1. */
  seed?: number;
  /** How many distinct images to make (default 1). Pass `blobs` to reuse existing ones. */
  imageCount?: number;
  /** Use these images instead of making new ones (to share images between articles). */
  blobs?: ImageBlob[];
  /** Words of body text (default 300). */
  words?: number;
  /** Host of the generated URL (default example.com). */
  host?: string;
}

export interface MadeCapture {
  capture: Capture;
  blobs: ImageBlob[];
}

/** A small seeded PRNG (mulberry32): reproducible without a dependency. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = (
  'the of and to in is was for on that with as by at from this be are it an or which have has had not but ' +
  'archive archives archived archiving library libraries reader readers reading read article articles page pages ' +
  'search searching searched index indexes indexing query queries database databases table tables record records ' +
  'network networks server servers browser browsers window windows garden gardens gardening river rivers mountain ' +
  'mountains city cities village villages history historical museum museums painting paintings music musical ' +
  'kitchen recipe recipes cooking cooked bread baking baked coffee tea morning evening winter summer spring autumn ' +
  'journey journeys travel travelled travelling train trains station stations bridge bridges harbour ship ships ' +
  'science scientist scientists experiment experiments theory theories measure measured measurement energy climate ' +
  'ocean oceans forest forests animal animals bird birds language languages writer writers writing wrote story ' +
  'stories chapter chapters editor editors publish published publishing newspaper magazine letter letters ' +
  'develop developer developers developing software program programs programming compiler compilers memory ' +
  'design designed designer simple complex quiet bright ancient modern careful slow quick large small green'
).split(' ');

/** Deterministic English-like prose: `words` words in paragraphs separated by blank lines. */
export function generateText(seed: number, words: number): string {
  const next = rng(seed);
  const paragraphs: string[] = [];
  let sentence: string[] = [];
  let paragraph: string[] = [];
  for (let i = 0; i < words; i++) {
    sentence.push(VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
    if (sentence.length >= 6 + Math.floor(next() * 10) || i === words - 1) {
      const s = sentence.join(' ');
      paragraph.push(`${s[0]!.toUpperCase()}${s.slice(1)}.`);
      sentence = [];
      if (paragraph.length >= 4 || i === words - 1) {
        paragraphs.push(paragraph.join(' '));
        paragraph = [];
      }
    }
  }
  return paragraphs.join('\n\n');
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A real PNG whose colour (hence bytes and hash) depends on the seed. */
export function makeImageBlob(seed: number): ImageBlob {
  const next = rng(seed * 7919 + 17);
  const data = pngBytes(2 + (seed % 5), 2, [Math.floor(next() * 256), Math.floor(next() * 256), Math.floor(next() * 256)]);
  return { sha256: sha256Hex(data), type: 'image/png', data };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Builds `html` and `text` from paragraphs, with the images placed after the first paragraph. */
export function articleHtml(text: string, images: readonly CapturedImage[]): string {
  const paragraphs = text.split(/\n\n+/).map((p) => `<p>${escapeHtml(p)}</p>`);
  const figures = images
    .filter((img): img is Extract<CapturedImage, { sha256: string }> => 'sha256' in img)
    .map((img) => `<figure><img src="${assetUrl(img.sha256)}" alt=""></figure>`);
  return `<article>${[paragraphs[0] ?? '', ...figures, ...paragraphs.slice(1)].join('\n')}</article>`;
}

export function makeCapture(opts: MakeCaptureOptions = {}): MadeCapture {
  const { seed = 1, imageCount = 1, words = 300, host = 'example.com', blobs: givenBlobs, ...given } = opts;
  // `text: undefined` means "generate it", not "no text": only defined overrides count.
  const overrides = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Capture>;
  const next = rng(seed);
  const pick = () => VOCABULARY[20 + Math.floor(next() * (VOCABULARY.length - 20))]!;
  const titleWords = [pick(), pick(), pick(), pick()];
  const title = overrides.title ?? titleWords.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
  const slug = titleWords.join('-');
  const url = overrides.url ?? `https://${host}/articles/${slug}-${seed}`;
  const blobs = givenBlobs ?? Array.from({ length: imageCount }, (_, i) => makeImageBlob(seed * 100 + i));
  const images: CapturedImage[] =
    overrides.images ??
    blobs.map((b, i) => ({ url: `https://${host}/images/${seed}-${i}.png`, sha256: b.sha256, type: b.type, bytes: b.data.byteLength }));
  const text = overrides.text ?? generateText(seed, words);
  const html = overrides.html ?? articleHtml(text, images);
  const published = new Date(Date.UTC(2020, 0, 1) + Math.floor(next() * 4 * 365) * 86_400_000).toISOString();
  const wordCount = text.split(/\s+/).filter(Boolean).length;
  const firstImage = images.find((i): i is Extract<CapturedImage, { sha256: string }> => 'sha256' in i);
  const capture: Capture = {
    title,
    byline: `Writer ${seed % 17}`,
    siteName: `The ${host.split('.')[0]} Journal`,
    publishedTime: published,
    lang: 'en',
    dir: 'ltr',
    excerpt: text.slice(0, 140),
    leadImage: firstImage ? assetUrl(firstImage.sha256) : null,
    canonicalUrl: url,
    html,
    text,
    wordCount,
    readingMinutes: Math.max(1, Math.round(wordCount / 230)),
    extractor: 'readability',
    warnings: [],
    input: url,
    url,
    finalUrl: url,
    images,
    rendered: false,
    originalHtml: `<!doctype html><html lang="en"><head><title>${escapeHtml(title)}</title></head><body><header>${escapeHtml(
      host,
    )}</header>${html}<footer>© ${host}</footer></body></html>`,
    fetchedAt: '2024-06-01T12:00:00.000Z',
    ...overrides,
  };
  return { capture, blobs };
}
