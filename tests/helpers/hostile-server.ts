import type http from 'node:http';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import yazl from 'yazl';
import { startFixtureServer, type FixtureServer, type Route } from './fixture-server.js';
import { SHIFT_JIS_BYTES, WINDOWS_1252_BYTES } from './fixture-pages-encoding.js';
import { pngBytes } from './image-bytes.js';

/**
 * A real HTTP server on 127.0.0.1 that misbehaves on purpose (issue #7 §2): servers that never
 * answer, drip, reset, loop, send endless or decompression-bomb bodies, lie about charsets or
 * content types, nest HTML absurdly deep, and serve articles whose images misbehave the same
 * ways. Built on the fixture server, so tests can add their own routes next to these.
 *
 * Nothing big is ever allocated up front: endless and 50 MB bodies are generated chunk by chunk
 * while the client reads (honouring back-pressure) and stop when the client hangs up, and the
 * gzip bomb is one small compressed member repeated. The server counts requests, bytes it sent
 * and responses still open per path, so a test can check that the client really let go.
 */

/** The hostile pages (each a path on the server). */
export const HOSTILE_PAGES = {
  /** Accepts the connection and the request, then says nothing, ever. */
  never: '/page/never',
  /** Status line and headers at once, then the article one byte per drip interval. */
  drip: '/page/drip',
  /** The status line, then one header line per drip interval; the headers never end. */
  slowHeaders: '/page/slow-headers',
  /** Announces 100 000 bytes, sends part of the article, then a TCP reset. */
  reset: '/page/reset',
  /** Answers with something that is not HTTP (an SSH banner). */
  notHttp: '/page/not-http',
  /** a → b → a with 301s. */
  redirectLoop: '/page/loop-a',
  /** 301 to ?n=N+1, forever: every URL is new, so only the redirect limit ends it. */
  redirectForever: '/page/redirect-forever?n=0',
  /** A 50 MB HTML page (by default), chunked, no Content-Length. */
  huge: '/page/huge',
  /** The same page with its Content-Length announced. */
  hugeDeclared: '/page/huge-declared',
  /** ~1 MB of gzip (Content-Length announced) that inflates to 1 GiB of HTML (by default). */
  gzipBomb: '/page/gzip-bomb',
  /** About 100 bytes of brotli (Content-Length announced) that inflate to 64 MB of HTML (by default). */
  brotliBomb: '/page/brotli-bomb',
  /** Header says UTF-8; the bytes are Shift_JIS and nothing else declares anything. */
  charsetShiftJisAsUtf8: '/page/charset-sjis-as-utf8',
  /** Header says UTF-8; the bytes are Shift_JIS and a <meta charset=Shift_JIS> says so. */
  charsetShiftJisMeta: '/page/charset-sjis-meta',
  /** Header says UTF-8; the bytes and a <meta> are windows-1252. */
  charset1252AsUtf8: '/page/charset-1252-as-utf8',
  /** A UTF-8 BOM, a header saying windows-1252 and a <meta> saying Shift_JIS: the BOM is right. */
  charsetContradiction: '/page/charset-contradiction',
  /** PNG bytes labelled text/html. */
  pngAsHtml: '/page/png-as-html',
  /** A zip archive labelled text/html. */
  zipAsHtml: '/page/zip-as-html',
  /** The article inside 10 000 nested <div>s (by default). */
  deepNesting: '/page/deep-nesting',
  /** A 5 MB (by default) page that is one single line: one paragraph, no newline anywhere. */
  longLine: '/page/long-line',
  /** An article whose images are HTML error pages served as image/png (and one real PNG). */
  htmlImages: '/page/article-html-images',
  /** An article with an image that never stops sending (and one real PNG). */
  endlessImage: '/page/article-endless-image',
  /** An article with an image that drips one byte per interval (and one real PNG). */
  dripImage: '/page/article-drip-image',
  /** An article with every hostile image at once (and one real PNG). */
  allBadImages: '/page/article-all-bad-images',
} as const;

/** The images the article pages above reference. */
export const HOSTILE_IMAGES = {
  good: '/img/good.png',
  htmlAsPng: '/img/html-as-png.png',
  htmlAsPng2: '/img/error-page.png',
  endless: '/img/endless.png',
  drip: '/img/drip.png',
  never: '/img/never.png',
  reset: '/img/reset.png',
  loop: '/img/loop-a.png',
  gzipBomb: '/img/gzip-bomb.png',
} as const;

/** A real 16×12 PNG, the one good image on every hostile article page. */
export const GOOD_PNG = pngBytes(16, 12, [30, 120, 200]);

