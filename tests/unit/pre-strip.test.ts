import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { preStrip } from '../../app/capture/pre-strip.js';
import { rng } from '../helpers/make-capture.js';

/*
 * The oracle is the real HTML parser: removing script and style elements from the parsed DOM
 * must give the same document as parsing preStrip's output (with the same removal applied, so
 * anything preStrip leaves in place is harmless). Each case also pins preStrip's exact output,
 * because the oracle alone cannot tell a scanner that strips nothing from a correct one.
 */
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const parser = new new JSDOM('').window.DOMParser();

/** What the app treats as JSON-LD: metadata-jsonld.ts reads `script[type="application/ld+json" i]`. */
const isJsonLd = (el: Element): boolean => (el.getAttribute('type') ?? '').toLowerCase() === 'application/ld+json';

/**
 * Removes scripts and styles by walking the tree rather than with querySelectorAll: jsdom's
 * selector engine registers listeners on the window for each document it queries, which would
 * keep all 4,000 fuzz documents alive and make each query slower than the last.
 */
function removeScriptsAndStyles(parent: Node): void {
  for (const node of [...parent.childNodes]) {
    if (node.nodeType !== node.ELEMENT_NODE) continue;
    const el = node as Element;
    const drop = el.localName === 'style' ? el.namespaceURI === HTML_NS : el.localName === 'script' && !isJsonLd(el);
    if (drop) {
      el.remove();
      continue;
    }
    removeScriptsAndStyles(el);
    // Template contents are a separate fragment, serialized with the page; preStrip removes
    // scripts from them too.
    if (el.localName === 'template' && el.namespaceURI === HTML_NS) removeScriptsAndStyles((el as HTMLTemplateElement).content);
  }
}

function serialize(doc: Document): string {
  return [...doc.childNodes]
    .map((n) => {
      if (n.nodeType === n.ELEMENT_NODE) return (n as Element).outerHTML;
      if (n.nodeType === n.COMMENT_NODE) return `<!--${(n as Comment).data}-->`;
      if (n.nodeType === n.DOCUMENT_TYPE_NODE) {
        const d = n as DocumentType;
        return `<!DOCTYPE ${d.name} "${d.publicId}" "${d.systemId}">`;
      }
      return '';
    })
    .join('');
}

function parsedWithoutScripts(html: string, ignoreWhitespace: boolean): string {
  const doc = parser.parseFromString(html, 'text/html') as unknown as Document;
  removeScriptsAndStyles(doc);
  const out = serialize(doc);
  return ignoreWhitespace ? out.replace(/\s+/g, '') : out;
}

/**
 * `ignoreWhitespace` is for the fuzz: a removed element can change where the tree builder puts
 * the whitespace around it (not the text or elements): a whitespace-only run next to a script in
 * a `<table>` stays in the table instead of being foster-parented with the text after it, and a
 * newline right after `<pre>` or `<textarea>` is dropped once the script between them is gone.
 */
function expectOracle(html: string, ignoreWhitespace = false): void {
  expect(parsedWithoutScripts(preStrip(html), ignoreWhitespace), `preStrip(${JSON.stringify(html)})`).toBe(
    parsedWithoutScripts(html, ignoreWhitespace),
  );
}

interface Case {
  name: string;
  html: string;
  /** preStrip's exact output. */
  stripped: string;
}

const PAGE = '<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style><script src="a.js"></script></head><body><p>One</p><script>track()</script><p>Two</p></body></html>';

