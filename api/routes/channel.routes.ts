/**
 * The local publishing channel: each brand's public page, a page per post, and Atom/RSS
 * feeds with the post images and videos. Public, read-only, server-rendered.
 *
 * Video posts (issue 4) show their poster in the list and play on their own page (`<video>` with the WebVTT
 * subtitles as a track, not shown by default since they are burned in); feeds carry the MP4 as an enclosure with its
 * length. Their files live under `posts/<postId>/`, the public file prefix, so `/files/...` serves them with range
 * requests.
 */
import { Router, type Response } from 'express';
import { isbot } from 'isbot';
import type { BrandRecord, BrandRepository } from '../../db/repositories/brand.repository';
import type { PostRecord, PostRepository } from '../../db/repositories/post.repository';
import type { PostVisitRepository } from '../../db/repositories/post-visit.repository';
import { channelUrls } from '../../lib/channel-urls';
import { NotFoundError } from '../../lib/errors';
import { escapeHtml, escapeHtmlLines, publicPageCsp } from '../../lib/html';
import { composePostText } from '../../lib/social';
import type { ExperimentService } from '../services/experiment.service';
import { channelExperimentRoutes } from './channel-experiments';
import { atomFeed, rssFeed, type FeedDocument } from './channel-feed';

interface ChannelDeps {
  brands: BrandRepository;
  experiments: ExperimentService;
  posts: PostRepository;
  visits: PostVisitRepository;
  publicUrl: string;
  imageUrl: (key: string) => string;
}

/** m:ss (h:mm:ss past an hour). */
function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const [h, m, sec] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

const isVideo = (post: PostRecord) => post.mediaKind === 'video' && post.videoKey !== null;

function videoHtml(post: PostRecord, deps: ChannelDeps, postUrl: string, link: boolean): string {
  const url = (key: string) => escapeHtml(deps.imageUrl(key));
  const title = escapeHtml(post.title ?? post.caption.split('\n')[0]);
  const duration = post.durationSeconds ? formatDuration(post.durationSeconds) : '';
  if (link) {
    const poster = post.thumbnailKey
      ? `<img src="${url(post.thumbnailKey)}" alt="${escapeHtml(post.altText)}" loading="lazy">`
      : '<span class="noposter"></span>';
    return `<a class="thumb" href="${postUrl}" aria-label="Play ${title}">${poster}<span class="play" aria-hidden="true">▶</span>${duration ? `<span class="duration">${duration}</span>` : ''}</a>`;
  }
  const poster = post.thumbnailKey ? ` poster="${url(post.thumbnailKey)}"` : '';
  const track = post.subtitlesKey
    ? `<track kind="subtitles" src="${url(post.subtitlesKey)}" srclang="${escapeHtml(post.subtitlesLanguage ?? 'und')}" label="Subtitles">`
    : '';
  return `<video controls playsinline preload="metadata"${poster}><source src="${url(post.videoKey!)}" type="video/mp4">${track}<a href="${url(post.videoKey!)}">Download the video</a></video>`;
}

function postHtml(post: PostRecord, deps: ChannelDeps, brand: BrandRecord, link: boolean): string {
  const urls = channelUrls(deps.publicUrl, brand.slug, post.id);
  const text = escapeHtmlLines(composePostText(post));
  const date = post.publishedAt ? new Date(post.publishedAt) : new Date(post.createdAt);
  const time = `<time datetime="${date.toISOString()}">${date.toUTCString().replace(/ GMT$/, '')}</time>`;
  const stamp = link ? `<a href="${urls.post}">${time}</a>` : time;
  if (isVideo(post)) {
    const title = escapeHtml(post.title ?? '');
    const heading = title ? `<h2>${link ? `<a href="${urls.post}">${title}</a>` : title}</h2>` : '';
    const duration = post.durationSeconds ? ` · ${formatDuration(post.durationSeconds)}` : '';
    return `<article class="post video" data-post-id="${post.id}">${videoHtml(post, deps, urls.post, link)}<div class="body"><p class="meta">Video${duration} · ${stamp}</p>${heading}<p>${text}</p></div></article>`;
  }
  const img = (key: string) =>
    `<img src="${escapeHtml(deps.imageUrl(key))}" alt="${escapeHtml(post.altText)}" loading="lazy">`;
  // A carousel shows every slide, in order, one under the other (the page has no script to swipe them).
  const image = post.slideKeys?.length
    ? `<ol class="slides" aria-label="${post.slideKeys.length} images">${post.slideKeys.map((key, i) => `<li data-slide="${i + 1}">${img(key)}</li>`).join('')}</ol>`
    : post.imageKey
      ? img(post.imageKey)
      : '';
  return `<article class="post" data-post-id="${post.id}">${image}<div class="body"><p class="meta">${escapeHtml(post.platform)} · ${escapeHtml(post.postType)} · ${stamp}</p><p>${text}</p></div></article>`;
}

