/**
 * The "needs JavaScript" heuristic on pages shaped like what frameworks and site builders ship: app shells are
 * flagged with the rule that caught them; short but real static pages, server-rendered apps and rich pages with a
 * noscript banner are not.
 */
import { extractLeadFacts } from '../../lib/leads/extract';
import { ALMOST_NO_WORDS, needsJavaScript } from '../../lib/leads/needs-javascript';
import { JS_ONLY_PAGE, NORMAL_PAGES } from '../support/site-farm.pages';

/** The verdict with the extraction's findings, as crawlLead asks it (the country reads national phone numbers). */
const judge = (html: string, country?: string) => {
  const facts = extractLeadFacts([{ url: 'https://shop.example/', html }], { country });
  return needsJavaScript(html, { emails: facts.emails.length, phones: facts.phones.length });
};

const CREATE_REACT_APP = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="/favicon.ico"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="theme-color" content="#000000"><title>Bottega Verde</title>
<script defer="defer" src="/static/js/main.8f3a2c1d.js"></script><link href="/static/css/main.0b1c2d3e.css" rel="stylesheet">
</head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`;

const NEXT_CLIENT_ONLY = `<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>Fjord Studio</title>
<script src="/_next/static/chunks/webpack-59c5c889f52620d6.js" defer=""></script>
<script src="/_next/static/chunks/main-app-9b8b5b2d.js" defer=""></script></head>
<body><div id="__next"></div>
<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{}},"page":"/","buildId":"x"}</script>
</body></html>`;

const ANGULAR_LOADING = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Kanzlei Berger</title>
<base href="/"><link rel="stylesheet" href="styles.4f2b.css"></head>
<body><app-root><div class="spinner">Laden…</div></app-root>
<script src="runtime.1a2b.js" type="module"></script><script src="main.3c4d.js" type="module"></script></body></html>`;

const VUE_CLI = `<!DOCTYPE html><html lang=""><head><meta charset="utf-8"><title>frontend</title>
<script defer="defer" src="/js/chunk-vendors.2f1e.js"></script><script defer="defer" src="/js/app.9a8b.js"></script>
</head><body><noscript><strong>We're sorry but frontend doesn't work properly without JavaScript enabled.
Please enable it to continue.</strong></noscript><div id="app"></div></body></html>`;

/** A French site builder's shell: a header rendered on the server, the content mounted later, a noscript in French. */
const BUILDER_SHELL = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Maison Dubois – Traiteur</title>
<script src="https://cdn.builder.example/runtime.js"></script></head><body>
<header><a href="/">Maison Dubois</a><nav><a href="/menu">Menu</a><a href="/contact">Contact</a></nav></header>
<main data-mount="page"></main>
<noscript>Veuillez activer JavaScript pour afficher ce site.</noscript></body></html>`;

/** A one-screen static page: short, with an analytics tag, and a phone number a reader sees. */
const SHORT_STATIC = `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Studio Rossi – Commercialisti</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','G-ABC123');</script>
</head><body><h1>Studio Rossi</h1><p>Commercialisti a Bologna dal 1987.</p>
<p>Tel. 051 234 5678 – Via dell'Indipendenza 12</p></body></html>`;

/** Even shorter and with no script at all: a browser would show the same words. */
const TINY_NO_SCRIPT = `<html><head><title>Bäckerei Kraus</title></head><body><h1>Bäckerei Kraus</h1>
<p>Bald wieder da.</p></body></html>`;

/** Next.js rendered on the server: the root holds the content, the scripts only hydrate it. */
const NEXT_SERVER_RENDERED = `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><title>Fjord Studio — Interiors</title>
<script src="/_next/static/chunks/main-app-9b8b5b2d.js" async=""></script></head><body><div id="__next">
<header><a href="/">Fjord Studio</a></header><main><h1>Interiors with northern light</h1>
<p>We design homes and workplaces in Oslo and Bergen, from the first sketch to the last lamp.</p>
<p>Write to <a href="mailto:hei@fjord.example">hei@fjord.example</a>.</p></main></div>
<script>self.__next_f=self.__next_f||[];self.__next_f.push([0])</script></body></html>`;

