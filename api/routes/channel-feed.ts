/**
 * Atom 1.0 and RSS 2.0 documents for a brand's local channel. Every text is element content or an attribute value
 * written through the HTML-render kit's `escapeXml` (which first removes what XML 1.0 forbids: NUL, lone surrogates,
 * … and bidi controls), never CDATA, so no caption can close an element or a section early.
 *
 * Why not a library: the `feed` package this replaces wrapped captions in CDATA and escaped only the first `]]>` (a
 * second one ended the section and what followed became live markup in the public feed, issue 8), and xmlbuilder2
 * leaves `&lt;` in a text as it is instead of writing `&amp;lt;`, which would turn an escaped `<script>` in a post's
 * HTML back into a live one for feed readers. Two small fixed vocabularies need no more than an escaping writer; the
 * tests parse every output with a strict XML parser.
 */
import { escapeXml } from '../../lib/html';

export interface FeedMedia {
  url: string;
  type: string;
  /** Bytes; 0 when unknown. */
  length: number;
}

export interface FeedEntry {
  id: string;
  title: string;
  link: string;
  /** Plain text. */
  summary: string;
  /** HTML of the post, carried as escaped text (`type="html"` in Atom, `content:encoded` in RSS). */
  contentHtml: string;
  date: Date;
  image?: FeedMedia;
  video?: FeedMedia;
  categories: string[];
}

export interface FeedDocument {
  id: string;
  title: string;
  description: string;
  link: string;
  atomUrl: string;
  rssUrl: string;
  rights: string;
  updated: Date;
  entries: FeedEntry[];
}

const GENERATOR = 'Studioflow';

type Attributes = Record<string, string | undefined>;

/** An element with escaped attributes and either escaped text or already-written children. */
class Element {
  private readonly children: string[] = [];
  constructor(
    private readonly name: string,
    private readonly attributes: Attributes = {},
  ) {}

  /** Adds `<name attributes>text</name>`, or `<name attributes/>` without text. */
  add(name: string, text?: string, attributes?: Attributes): this {
    const open = `<${name}${attributesOf(attributes)}`;
    this.children.push(text === undefined ? `${open}/>` : `${open}>${escapeXml(text)}</${name}>`);
    return this;
  }

  append(child: Element): this {
    this.children.push(child.toString());
    return this;
  }

  toString(): string {
    return `<${this.name}${attributesOf(this.attributes)}>\n${this.children.join('\n')}\n</${this.name}>`;
  }
}

const attributesOf = (attributes: Attributes = {}) =>
  Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');

const document = (root: Element) => `<?xml version="1.0" encoding="utf-8"?>\n${root.toString()}\n`;

export function atomFeed(doc: FeedDocument): string {
  const feed = new Element('feed', { xmlns: 'http://www.w3.org/2005/Atom' })
    .add('id', doc.id)
    .add('title', doc.title, { type: 'text' })
    .add('subtitle', doc.description, { type: 'text' })
    .add('updated', doc.updated.toISOString())
    .add('generator', GENERATOR)
    .add('rights', doc.rights, { type: 'text' })
    .add('link', undefined, { rel: 'alternate', type: 'text/html', href: doc.link })
    .add('link', undefined, { rel: 'self', type: 'application/atom+xml', href: doc.atomUrl });
  for (const entry of doc.entries) {
    const item = new Element('entry')
      .add('title', entry.title, { type: 'text' })
      .add('id', entry.id)
      .add('link', undefined, { rel: 'alternate', type: 'text/html', href: entry.link })
      .add('updated', entry.date.toISOString())
      .add('published', entry.date.toISOString())
      .add('summary', entry.summary, { type: 'text' })
      .add('content', entry.contentHtml, { type: 'html' });
    for (const media of [entry.image, entry.video]) {
      if (!media) continue;
      const length = media.length > 0 ? String(media.length) : undefined;
      item.add('link', undefined, { rel: 'enclosure', type: media.type, href: media.url, length });
    }
    for (const category of entry.categories) item.add('category', undefined, { term: category });
    feed.append(item);
  }
  return document(feed);
}

export function rssFeed(doc: FeedDocument): string {
  const channel = new Element('channel')
    .add('title', doc.title)
    .add('link', doc.link)
    .add('description', doc.description)
    .add('lastBuildDate', doc.updated.toUTCString())
    .add('docs', 'https://validator.w3.org/feed/docs/rss2.html')
    .add('generator', GENERATOR)
    .add('copyright', doc.rights)
    .add('atom:link', undefined, { href: doc.rssUrl, rel: 'self', type: 'application/rss+xml' });
  for (const entry of doc.entries) {
    const item = new Element('item')
      .add('title', entry.title)
      .add('link', entry.link)
      .add('guid', entry.id, { isPermaLink: 'true' })
      .add('pubDate', entry.date.toUTCString())
      .add('description', entry.summary)
      .add('content:encoded', entry.contentHtml);
    // RSS allows one enclosure per item: the video when there is one, else the image.
    const media = entry.video ?? entry.image;
    if (media) item.add('enclosure', undefined, { url: media.url, length: String(media.length), type: media.type });
    for (const category of entry.categories) item.add('category', category);
    channel.append(item);
  }
  const rss = new Element('rss', {
    version: '2.0',
    'xmlns:atom': 'http://www.w3.org/2005/Atom',
    'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  }).append(channel);
  return document(rss);
}