/** The channel's stylesheet; only the brand's two colours vary, and they are validated hex values. */
function stylesheet(colors: BrandRecord['colors']): string {
  return `:root{--primary:${colors.primary};--secondary:${colors.secondary}}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;background:#f6f7f9;color:#1d2330}
header{background:linear-gradient(120deg,var(--primary),var(--secondary));color:#fff;padding:2.5rem 1rem}
header .in,main{max-width:720px;margin:0 auto}header h1{margin:0 0 .25rem;font-size:2rem}header a{color:#fff}header h1 a{text-decoration:none}
main{padding:1.5rem 1rem}.post{background:#fff;border-radius:12px;box-shadow:0 1px 3px #0002;margin:0 0 1.5rem;overflow:hidden}
.post img{display:block;width:100%;height:auto}.slides{list-style:none;margin:0;padding:0;display:grid;gap:4px;background:#0001}.post video{display:block;width:100%;max-height:80vh;background:#000}
.thumb{position:relative;display:block;background:#000}.thumb img{max-height:640px;object-fit:cover}.noposter{display:block;aspect-ratio:16/9}
.play{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);width:64px;height:64px;border-radius:50%;background:#000a;color:#fff;font-size:28px;line-height:64px;text-align:center}
.duration{position:absolute;right:.5rem;bottom:.5rem;background:#000c;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem}
.post h2{margin:0 0 .5rem;font-size:1.25rem}.post h2 a{color:inherit;text-decoration:none}.post .body{padding:1rem 1.25rem}.meta{color:#667;font-size:.85rem;margin:0 0 .5rem;text-transform:capitalize}
.cta{display:inline-block;background:var(--primary);color:#fff;border-radius:8px;padding:.6rem 1.2rem;text-decoration:none;font-weight:600}
.empty{color:#667}footer{text-align:center;color:#889;font-size:.85rem;padding:2rem}
`;
}

interface Page {
  html: string;
  csp: string;
}