const cases: Case[] = [
  { name: 'plain page', html: PAGE, stripped: '<!DOCTYPE html><html><head><title>T</title></head><body><p>One</p><p>Two</p></body></html>' },
  { name: 'upper-case tags and a space before >', html: '<p>a</p><SCRIPT>x()</Script ><STYLE>b{}</sTyLe\n><p>b</p>', stripped: '<p>a</p><p>b</p>' },
  { name: '> inside quoted attribute values', html: `<p title="a>b" data-x='c>d'>t</p><script data-q="</script>">x</script><p>e</p>`, stripped: `<p title="a>b" data-x='c>d'>t</p><p>e</p>` },
  {
    name: '<script> inside an attribute value, then real content and a real script',
    html: '<a title="<script>">link</a><p>real content</p><script>real()</script><p>end</p>',
    stripped: '<a title="<script>">link</a><p>real content</p><p>end</p>',
  },
  { name: 'textarea content', html: '<textarea><script>t()</script><!--</textarea><script>x()</script>', stripped: '<textarea><script>t()</script><!--</textarea>' },
  { name: 'title content', html: '<title>A <script>t</script> <!-- b</title><script>x()</script><p>c</p>', stripped: '<title>A <script>t</script> <!-- b</title><p>c</p>' },
  { name: 'xmp content', html: '<xmp><script>t</script><!--</xmp><script>x()</script>', stripped: '<xmp><script>t</script><!--</xmp>' },
  { name: 'iframe content', html: '<iframe><!--</iframe><script>x()</script>-->', stripped: '<iframe><!--</iframe>-->' },
  { name: 'noembed content', html: '<noembed><script>t</script><!--</noembed><p>a</p><style>s{}</style>', stripped: '<noembed><script>t</script><!--</noembed><p>a</p>' },
  { name: 'noframes content', html: '<noframes><script>t</script></noframes><script>x</script>', stripped: '<noframes><script>t</script></noframes>' },
  { name: 'a comment containing <script>', html: '<!-- <script>c()</script> --><p>a</p><script>x</script>', stripped: '<!-- <script>c()</script> --><p>a</p>' },
  { name: 'empty comments <!--> and <!--->', html: '<p>a</p><!--><script>a</script><!---><script>b</script><p>c</p>', stripped: '<p>a</p><!--><!---><p>c</p>' },
  { name: 'comment ended by --!>', html: '<!-- a --!><script>x</script><p>b</p>', stripped: '<!-- a --!><p>b</p>' },
  { name: 'a script containing <!-- and -->', html: '<script><!-- if (a) b(); --></script><p>after</p>', stripped: '<p>after</p>' },
  {
    name: 'double-escaped script',
    html: "<script><!-- document.write('<script src=x></script>'); --></script><p>after</p>",
    stripped: '<p>after</p>',
  },
  { name: '<!--> inside a script leaves the escape at once', html: '<script><!--><script></script>x</script><p>y</p>', stripped: 'x</script><p>y</p>' },
  { name: '</scripts> is not an end tag', html: '<script>a = "</scripts>"; b()</script><p>c</p>', stripped: '<p>c</p>' },
  { name: '</script foo=">"> ends at the > after the quoted value', html: '<script>a</script foo=">"><p>b</p>', stripped: '<p>b</p>' },
  { name: 'unterminated script at the end', html: '<p>a</p><script>var s = "<p>never</p>', stripped: '<p>a</p>' },
  { name: 'unterminated style at the end', html: '<p>a</p><style>p { x', stripped: '<p>a</p>' },
  { name: 'unterminated comment at the end', html: '<p>a</p><!-- <script>x</script>', stripped: '<p>a</p><!-- <script>x</script>' },
  { name: 'unterminated attribute value at the end', html: '<p>a</p><script>x</script><a title="<script>', stripped: '<p>a</p><a title="<script>' },
  { name: 'everything after <plaintext> is text', html: '<script>x</script><plaintext><script>y</script>', stripped: '<plaintext><script>y</script>' },
  { name: 'JSON-LD with quoted type is kept', html: '<script type="application/ld+json">{"a":1}</script><script>x</script>', stripped: '<script type="application/ld+json">{"a":1}</script>' },
  { name: 'JSON-LD with unquoted type is kept', html: '<script type=application/ld+json>{"a":1}</script><script>x</script>', stripped: '<script type=application/ld+json>{"a":1}</script>' },
  { name: 'JSON-LD in upper case is kept', html: '<SCRIPT TYPE="APPLICATION/LD+JSON">{}</SCRIPT><script type="text/javascript">x</script>', stripped: '<SCRIPT TYPE="APPLICATION/LD+JSON">{}</SCRIPT>' },
  {
    name: '<noscript> content is kept (its scripts are still scripts: DOMParser parses with scripting off)',
    html: '<noscript><img src="n.png"><p>Enable JS</p><script>n</script></noscript>',
    stripped: '<noscript><img src="n.png"><p>Enable JS</p></noscript>',
  },
  { name: '<svg><style> is a foreign element and stays', html: '<svg><style>.c{fill:red}</style><circle/></svg><style>p{}</style><p>x</p>', stripped: '<svg><style>.c{fill:red}</style><circle/></svg><p>x</p>' },
  { name: '<math><style> stays', html: '<math><style>m{}</style></math><style>p{}</style>', stripped: '<math><style>m{}</style></math>' },
  { name: 'a script in SVG is markup, not raw text (a<b breaks out of SVG)', html: '<svg><script>a<b>c</script></svg><p>d</p>', stripped: '<svg><script>a<b>c</script></svg><p>d</p>' },
  { name: 'a self-closing <svg/> opens no foreign content', html: '<svg/><style>p{}</style><p>a</p>', stripped: '<svg/><p>a</p>' },
  { name: '<svg a=b/> is not self-closing (the / is in the value)', html: '<svg a=b/><style>s{}</style></svg><style>p{}</style>', stripped: '<svg a=b/><style>s{}</style></svg>' },
  {
    name: 'an SVG left open and closed by an HTML end tag: nothing removed from there on',
    html: '<script>a</script><div><svg><path d="M0"></div><textarea><script>x</script></textarea><script>y</script>',
    stripped: '<div><svg><path d="M0"></div><textarea><script>x</script></textarea><script>y</script>',
  },
  { name: '<font> in SVG may or may not break out: nothing removed from there on', html: '<style>a{}</style><svg><font color=red><style>s{}</style>', stripped: '<svg><font color=red><style>s{}</style>' },
  { name: 'a <frameset> document: nothing removed from there on', html: '<script>a</script><frameset><script><frame src=x></script>', stripped: '<frameset><script><frame src=x></script>' },
  { name: '<style> inside <select> is ignored by the tree builder, its text stays', html: '<select><style>s{}</style><option>o</select><style>p{}</style>', stripped: '<select><style>s{}</style><option>o</select>' },
  { name: 'a lone < or a cut-short &amp right before a script keeps it', html: '<p>a <<script>x</script>p b &am<style>s{}</style>p; c</p><script>y</script>', stripped: '<p>a <<script>x</script>p b &am<style>s{}</style>p; c</p>' },
  { name: 'CDATA in SVG', html: '<svg><![CDATA[ <script>x</script> ]]></svg><script>y</script>', stripped: '<svg><![CDATA[ <script>x</script> ]]></svg>' },
  { name: 'scripts inside <template>', html: '<template><p>t</p><script>x</script></template><p>a</p>', stripped: '<template><p>t</p></template><p>a</p>' },
  { name: 'bogus comments <?…>, <!…> and </…> end at the first >', html: '<?xml <script>x</script> ?><!x <script>y</script> ></ <script>z</script> ><p>a</p><script>w</script>', stripped: '<?xml <script>x</script> ?><!x <script>y</script> ></ <script>z</script> ><p>a</p>' },
  { name: 'end tags have attributes too', html: '</p <script>x</script> ><script>y</script><p>a</p>', stripped: '</p <script>x</script> ><p>a</p>' },
  { name: 'a quote opens a value only after =', html: '<a ="><textarea>" ><script>x</script></textarea><script>y</script>', stripped: '<a ="><textarea>" ><script>x</script></textarea>' },
  { name: 'NBSP is not whitespace to the tokenizer (<script\\u00a0> is not a script)', html: '<script\u00a0>x</script><p>y</p><script>z</script>', stripped: '<script\u00a0>x</script><p>y</p>' },
  { name: 'NBSP after = does not make a quote open a value', html: '<a b=\u00a0"><textarea>" ><script>x</script></textarea>', stripped: '<a b=\u00a0"><textarea>" ><script>x</script></textarea>' },
  {
    name: 'İ (two code units when lower-cased) before and inside scripts',
    html: '<p>İstanbul</p><script>var s="' + 'İ'.repeat(12) + '";</script><p>keep me</p><script>x</script><p>İzmir</p>',
    stripped: '<p>İstanbul</p><p>keep me</p><p>İzmir</p>',
  },
  { name: 'script and style anywhere (table, select, after </html>)', html: '<table><script>a</script><tr><td>c<style>s{}</style></td></tr></table><select><script>b</script><option>o</select></html><script>z</script>', stripped: '<table><tr><td>c</td></tr></table><select><option>o</select></html>' },
  { name: 'empty input', html: '', stripped: '' },
  { name: 'input with no <', html: 'just text & more > text', stripped: 'just text & more > text' },
  { name: 'lone < and </ at the end', html: 'a < b <3 <script>x</script></', stripped: 'a < b <3 </' },
];