export const ARTICLE_TITLE = 'Keeping bees on a city rooftop';
/** The article's prose: long enough for Readability, distinctive enough to assert on. */
export const ARTICLE_PARAGRAPHS: readonly string[] = [
  'The first hive arrived on the roof of our apartment building in a borrowed van, wrapped in a bedsheet and humming like a small engine. None of us had kept bees before, and the building manager agreed only after we promised that the colony would be gone at the first complaint.',
  'Bees in a city forage much further than people expect. On a warm afternoon our workers were found on lime trees in the park two kilometres away, on the lavender outside the library, and on the window boxes of a restaurant whose owner now claims a share of every harvest.',
  'The roof itself turned out to be the hardest part. Wind funnels between tall buildings, and a hive facing the wrong way loses heat all winter. We built a windbreak from pallets and turned the entrance towards the morning sun, which the bees rewarded by flying an hour earlier each day.',
  'Swarming season taught us humility. One Saturday in May half the colony poured out of the hive and settled on a lamp post above the bus stop, where a crowd gathered to watch two nervous amateurs in veils coax ten thousand insects into a cardboard box.',
  'By September the hive had filled four frames of honey the colour of dark amber, tasting faintly of mint and linden. We left most of it for the bees, jarred the rest, and gave a jar to every neighbour who had put up with the buzzing, the veils and the occasional sting.',
  'What we would tell anyone starting out is simple: find a mentor, inspect the hive every week in summer, and never open it on a cold or windy day. The bees will forgive a great many mistakes, but they do not forgive being chilled.',
];
/** One sentence from the article, for "the prose survived" assertions. */
export const ARTICLE_SENTINEL = 'Swarming season taught us humility.';

export interface ArticleOptions {
  title?: string;
  /** Extra markup for <head>. */
  head?: string;
  /** Markup placed after the second paragraph of the article (images, payloads…). */
  inside?: string;
  /** Markup around the <article> element, e.g. thousands of nested <div>s. */
  wrap?: readonly [open: string, close: string];
}