function page(brand: BrandRecord, title: string, body: string, deps: ChannelDeps): Page {
  const urls = channelUrls(deps.publicUrl, brand.slug);
  const css = stylesheet(brand.colors);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="alternate" type="application/atom+xml" title="${escapeHtml(brand.name)} (Atom)" href="${escapeHtml(urls.atom)}">
<link rel="alternate" type="application/rss+xml" title="${escapeHtml(brand.name)} (RSS)" href="${escapeHtml(urls.rss)}">
<style>${css}</style></head><body><header><div class="in"><h1><a href="${escapeHtml(urls.channel)}">${escapeHtml(brand.name)}</a></h1>${brand.slogan ? `<p>${escapeHtml(brand.slogan)}</p>` : ''}<p><a href="${escapeHtml(urls.atom)}">Atom feed</a> · <a href="${escapeHtml(urls.rss)}">RSS feed</a></p></div></header>
<main>${body}</main><footer>Published with Studioflow</footer></body></html>`;
  return { html, csp: publicPageCsp(css, deps.publicUrl) };
}

/** Sends a channel page with its own policy (it replaces the application's default). */
function sendPage(res: Response, { html, csp }: Page): void {
  res.type('html').set('Content-Security-Policy', csp).send(html);
}

export function channelRouter(deps: ChannelDeps): Router {
  const router = Router();

  const brandOf = async (slug: string) => {
    const brand = await deps.brands.getBySlug(slug);
    const channel = brand ? await deps.brands.localChannel(brand.id) : null;
    if (!brand || !channel) throw new NotFoundError(`No channel ${slug}`);
    return { brand, channel };
  };

  router.get('/c/:slug', async (req, res) => {
    const { brand, channel } = await brandOf(req.params.slug);
    const posts = await deps.posts.listPublished(channel.id, 50);
    const body = posts.length
      ? posts.map((p) => postHtml(p, deps, brand, true)).join('')
      : '<p class="empty">Nothing published yet.</p>';
    sendPage(res, page(brand, `${brand.name} — channel`, body, deps));
  });

  router.get('/c/:slug/posts/:postId', async (req, res) => {
    const { brand, channel } = await brandOf(req.params.slug);
    const post = /^[0-9a-f-]{36}$/i.test(req.params.postId) ? await deps.posts.get(req.params.postId) : null;
    if (!post || post.channelId !== channel.id || post.status !== 'published') throw new NotFoundError('No such post');
    // Views feed the brand's KPIs (POST /brands/:id/kpis/collect): one per visitor and day; known bots, link
    // prefetchers and HEAD requests do not count.
    const userAgent = req.get('user-agent') ?? '';
    const prefetch = req.get('purpose') === 'prefetch' || req.get('sec-purpose') !== undefined;
    if (req.method === 'GET' && !prefetch && !isbot(userAgent))
      await deps.visits.record(post.id, { address: req.ip ?? '', userAgent });
    const heading = isVideo(post) && post.title ? post.title : post.caption;
    sendPage(res, page(brand, `${brand.name} — ${heading.slice(0, 60)}`, postHtml(post, deps, brand, false), deps));
  });

  const feedOf = async (slug: string): Promise<FeedDocument> => {
    const { brand, channel } = await brandOf(slug);
    const urls = channelUrls(deps.publicUrl, brand.slug);
    const posts = await deps.posts.listPublished(channel.id, 50);
    return {
      id: urls.channel,
      title: brand.name,
      description: brand.slogan ?? `Posts from ${brand.name}`,
      link: urls.channel,
      atomUrl: urls.atom,
      rssUrl: urls.rss,
      rights: `© ${brand.name}`,
      updated: posts[0]?.publishedAt ? new Date(posts[0].publishedAt) : new Date(brand.createdAt),
      entries: posts.map((post) => {
        const url = channelUrls(deps.publicUrl, brand.slug, post.id).post;
        const video = isVideo(post);
        return {
          id: url,
          title: (video && post.title ? post.title : post.caption.split('\n')[0]).slice(0, 120),
          link: url,
          summary: composePostText(post),
          contentHtml: postHtml(post, deps, brand, false),
          date: new Date(post.publishedAt ?? post.createdAt),
          image:
            !video && post.imageKey ? { url: deps.imageUrl(post.imageKey), type: 'image/png', length: 0 } : undefined,
          video: video
            ? { url: deps.imageUrl(post.videoKey!), type: 'video/mp4', length: post.videoBytes ?? 0 }
            : undefined,
          categories: [post.platform, post.postType],
        };
      }),
    };
  };

  channelExperimentRoutes(router, {
    experiments: deps.experiments,
    brandOf,
    render: (brand, title, body, res) => sendPage(res, page(brand, title, body, deps)),
    channelUrl: (brand) => channelUrls(deps.publicUrl, brand.slug).channel,
  });

  router.get('/c/:slug/feed.atom', async (req, res) => {
    res.type('application/atom+xml').send(atomFeed(await feedOf(req.params.slug)));
  });
  router.get('/c/:slug/feed.rss', async (req, res) => {
    res.type('application/rss+xml').send(rssFeed(await feedOf(req.params.slug)));
  });
  return router;
}