const words = (n: number) =>
  Array.from({ length: n }, (_, i) => ['quality', 'flowers', 'delivered', 'daily', 'in', 'Lisbon'][i % 6]).join(' ');

/** A long page built with a framework that keeps a polite noscript banner: the content is there already. */
const RICH_WITH_NOSCRIPT = `<!doctype html><html lang="en"><head><title>Flor de Lis</title><script src="/app.js"></script></head>
<body><noscript>For the best experience, please enable JavaScript.</noscript>
<div id="app"><h1>Flor de Lis</h1><p>${words(150)}.</p></div></body></html>`;

describe('needsJavaScript flags app shells', () => {
  it.each([
    ['Create React App', CREATE_REACT_APP, 'empty-app-root'],
    ['Next.js rendered on the client', NEXT_CLIENT_ONLY, 'empty-app-root'],
    ['Vue CLI', VUE_CLI, 'empty-app-root'],
    ['a site builder with a French noscript', BUILDER_SHELL, 'noscript-asks-for-javascript'],
    ['Angular showing a spinner', ANGULAR_LOADING, 'almost-no-text'],
    ["the site farm's JavaScript-only page", JS_ONLY_PAGE, 'empty-app-root'],
  ])('%s', (_name, html, reason) => {
    const verdict = judge(html);
    expect(verdict).toMatchObject({ needed: true, reason });
    expect(verdict.scripts).toBeGreaterThan(0);
  });

  it('counts only code as scripts, and no hidden text as words', () => {
    expect(judge(NEXT_CLIENT_ONLY)).toMatchObject({ scripts: 2, words: 0 });
    expect(judge(CREATE_REACT_APP)).toMatchObject({ scripts: 1, words: 0 });
    expect(judge(ANGULAR_LOADING)).toMatchObject({ scripts: 2, words: 1 });
  });
});

describe('needsJavaScript leaves readable pages alone', () => {
  it.each([
    ['a short static page with an analytics tag and a phone number', SHORT_STATIC, 'IT'],
    ['a tiny page with no script', TINY_NO_SCRIPT, 'DE'],
    ['Next.js rendered on the server', NEXT_SERVER_RENDERED, undefined],
    ['a rich page with a noscript banner', RICH_WITH_NOSCRIPT, undefined],
    ["the site farm's WordPress home page", NORMAL_PAGES['/'], 'FR'],
  ])('%s', (_name, html, country) => {
    expect(judge(html, country)).toMatchObject({ needed: false, reason: null });
  });

  it('the short static page is short indeed: its phone number is what keeps it unflagged', () => {
    expect(judge(SHORT_STATIC, 'IT').words).toBeLessThan(ALMOST_NO_WORDS);
    expect(needsJavaScript(SHORT_STATIC)).toMatchObject({ needed: true, reason: 'almost-no-text' });
  });

  it('a page with almost no text is flagged only when extraction found nothing in it', () => {
    const card = `<title>Atelier</title><script src="/a.js"></script><p>Atelier Nord</p>`;
    expect(needsJavaScript(card, { emails: 0, phones: 0 })).toMatchObject({ needed: true, reason: 'almost-no-text' });
    expect(needsJavaScript(card, { emails: 1, phones: 0 })).toMatchObject({ needed: false });
  });

  it('a page with no script is never flagged, even empty', () => {
    expect(needsJavaScript('<div id="root"></div><noscript>Enable JavaScript</noscript>')).toMatchObject({
      needed: false,
      scripts: 0,
    });
    expect(needsJavaScript('')).toMatchObject({ needed: false, words: 0 });
  });

  it('JSON-LD is data, not a script', () => {
    const html = `<div id="root"></div><script type="application/ld+json">{"@type":"Organization"}</script>`;
    expect(needsJavaScript(html)).toMatchObject({ needed: false, scripts: 0 });
  });
});