/** A realistic article page: a header, nav and footer around several paragraphs of prose. */
export function articleHtml(options: ArticleOptions = {}): string {
  const title = options.title ?? ARTICLE_TITLE;
  const [open, close] = options.wrap ?? ['', ''];
  const paras = ARTICLE_PARAGRAPHS.map((p) => `<p>${p}</p>`);
  paras.splice(2, 0, options.inside ?? '');
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title} | Rooftop Notes</title>${options.head ?? ''}</head>` +
    '<body><header><a href="/">Rooftop Notes</a><nav><a href="/about">About</a> <a href="/archive">Archive</a></nav></header>' +
    `${open}<article><h1>${title}</h1><p class="byline">By Sam Okafor</p>${paras.join('\n')}</article>${close}` +
    '<footer><p>© Rooftop Notes. All rights reserved.</p></footer></body></html>'
  );
}

export interface HostileServerOptions {
  /** Interval of the dripping routes. Default 1000 ms (1 byte/s). */
  dripIntervalMs?: number;
  /** Size of the huge page. Default 50 MB. */
  hugeBytes?: number;
  /** What the gzip bomb inflates to. Default 1 GiB. */
  gzipBombBytes?: number;
  /** What the brotli bomb inflates to. Default 64 MB (compressed once in the background at start, ≈150 ms). */
  brotliBombBytes?: number;
  /** Depth of the nested-divs page. Default 10 000. */
  nestingDepth?: number;
  /** Size of the single-line page. Default 5 MB. */
  longLineBytes?: number;
}

export interface PathTraffic {
  requests: number;
  /** Body bytes the server handed to the socket (what the kernel accepted). */
  bytesSent: number;
  /** Responses on this path whose connection is still open. */
  open: number;
}

export interface HostileServer extends FixtureServer {
  /** Traffic on one path (query string ignored), summed over all requests. */
  traffic(path: string): PathTraffic;
  /** Hostile responses (all paths) whose connection is still open. */
  openResponses(): number;
  /** Resolves true once every hostile response is closed, false if some are still open after `withinMs`. */
  settle(withinMs: number): Promise<boolean>;
}

const MB = 1024 * 1024;

export async function startHostileServer(options: HostileServerOptions = {}): Promise<HostileServer> {
  const dripMs = options.dripIntervalMs ?? 1000;
  const hugeBytes = options.hugeBytes ?? 50 * MB;
  const bombBytes = options.gzipBombBytes ?? 1024 * MB;
  const brotliBombBytes = options.brotliBombBytes ?? 64 * MB;
  const depth = options.nestingDepth ?? 10_000;
  const longLineBytes = options.longLineBytes ?? 5 * MB;

  const stats = new Map<string, PathTraffic>();
  let open = 0;
  const statsOf = (path: string): PathTraffic => {
    const key = path.split('?')[0]!;
    let s = stats.get(key);
    if (!s) stats.set(key, (s = { requests: 0, bytesSent: 0, open: 0 }));
    return s;
  };

  /** Wraps a handler so its traffic is counted and its open responses tracked. */
  const tracked =
    (handler: (req: http.IncomingMessage, res: http.ServerResponse, sent: (n: number) => void) => void | Promise<void>): Route =>
    (req, res) => {
      const s = statsOf(req.url ?? '/');
      s.requests++;
      s.open++;
      open++;
      let closed = false;
      const onClose = () => {
        if (closed) return;
        closed = true;
        s.open--;
        open--;
      };
      res.once('close', onClose);
      req.socket.once('close', onClose);
      return handler(req, res, (n) => (s.bytesSent += n));
    };

  const routes: Record<string, Route> = {};
  const page = (name: keyof typeof HOSTILE_PAGES) => HOSTILE_PAGES[name].split('?')[0]!;
  const articleBytes = Buffer.from(articleHtml());

  routes[page('never')] = tracked(() => new Promise<void>(() => {}));

  routes[page('drip')] = tracked((_req, res, sent) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    drip(res, articleBytes, dripMs, sent);
  });

  routes[page('slowHeaders')] = tracked((req, _res, sent) => {
    const socket = req.socket;
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n');
    let n = 0;
    const timer = setInterval(() => {
      const line = `X-Still-Thinking-${n++}: yes\r\n`;
      sent(line.length);
      socket.write(line);
    }, dripMs);
    socket.once('close', () => clearInterval(timer));
  });

  routes[page('reset')] = tracked((req, res, sent) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '100000' });
    const part = articleBytes.subarray(0, 1500);
    sent(part.length);
    // A real RST, not a polite FIN: what a crashing server or a middlebox sends.
    res.write(part, () => req.socket.resetAndDestroy());
  });

  routes[page('notHttp')] = tracked((req, _res, sent) => {
    const banner = 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n';
    sent(banner.length);
    req.socket.end(banner);
  });

  routes['/page/loop-a'] = tracked((_req, res) => redirect(res, 301, '/page/loop-b'));
  routes['/page/loop-b'] = tracked((_req, res) => redirect(res, 301, '/page/loop-a'));
  routes[page('redirectForever')] = tracked((req, res) => {
    const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? 0);
    redirect(res, 301, `/page/redirect-forever?n=${n + 1}`);
  });

  const hugePrefix = Buffer.from(`<!DOCTYPE html><html><head><title>${ARTICLE_TITLE}</title></head><body><article>`);
  const hugeFiller = Buffer.from(ARTICLE_PARAGRAPHS.map((p) => `<p>${p}</p>\n`).join(''));
  routes[page('huge')] = tracked((_req, res, sent) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    stream(res, lazyBody(hugePrefix, hugeFiller, hugeBytes), sent);
  });
  routes[page('hugeDeclared')] = tracked((_req, res, sent) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(hugeBytes) });
    stream(res, lazyBody(hugePrefix, hugeFiller, hugeBytes), sent);
  });

  let gzipBomb: Buffer | null = null;
  const bomb = () => (gzipBomb ??= gzipBombBody(hugePrefix, bombBytes));
  routes[page('gzipBomb')] = tracked((_req, res, sent) => {
    const body = bomb();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'content-length': String(body.length) });
    sent(body.length);
    res.end(body);
  });

  // Compressed in the background from the start, so no case pays for it.
  const brotliBomb = brotliBombBody(hugePrefix, brotliBombBytes);
  brotliBomb.catch(() => {}); // a failure surfaces as a 500 from the route
  routes[page('brotliBomb')] = tracked(async (_req, res, sent) => {
    const body = await brotliBomb;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br', 'content-length': String(body.length) });
    sent(body.length);
    res.end(body);
  });

  const prose = ARTICLE_PARAGRAPHS.map((p) => `<p>${p}</p>`).join('');
  const legacyPage = (head: string, bytes: readonly number[]) =>
    Buffer.concat([
      Buffer.from(`<!DOCTYPE html><html><head>${head}<title>${ARTICLE_TITLE}</title></head><body><article><h1>${ARTICLE_TITLE}</h1>${prose}<p>`, 'latin1'),
      Buffer.from(bytes),
      Buffer.from('</p></article></body></html>', 'latin1'),
    ]);
  const utf8Header = { 'content-type': 'text/html; charset=utf-8' };
  routes[page('charsetShiftJisAsUtf8')] = fixed(tracked, 200, utf8Header, legacyPage('', SHIFT_JIS_BYTES));
  routes[page('charsetShiftJisMeta')] = fixed(tracked, 200, utf8Header, legacyPage('<meta charset="Shift_JIS">', SHIFT_JIS_BYTES));
  routes[page('charset1252AsUtf8')] = fixed(
    tracked,
    200,
    utf8Header,
    legacyPage('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', WINDOWS_1252_BYTES),
  );
  routes[page('charsetContradiction')] = fixed(
    tracked,
    200,
    { 'content-type': 'text/html; charset=windows-1252' },
    Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(articleHtml({ head: '<meta charset="Shift_JIS">', inside: '<p>Grüße aus 東京 — “quoted” €5</p>' })),
    ]),
  );

  routes[page('pngAsHtml')] = fixed(tracked, 200, { 'content-type': 'text/html; charset=utf-8' }, Buffer.from(GOOD_PNG));
  let zip: Promise<Buffer> | null = null;
  routes[page('zipAsHtml')] = tracked(async (_req, res, sent) => {
    const body = await (zip ??= zipArchive());
    res.writeHead(200, { 'content-type': 'text/html' });
    sent(body.length);
    res.end(body);
  });

  routes[page('deepNesting')] = fixed(
    tracked,
    200,
    utf8Header,
    Buffer.from(articleHtml({ wrap: ['<div>'.repeat(depth), '</div>'.repeat(depth)] })),
  );

  routes[page('longLine')] = tracked((_req, res, sent) => {
    const head = `<!DOCTYPE html><html><head><title>${ARTICLE_TITLE}</title></head><body><article><h1>${ARTICLE_TITLE}</h1><p>`;
    const tail = '</p></article></body></html>';
    const words = ARTICLE_PARAGRAPHS.join(' ') + ' ';
    const fill = longLineBytes - head.length - tail.length;
    const body = Buffer.from(head + words.repeat(Math.ceil(fill / words.length)).slice(0, fill) + tail);
    res.writeHead(200, { ...utf8Header, 'content-length': String(body.length) });
    sent(body.length);
    res.end(body);
  });

  // Article pages whose images misbehave.
  const img = (path: string, alt: string) => `<figure><img src="${path}" alt="${alt}"><figcaption>${alt}</figcaption></figure>`;
  const good = img(HOSTILE_IMAGES.good, 'The hive on the roof');
  const articleWith = (inside: string) => fixed(tracked, 200, utf8Header, Buffer.from(articleHtml({ inside })));
  routes[page('htmlImages')] = articleWith(good + img(HOSTILE_IMAGES.htmlAsPng, 'A frame of honey') + img(HOSTILE_IMAGES.htmlAsPng2, 'The swarm'));
  routes[page('endlessImage')] = articleWith(good + img(HOSTILE_IMAGES.endless, 'The windbreak'));
  routes[page('dripImage')] = articleWith(good + img(HOSTILE_IMAGES.drip, 'The veils'));
  routes[page('allBadImages')] = articleWith(
    good +
      [HOSTILE_IMAGES.htmlAsPng, HOSTILE_IMAGES.endless, HOSTILE_IMAGES.drip, HOSTILE_IMAGES.never, HOSTILE_IMAGES.reset, HOSTILE_IMAGES.loop, HOSTILE_IMAGES.gzipBomb]
        .map((p, i) => img(p, `Figure ${i + 2}`))
        .join(''),
  );

  routes[HOSTILE_IMAGES.good] = fixed(tracked, 200, { 'content-type': 'image/png' }, Buffer.from(GOOD_PNG));
  const errorPage = Buffer.from('<!DOCTYPE html><html><head><title>Error</title></head><body><h1>502 Bad Gateway</h1></body></html>');
  routes[HOSTILE_IMAGES.htmlAsPng] = fixed(tracked, 200, { 'content-type': 'image/png' }, errorPage);
  routes[HOSTILE_IMAGES.htmlAsPng2] = fixed(tracked, 200, { 'content-type': 'image/png' }, Buffer.from(articleHtml({ title: 'Log in' })));
  const pngHead = Buffer.from(GOOD_PNG.subarray(0, 33)); // signature + IHDR: looks like a PNG is coming
  routes[HOSTILE_IMAGES.endless] = tracked((_req, res, sent) => {
    res.writeHead(200, { 'content-type': 'image/png' }); // chunked, no length
    stream(res, lazyBody(pngHead, Buffer.alloc(64 * 1024, 0x5a), Number.POSITIVE_INFINITY), sent);
  });
  routes[HOSTILE_IMAGES.drip] = tracked((_req, res, sent) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(GOOD_PNG.length) });
    drip(res, Buffer.from(GOOD_PNG), dripMs, sent);
  });
  routes[HOSTILE_IMAGES.never] = tracked(() => new Promise<void>(() => {}));
  routes[HOSTILE_IMAGES.reset] = tracked((req, res, sent) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(GOOD_PNG.length * 10) });
    sent(GOOD_PNG.length);
    res.write(GOOD_PNG, () => req.socket.resetAndDestroy());
  });
  routes['/img/loop-a.png'] = tracked((_req, res) => redirect(res, 302, '/img/loop-b.png'));
  routes['/img/loop-b.png'] = tracked((_req, res) => redirect(res, 302, '/img/loop-a.png'));
  routes[HOSTILE_IMAGES.gzipBomb] = tracked((_req, res, sent) => {
    const body = bomb();
    res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip', 'content-length': String(body.length) });
    sent(body.length);
    res.end(body);
  });

  const base = await startFixtureServer(routes);
  return {
    ...base,
    traffic: (path) => ({ ...statsOf(path) }),
    openResponses: () => open,
    settle: async (withinMs) => {
      const deadline = Date.now() + withinMs;
      while (open > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return open === 0;
    },
  };
}

function redirect(res: http.ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-type': 'text/html' });
  res.end(`<p>Moved to <a href="${location}">${location}</a></p>`);
}

function fixed(
  tracked: (h: (req: http.IncomingMessage, res: http.ServerResponse, sent: (n: number) => void) => void) => Route,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): Route {
  return tracked((_req, res, sent) => {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    sent(body.length);
    res.end(body);
  });
}

/** Writes `body` one byte per `intervalMs` until it is done or the client hangs up. */
function drip(res: http.ServerResponse, body: Buffer, intervalMs: number, sent: (n: number) => void): void {
  let i = 0;
  const timer = setInterval(() => {
    if (i >= body.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    sent(1);
    res.write(body.subarray(i, ++i));
  }, intervalMs);
  res.once('close', () => clearInterval(timer));
}

/** `prefix`, then `filler` repeated until `total` bytes (Infinity: forever), made on demand. */
function lazyBody(prefix: Buffer, filler: Buffer, total: number): Readable {
  let produced = 0;
  return new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (produced >= total) return void this.push(null);
      const next = produced === 0 ? prefix : filler;
      const chunk = next.subarray(0, Math.min(next.length, total - produced));
      produced += chunk.length;
      this.push(chunk);
    },
  });
}

/** Pipes a lazy body into the response, counting what was written, stopping when the client leaves. */
function stream(res: http.ServerResponse, body: Readable, sent: (n: number) => void): void {
  body.on('data', (chunk: Buffer) => sent(chunk.length));
  pipeline(body, res, () => body.destroy());
}

/**
 * A gzip body that inflates to `total` bytes: gzip allows several members back to back, and
 * every decoder (Node's included) inflates them all, so one 1 MB member (≈1 KB compressed) is
 * repeated instead of compressing a gigabyte.
 */
function gzipBombBody(prefix: Buffer, total: number): Buffer {
  const memberSize = MB;
  const member = zlib.gzipSync(Buffer.alloc(memberSize, ' '), { level: 9 });
  const members = Math.max(1, Math.ceil((total - prefix.length) / memberSize));
  return Buffer.concat([zlib.gzipSync(prefix), ...Array.from({ length: members }, () => member)]);
}

/** Brotli of `prefix` + spaces up to `total` bytes, compressed from a lazy stream (never held inflated). */
function brotliBombBody(prefix: Buffer, total: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const brotli = zlib.createBrotliCompress({
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: total },
    });
    brotli.on('data', (c: Buffer) => chunks.push(c));
    pipeline(lazyBody(prefix, Buffer.alloc(MB, ' '), total), brotli, (err) => (err ? reject(err) : resolve(Buffer.concat(chunks))));
  });
}

/** A small real zip archive (one text file). */
function zipArchive(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(ARTICLE_PARAGRAPHS.join('\n\n')), 'article.txt');
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