describe('preStrip against the HTML parser', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(preStrip(c.html)).toBe(c.stripped);
      expectOracle(c.html);
    });
  }

  // JavaScript cannot observe string identity (Object.is compares string values too), so this
  // pins what can be observed: with nothing to strip the input comes back unchanged, from the
  // early return that skips building a copy.
  it('returns its input when there is nothing to strip', () => {
    for (const html of ['', 'no tags', '<p>a</p><!-- <script>x</script> -->', '<script type="application/ld+json">{}</script>', '<textarea><script>x</script></textarea>']) {
      expect(preStrip(html)).toBe(html);
    }
    const built = ['<p>', 'a'.repeat(1000), '</p>'].join('');
    expect(preStrip(built)).toBe(built);
  });
});

describe('preStrip on hostile input finishes (linear scanner; the per-test timeout is the bound)', () => {
  it('200,000 unclosed <a title="', () => {
    const html = '<a title="'.repeat(200_000);
    expect(preStrip(html)).toBe(html);
  });

  it('100,000 <!-- openings', () => {
    const html = '<!--'.repeat(100_000) + '<script>x</script>';
    expect(preStrip(html)).toBe(html); // all one unterminated comment
  });

  it('100,000 <script', () => {
    expect(preStrip('<p>a</p>' + '<script'.repeat(100_000))).toBe('<p>a</p>' + '<script'.repeat(100_000)); // one tag named "script<script…"
    expect(preStrip('<p>a</p>' + '<script '.repeat(100_000))).toBe('<p>a</p>'); // a script tag that never ends
    expect(preStrip('<p>a</p>' + '<script>'.repeat(100_000))).toBe('<p>a</p>'); // a script that never ends
  });

  it('100,000 small scripts with no comment anywhere', () => {
    expect(preStrip('<p>a</p><script>x</script>'.repeat(100_000))).toBe('<p>a</p>'.repeat(100_000));
  });

  it('a script full of <!-- --> pairs and decoy end tags', () => {
    const html = '<script>' + '<!-- a --></scriptx>'.repeat(100_000) + '</script><p>b</p>';
    expect(preStrip(html)).toBe('<p>b</p>');
  });
});

