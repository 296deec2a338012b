/**
 * A post experiment on the brand's channel: `/c/<slug>/x/<experiment>` shows the visitor their variant (a first-party
 * cookie is the unit, so a visitor keeps theirs), and its call to action, `/c/<slug>/x/<experiment>/go`, counts a
 * click and sends the visitor on to the brand's site. Bots and prefetches are served but not counted.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { isbot } from 'isbot';
import type { BrandRecord } from '../../db/repositories/brand.repository';
import { NotFoundError } from '../../lib/errors';
import { escapeHtml, escapeHtmlLines } from '../../lib/html';
import { readCookies } from '../middleware/cookies';
import type { ExperimentService } from '../services/experiment.service';

export const VISITOR_COOKIE = 'sf_v';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VISITOR = /^[A-Za-z0-9_-]{16,64}$/;

/** The visitor's id: theirs when they bring a well-formed one, else a new one set for a year on the channel's paths. */
function visitorOf(req: Request, res: Response): string {
  const known = readCookies(req.get('cookie'))[VISITOR_COOKIE];
  if (known && VISITOR.test(known)) return known;
  const id = randomBytes(16).toString('base64url');
  res.cookie(VISITOR_COOKIE, id, { path: '/c/', maxAge: 365 * 24 * 3600 * 1000, httpOnly: true, sameSite: 'lax' });
  return id;
}

/** Whether this request is a person's visit (not a bot, a link preview or a prefetch). */
function counts(req: Request): boolean {
  const prefetch = req.get('purpose') === 'prefetch' || req.get('sec-purpose') !== undefined;
  return req.method === 'GET' && !prefetch && !isbot(req.get('user-agent') ?? '');
}

interface Deps {
  experiments: ExperimentService;
  brandOf: (slug: string) => Promise<{ brand: BrandRecord }>;
  render: (brand: BrandRecord, title: string, body: string, res: Response) => void;
  channelUrl: (brand: BrandRecord) => string;
}

export function channelExperimentRoutes(router: Router, deps: Deps): void {
  const experimentOf = (raw: string) => {
    if (!UUID.test(raw)) throw new NotFoundError('No such experiment');
    return raw;
  };

  router.get('/c/:slug/x/:experimentId', async (req, res) => {
    const { brand } = await deps.brandOf(req.params.slug);
    const id = experimentOf(req.params.experimentId);
    const unit = visitorOf(req, res);
    const shown = await deps.experiments.channelVariant(brand.id, id, unit, counts(req));
    if (!shown) throw new NotFoundError('No such experiment');
    const content = shown.variant.content as { caption: string; callToAction: string; hashtags: string[] };
    const go = `${deps.channelUrl(brand)}/x/${id}/go`;
    const tags = content.hashtags.length
      ? `<p class="meta">${content.hashtags.map((t) => `#${escapeHtml(t)}`).join(' ')}</p>`
      : '';
    const body = `<article class="post" data-experiment="${id}" data-variant="${escapeHtml(shown.variant.key)}"><div class="body"><p>${escapeHtmlLines(content.caption)}</p>${tags}<p><a class="cta" href="${escapeHtml(go)}">${escapeHtml(content.callToAction)}</a></p></div></article>`;
    // A visitor's variant must not be cached for another.
    res.set('cache-control', 'private, no-store');
    deps.render(brand, `${brand.name} — ${content.caption.slice(0, 60)}`, body, res);
  });

  router.get('/c/:slug/x/:experimentId/go', async (req, res) => {
    const { brand } = await deps.brandOf(req.params.slug);
    const id = experimentOf(req.params.experimentId);
    const unit = visitorOf(req, res);
    const experiment = counts(req)
      ? await deps.experiments.channelClick(brand.id, id, unit)
      : await deps.experiments.channelVariant(brand.id, id, unit, false);
    if (!experiment) throw new NotFoundError('No such experiment');
    res.set('cache-control', 'private, no-store');
    res.redirect(303, brand.website && /^https?:\/\//i.test(brand.website) ? brand.website : deps.channelUrl(brand));
  });
}
