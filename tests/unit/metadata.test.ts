import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../app/capture/extract.js';
import { readJsonLdArticle } from '../../app/capture/metadata-jsonld.js';
import { dirFromLang, normalizeLang, readPageMetadata, stripSiteName, toIsoDate } from '../../app/capture/metadata.js';

const PAGE = 'https://news.example/2024/story';
const doc = (html: string): Document => new JSDOM(html, { url: PAGE }).window.document;
const metaOf = (html: string) => {
  const d = doc(html);
  return readPageMetadata(d, PAGE, readJsonLdArticle(d));
};
const ld = (json: string): string => `<script type="application/ld+json">${json}</script>`;

describe('toIsoDate', () => {
  it.each([
    ['2024-03-05T09:30:00-05:00', '2024-03-05T14:30:00.000Z'],
    ['2024-03-05T09:30:00.123+0530', '2024-03-05T04:00:00.123Z'],
    ['2024-03-05T09:30:00Z', '2024-03-05T09:30:00.000Z'],
    ['2024-03-05T09:30:00', '2024-03-05T09:30:00.000Z'], // no zone: read as UTC, not local time
    ['2024-03-05 09:30', '2024-03-05T09:30:00.000Z'],
    ['2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['2024/3/5', '2024-03-05T00:00:00.000Z'],
    ['Tue, 05 Mar 2024 09:30:00 GMT', '2024-03-05T09:30:00.000Z'],
    ['Tue, 05 Mar 2024 09:30:00 +0100', '2024-03-05T08:30:00.000Z'],
    ['March 5, 2024', '2024-03-05T00:00:00.000Z'],
  ])('%s → %s', (input, iso) => {
    expect(toIsoDate(input)).toBe(iso);
  });

  it.each(['', '   ', 'yesterday', 'not a date', '0000-00-00', '1066-10-14'])('rejects %j', (input) => {
    expect(toIsoDate(input)).toBeNull();
  });
});

describe('JSON-LD', () => {
  it('reads an article from a Yoast-style @graph, following @id references', () => {
    const d = doc(
      ld(`{"@context":"https://schema.org","@graph":[
        {"@type":"WebPage","@id":"${PAGE}#page","datePublished":"2020-01-01"},
        {"@type":"Person","@id":"${PAGE}#/person/1","name":"Ada Byrne"},
        {"@type":"Organization","@id":"${PAGE}#org","name":"News Example"},
        {"@type":"ImageObject","@id":"${PAGE}#img","url":"https://news.example/lead.jpg"},
        {"@type":["Article","NewsArticle"],"headline":"Graph headline","author":[{"@id":"${PAGE}#/person/1"}],
         "publisher":{"@id":"${PAGE}#org"},"image":{"@id":"${PAGE}#img"},"datePublished":"2024-02-01T08:00:00+01:00","inLanguage":"en-GB"}]}`),
    );
    expect(readJsonLdArticle(d)).toEqual({
      headline: 'Graph headline',
      authors: ['Ada Byrne'],
      datePublished: '2024-02-01T08:00:00+01:00',
      description: null,
      image: 'https://news.example/lead.jpg',
      publisher: 'News Example',
      inLanguage: 'en-GB',
      articleBody: null,
      url: null,
    });
  });

  it('skips unparseable and non-article blocks and recovers raw newlines inside strings', () => {
    const d = doc(
      ld('{ this is not json') +
        ld('{"@type":"BreadcrumbList","itemListElement":[]}') +
        ld('<!--\n{"@type":"http://schema.org/BlogPosting","headline":"Recovered","articleBody":"line one\nline two\ttabbed"}\n-->'),
    );
    const article = readJsonLdArticle(d);
    expect(article?.headline).toBe('Recovered');
    expect(article?.articleBody).toBe('line one\nline two\ttabbed');
  });

  it('finds an article nested as mainEntity and authors given as plain strings', () => {
    const d = doc(ld('{"@type":"WebPage","mainEntity":{"@type":"ReportageNews","headline":"Nested","author":["Kim Lee","Sam Ortiz"]}}'));
    expect(readJsonLdArticle(d)).toMatchObject({ headline: 'Nested', authors: ['Kim Lee', 'Sam Ortiz'] });
  });

  it('returns null when there is no article', () => {
    expect(readJsonLdArticle(doc(ld('{"@type":"Product","name":"Lamp"}')))).toBeNull();
    expect(readJsonLdArticle(doc('<p>no json-ld</p>'))).toBeNull();
  });
});

describe('page metadata', () => {
  it('prefers JSON-LD over meta tags and markup for the publication date', () => {
    const m = metaOf(
      `<head><meta property="article:published_time" content="2023-01-01T00:00:00Z">${ld('{"@type":"NewsArticle","datePublished":"2024-05-06T07:08:09Z"}')}</head><body><time datetime="2022-01-01">x</time></body>`,
    );
    expect(m.publishedTime).toBe('2024-05-06T07:08:09.000Z');
  });

  it.each([
    ['<meta property="article:published_time" content="2024-01-02T03:04:05Z">', '2024-01-02T03:04:05.000Z'],
    ['<meta name="parsely-pub-date" content="2024-01-03T00:00:00Z">', '2024-01-03T00:00:00.000Z'],
    ['<meta name="DC.date.issued" content="2024-01-04">', '2024-01-04T00:00:00.000Z'],
    ['<meta name="sailthru.date" content="Fri, 05 Jan 2024 10:00:00 GMT">', '2024-01-05T10:00:00.000Z'],
    ['<span itemprop="datePublished" datetime="2024-01-06T00:00:00Z"></span>', '2024-01-06T00:00:00.000Z'],
    ['<header><time datetime="2000-01-01">site clock</time></header><article><time datetime="2024-01-07T12:00:00Z">7 Jan</time></article>', '2024-01-07T12:00:00.000Z'],
    ['<time datetime="2024-01-08">8 Jan</time>', '2024-01-08T00:00:00.000Z'],
    ['<meta name="date" content="garbage"><p>no date</p>', null],
  ])('reads the publication date from %s', (html, iso) => {
    expect(metaOf(html).publishedTime).toBe(iso);
  });

  it('reads lang from <html lang>, then Content-Language, then og:locale', () => {
    expect(metaOf('<html lang="de-AT"><meta property="og:locale" content="fr_FR">').lang).toBe('de-AT');
    expect(metaOf('<meta http-equiv="Content-Language" content="nl, en"><meta property="og:locale" content="fr_FR">').lang).toBe('nl');
    expect(metaOf('<meta property="og:locale" content="pt_BR">').lang).toBe('pt-BR');
    expect(normalizeLang('<script>')).toBeNull();
  });

  it('reads dir from <html dir>, and only ltr/rtl', () => {
    expect(metaOf('<html dir="RTL"><p>x</p>').dir).toBe('rtl');
    expect(metaOf('<html dir="auto"><p>x</p>').dir).toBeNull();
    expect(dirFromLang('ar-EG')).toBe('rtl');
    expect(dirFromLang('fa')).toBe('rtl');
    expect(dirFromLang('en')).toBeNull();
  });

  it('makes canonical URL and lead image absolute and accepts only http(s)', () => {
    const m = metaOf('<link rel="canonical" href="/2024/story?utm=x"><meta property="og:image" content="../img/lead.png">');
    expect(m.canonicalUrl).toBe('https://news.example/2024/story?utm=x');
    expect(m.leadImage).toBe('https://news.example/img/lead.png');
    const hostile = metaOf(
      '<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="https://news.example/og"><meta property="og:image" content="data:image/png;base64,AAAA"><meta name="twitter:image" content="https://cdn.example/t.png">',
    );
    expect(hostile.canonicalUrl).toBe('https://news.example/og');
    expect(hostile.leadImage).toBe('https://cdn.example/t.png');
    expect(metaOf('<meta property="og:url" content="ftp://news.example/x">').canonicalUrl).toBeNull();
  });

  it('falls back to the JSON-LD image for the lead image', () => {
    expect(metaOf(ld('{"@type":"Article","image":[{"@type":"ImageObject","url":"/img/ld.jpg"}]}')).leadImage).toBe('https://news.example/img/ld.jpg');
  });

  it('takes a byline from author meta, never a profile URL, without "By"', () => {
    expect(metaOf('<meta property="article:author" content="https://facebook.com/someone"><meta name="author" content="By Jane Doe">').byline).toBe('Jane Doe');
    expect(metaOf('<meta property="article:author" content="https://facebook.com/someone">').byline).toBeNull();
  });

  it('leaves missing values null, never undefined', () => {
    const m = metaOf('<p>bare page</p>');
    for (const value of Object.values(m)) expect(value).toBeNull();
  });
});

describe('stripSiteName', () => {
  it.each([
    ['Headline | The Site', 'The Site', 'Headline'],
    ['Headline - The Site', 'The Site', 'Headline'],
    ['The Site — Headline', 'The Site', 'Headline'],
    ['Headline with a dash - inside | The Site', 'The Site', 'Headline with a dash - inside'],
    ['The Site', 'The Site', 'The Site'],
    ['Headline | Other', 'The Site', 'Headline | Other'],
    ['Headline | The Site', null, 'Headline | The Site'],
    ['Price (€) | A+B (shop)', 'A+B (shop)', 'Price (€)'],
  ])('%j with site %j → %j', (title, site, expected) => {
    expect(stripSiteName(title, site)).toBe(expected);
  });
});

describe('title and direction in extractions', () => {
  it('uses og:title over <title> and strips the site name', () => {
    const body = '<p>Some text of an ordinary length that makes a small but readable page for the extractor to keep.</p>';
    expect(extractArticle(`<title>Story | Daily</title><meta property="og:title" content="Story, declared"><meta property="og:site_name" content="Daily">${body}`, PAGE).title).toBe('Story, declared');
    expect(extractArticle(`<title>Story | Daily</title><meta property="og:site_name" content="Daily">${body}`, PAGE).title).toBe('Story');
  });

  it('infers rtl from an Arabic page language when the page gives no dir', () => {
    const arabic = '<html lang="ar"><body><p>افتتحت المكتبة العامة في المدينة قاعة جديدة للقراءة، وستبقى أبوابها مفتوحة حتى التاسعة مساءً طوال أيام الأسبوع.</p></body></html>';
    const result = extractArticle(arabic, PAGE);
    expect(result.lang).toBe('ar');
    expect(result.dir).toBe('rtl');
  });
});