/**
 * Random documents from the tricky pieces above plus ordinary markup. Unterminated pieces (a
 * lone quote, `<!--`, `<script`) make each document's remainder parse differently, which is the
 * point.
 */
const FRAGMENTS = [
  // ordinary markup, weighted up by repetition
  ...Array<string>(6).fill('<p>Some words of text.</p>'),
  ...Array<string>(3).fill('<div class="c">'),
  ...Array<string>(3).fill('</div>'),
  'plain words ', '<a href="/x?a=1&amp;b=2">link</a>', '<img src="a.png" alt="a > b">', '<br>', '<ul><li>one<li>two</ul>',
  '<table><tr><td>cell</td></tr></table>', '<h2>Heading</h2>', '&lt;script&gt;', `<span title='it"s'>q</span>`, '<p>İstanbul</p>',
  '\r\n', '<b>', '</b>', '<select><option>o</select>', '<select><style>s{}</style><option>o</select>', '<frameset>', '<font color=red>',
  // scripts and styles
  ...Array<string>(4).fill('<script>var a = 1 < 2 && b > c;</script>'),
  '<SCRIPT type="text/javascript">x()</Script >', '<script src=x.js></script>', '<script async/>',
  '<style>p > a { color: red }</style>', '<STYLE media="print">b{}</STYLE>', '<script>s="İİİİİİİİİİ"</script>',
  '<script><!-- a --> b</script>', "<script><!-- document.write('<script src=x></script>'); --></script>", '<script><!--><script></script>',
  '<script>a</script foo=">">', '<script\u00a0>nb</script>', '</scripts>', '<scripts>',
  '<script type="application/ld+json">{"@type":"Article"}</script>', '<script type=application/ld+json>{}</script>',
  '<SCRIPT TYPE="APPLICATION/LD+JSON">{}</SCRIPT>', '<noscript><img src=n.png><script>ns</script></noscript>',
  // raw text, comments, declarations
  '<a title="<script>">t</a>', `<div data-x='a>b'>`, '<textarea><script>in textarea</script><!--</textarea>',
  '<title>T <script>x</script></title>', '<xmp><script>x</script></xmp>', '<iframe><script>x</script><!--</iframe>',
  '<noembed><!--<script>x</script></noembed>', '<noframes><script>x</script></noframes>', '<!-- <script>c</script> -->',
  '<!-->', '<!--->', '<!-- a --!>', '<?php echo 1 ?>', '<!DOCTYPE html>', '<!x <script>x</script> >', '</p <script>y</script> >',
  '</ >', '</>', '<a ="><script>q</script>">', '<a b=\u00a0"x">', '<template><script>t</script></template>',
  // foreign content
  '<svg><style>.c{}</style><circle/></svg>', '<svg><script>a()</script></svg>', '<svg/>', '<svg>', '</svg>', '<math><mi>x</mi></math>',
  '<svg><![CDATA[ <script>x</script> ]]></svg>', '<svg><foreignObject><style>f{}</style></foreignObject></svg>',
  // pieces that leave something open
  '"', "'", '<', '>', '<!--', '-->', '<script', '<script>', '</script>', '<style>', '</style>', '<p title="', '<textarea>', '=',
];

/**
 * Each fuzz document starts as real pages do, with `<html><head>` explicit: a script that would
 * otherwise be the first tag opens `<html><head>` implicitly, so without it a comment before the
 * script lands in the document and after it in the head — where the parser puts a comment, not
 * whether the scanner found the script's end.
 */
const PROLOGUE = '<!DOCTYPE html><html><head>';

describe('preStrip fuzz against the HTML parser', () => {
  it('2,000 random documents (seeded) all match the oracle', () => {
    const next = rng(20240606);
    const pick = (): string => FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]!;
    let changed = 0;
    for (let n = 0; n < 2000; n++) {
      const parts = Array.from({ length: 4 + Math.floor(next() * 25) }, pick);
      // <plaintext> swallows the rest: rare, so that most documents test something after it.
      if (next() < 0.02) parts.splice(Math.floor(next() * parts.length), 0, '<plaintext>');
      const html = PROLOGUE + parts.join('');
      expectOracle(html, true);
      if (preStrip(html) !== html) changed++;
    }
    // Guards against a scanner that passes by stripping nothing.
    expect(changed).toBeGreaterThan(1000);
  });
});
