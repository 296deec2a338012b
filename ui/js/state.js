/** Session, roles and the small catalogues the pages share. */
import { api } from './api.js';

/** @type {{user: {id: string, email: string|null, name: string, role: 'viewer'|'editor'|'admin'}, workspace: {id: string, name: string}, temporalUiUrl?: string, namespace?: string} | null} */
export let session = null;

export function setSession(value) {
  session = value;
  brandCache = null;
}

const ROLES = ['viewer', 'editor', 'admin'];

/** True when the signed-in user has at least `role`. */
export function can(role) {
  if (!session) return false;
  return ROLES.indexOf(session.user.role) >= ROLES.indexOf(role);
}

export function temporalWorkflowsUrl() {
  if (!session || !session.temporalUiUrl) return null;
  const ns = encodeURIComponent(session.namespace || 'default');
  return `${session.temporalUiUrl.replace(/\/$/, '')}/namespaces/${ns}/workflows`;
}

export const AUTOMATIONS = [
  {
    name: 'social-post',
    title: 'Social post',
    description:
      'Writes a post for a platform, renders its image in the brand colours, waits for approval and publishes it on the brand channel.',
    launch: '#/launch/social-post',
  },
  {
    name: 'brand-report',
    title: 'Brand report',
    description:
      'Scores the brand from its diagnosis and KPIs, draws on its documents, writes the analysis and recommendations, renders a PDF and emails it.',
    launch: '#/launch/brand-report',
  },
  {
    name: 'video',
    title: 'Video',
    description:
      'Writes a script from a brief, waits for its approval, records the narration, renders a captioned video in the brand colours and publishes it. Costs credits.',
    launch: '#/launch/video',
  },
  {
    name: 'lead-enrichment',
    title: 'Lead enrichment',
    description:
      "Reads each lead's website safely, finds emails, phones, social profiles and technologies, and scores the lead against your ideal customer profile. Started from the leads table.",
    launch: '#/leads',
  },
];

/** Runs that automations start for each item of a batch: not launched on their own, but shown. */
const CHILD_RUN_TITLES = { 'lead-enrichment-lead': 'Lead enrichment (one lead)', 'ab-test': 'A/B test' };

/** Where a video can be published; all but the brand channel need their credentials configured. */
export const VIDEO_PLATFORMS = [
  { name: 'local', title: 'Brand channel' },
  { name: 'youtube', title: 'YouTube' },
  { name: 'facebook', title: 'Facebook' },
  { name: 'instagram', title: 'Instagram Reels' },
  { name: 'linkedin', title: 'LinkedIn' },
  { name: 'x', title: 'X' },
  { name: 'tiktok', title: 'TikTok' },
];

/** A child run is redone through its parent (a lead through "Enrich this lead"); the API does not start it alone. */
export const isChildRun = (name) => Object.prototype.hasOwnProperty.call(CHILD_RUN_TITLES, name);

export const automationTitle = (name) =>
  (AUTOMATIONS.find((a) => a.name === name) || {}).title || CHILD_RUN_TITLES[name] || name || 'Run';

export const PLATFORMS = [
  {
    name: 'instagram',
    title: 'Instagram',
    captionMax: 2200,
    hashtagsMax: 30,
    altTextMax: 100,
    defaultFormat: 'square',
  },
  {
    name: 'facebook',
    title: 'Facebook',
    captionMax: 63206,
    hashtagsMax: 30,
    altTextMax: 1000,
    defaultFormat: 'square',
  },
  { name: 'linkedin', title: 'LinkedIn', captionMax: 3000, hashtagsMax: 30, altTextMax: 1000, defaultFormat: 'square' },
  { name: 'x', title: 'X', captionMax: 280, hashtagsMax: 5, altTextMax: 1000, defaultFormat: 'square' },
  { name: 'tiktok', title: 'TikTok', captionMax: 2200, hashtagsMax: 30, altTextMax: 1000, defaultFormat: 'story' },
];

export const platformInfo = (name) => PLATFORMS.find((p) => p.name === name) || null;

export const POST_TYPES = [
  { name: 'educational', title: 'Educational', description: 'Educational content with tips and insights' },
  { name: 'promotional', title: 'Promotional', description: 'Promotional content for products/services' },
  { name: 'engagement', title: 'Engagement', description: 'Engagement-focused content (polls, questions)' },
  { name: 'storytelling', title: 'Storytelling', description: 'Brand storytelling and behind-the-scenes' },
  { name: 'announcement', title: 'Announcement', description: 'News and announcements' },
  { name: 'tips', title: 'Tips', description: 'Quick tips and how-to content' },
  { name: 'testimonial', title: 'Testimonial', description: 'Customer testimonials and case studies' },
  { name: 'seasonal', title: 'Seasonal', description: 'Seasonal and holiday content' },
  { name: 'trending', title: 'Trending', description: 'Trending topics and current events' },
];

// ---------- brands, cached briefly for names in lists ----------

let brandCache = null;

/** All brands of the workspace (first 100), cached for 30 s. */
export async function loadBrands({ fresh = false, signal } = {}) {
  if (!fresh && brandCache && Date.now() - brandCache.at < 30_000) return brandCache.items;
  const page = await api('/brands?limit=100', { signal });
  brandCache = { at: Date.now(), items: page.items || [] };
  return brandCache.items;
}

export function forgetBrands() {
  brandCache = null;
}

export function cachedBrand(id) {
  return brandCache ? brandCache.items.find((b) => b.id === id) || null : null;
}
