/**
 * #/leads/<id>: one lead. Each field with the source that gave it; contacts as links; the score with its reasons;
 * its enrichment runs and where it came from. Editors start an enrichment of this lead from here.
 */
import { api } from './api.js';
import { h, icon, replaceChildren, safeUrl, spinner, statusBadge, time } from './dom.js';
import { pageHeader } from './layout.js';
import { enrichmentCard, scoreCard, sourcesCard } from './lead-history.js';
import { isHttpUrl, sourceLabel, startEnrichment } from './lead-parts.js';
import { failedTitle, showPageError } from './load.js';
import { can } from './state.js';

const DETAIL_FIELDS = [
  ['companyName', 'Company'],
  ['website', 'Website'],
  ['domain', 'Domain'],
  ['address', 'Address'],
  ['city', 'City'],
  ['country', 'Country'],
  ['category', 'Category'],
  ['language', 'Language'],
  ['description', 'Description'],
];

const crumbs = () =>
  h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/leads' }, icon('back'), 'Leads'));

export async function renderLead(ctx) {
  const [id] = ctx.params;
  const wrap = h(
    'div',
    { class: 'page' },
    pageHeader({ crumbs: crumbs(), title: 'Lead' }),
    spinner('Loading the lead…'),
  );
  ctx.main.appendChild(wrap);
  let lead;
  try {
    lead = await api(`/leads/${encodeURIComponent(id)}`, { signal: ctx.signal });
  } catch (err) {
    showPageError(ctx, err, wrap, pageHeader({ crumbs: crumbs(), title: failedTitle(err, 'Lead not found', 'Lead') }));
    return;
  }
  if (!ctx.isCurrent()) return;
  const name = lead.companyName || lead.domain || (lead.emails || [])[0] || 'Unnamed lead';
  ctx.setTitle(name);
  const sources = lead.fieldSources || {};

  replaceChildren(
    wrap,
    pageHeader({
      crumbs: crumbs(),
      title: h(
        'div',
        { class: 'title-row' },
        h('h1', { 'data-testid': 'lead-name' }, name),
        statusBadge(lead.status, { 'data-testid': 'lead-detail-status' }),
      ),
      description: lead.domain ? `${lead.domain} · added ${new Date(lead.createdAt).toLocaleDateString()}` : null,
    }),
    h(
      'div',
      { class: 'lead-layout' },
      h(
        'div',
        { class: 'lead-main' },
        card('lead-fields', 'Details', detailList(lead, sources)),
        card('lead-contacts', 'Contacts', contactList(lead, sources)),
        card('lead-technologies', 'Technologies', technologies(lead, sources)),
        Array.isArray(lead.enrichments) ? enrichmentCard(lead.enrichments) : null,
        sourcesCard(lead.sources || []),
      ),
      h('div', { class: 'lead-side' }, scoreCard(lead), can('editor') ? enrichThis(ctx, lead) : null),
    ),
  );
}

function card(key, title, ...content) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `${key}-title`, 'data-testid': key },
    h('h2', { class: 'card-title', id: `${key}-title` }, title),
    ...content,
  );
}

/** "from CSV import · leads.csv row 2 · 3 d ago", the reference a link when it is a web address. */
function sourceNote(source) {
  if (!source) return null;
  const reference = source.reference
    ? isHttpUrl(source.reference)
      ? h('a', { href: safeUrl(source.reference), target: '_blank', rel: 'noopener' }, source.reference)
      : source.reference
    : null;
  return h(
    'span',
    { class: 'source-note', 'data-testid': 'field-source', 'data-source': source.source },
    `from ${sourceLabel(source.source)}`,
    reference ? [' · ', reference] : null,
    source.at ? [' · ', time(source.at)] : null,
  );
}

function row(label, value, source, key) {
  return h(
    'div',
    { class: 'detail-row', 'data-testid': `lead-field-${key}` },
    h('dt', null, label),
    h('dd', null, h('div', { class: 'field-value' }, value), sourceNote(source)),
  );
}

const none = () => h('span', { class: 'muted' }, '—');

function detailList(lead, sources) {
  return h(
    'dl',
    { class: 'details lead-details' },
    DETAIL_FIELDS.map(([key, label]) => {
      const value = lead[key];
      if (!value) return row(label, none(), null, key);
      const shown =
        key === 'website' && isHttpUrl(value)
          ? h('a', { href: safeUrl(value), target: '_blank', rel: 'noopener' }, value)
          : value;
      return row(label, shown, sources[key] || (key === 'domain' ? sources.website : null), key);
    }),
  );
}

/** Simple addresses only become mailto: links, so a stored value cannot add headers or a second recipient. */
const mailHref = (email) => (/^[^\s@?&#,;]+@[^\s@?&#,;]+$/.test(email) ? `mailto:${email}` : null);
const telHref = (phone) => {
  const digits = phone.replace(/[^\d+]/g, '');
  return digits.replace(/\D/g, '').length >= 3 ? `tel:${digits}` : null;
};

/** Each value with the source that gave it (`fieldSources["emails:<value>"]`), when its source is recorded. */
function linkList(values, toHref, testid, sourceOf = () => null) {
  if (!values || values.length === 0) return none();
  return h(
    'ul',
    { class: 'plain-list' },
    values.map((v) => {
      const href = toHref(v);
      return h('li', null, href ? h('a', { href, 'data-testid': testid }, v) : v, ' ', sourceNote(sourceOf(v)));
    }),
  );
}

/** Values merged before sources were kept per value show the field's first source once, under the list. */
const perValue = (sources, field) => (v) => sources[`${field}:${v}`] || null;
const fieldSource = (lead, sources, field) =>
  (lead[field] || []).some((v) => sources[`${field}:${v}`]) ? null : sources[field];

function contactList(lead, sources) {
  const socials = Object.entries(lead.socials || {});
  return h(
    'dl',
    { class: 'details lead-details' },
    row(
      'Emails',
      linkList(lead.emails, mailHref, 'lead-email', perValue(sources, 'emails')),
      fieldSource(lead, sources, 'emails'),
      'emails',
    ),
    row(
      'Phones',
      linkList(lead.phones, telHref, 'lead-phone', perValue(sources, 'phones')),
      fieldSource(lead, sources, 'phones'),
      'phones',
    ),
    socials.length === 0
      ? row('Social', none(), null, 'socials')
      : socials.map(([network, url]) =>
          row(
            network.charAt(0).toUpperCase() + network.slice(1),
            isHttpUrl(url)
              ? h('a', { href: safeUrl(url), target: '_blank', rel: 'noopener', 'data-testid': 'lead-social' }, url)
              : url,
            sources[`socials.${network}`],
            `socials-${network}`,
          ),
        ),
  );
}

function technologies(lead, sources) {
  const list = lead.technologies || [];
  if (list.length === 0) {
    const read = (lead.enrichments || []).some((e) => e.status === 'enriched' && e.pages > 0);
    return h(
      'p',
      { class: 'muted', 'data-testid': 'lead-no-technologies' },
      read ? 'None found on its site.' : 'None found yet: enrichment reads them from the site.',
    );
  }
  return h(
    'div',
    { class: 'stack-tight' },
    h(
      'div',
      { class: 'chips' },
      list.map((t) => h('span', { class: 'chip', 'data-testid': 'lead-technology' }, t)),
    ),
    sourceNote(sources.technologies),
  );
}

function enrichThis(ctx, lead) {
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-primary btn-block', 'data-testid': 'enrich-lead' },
    'Enrich this lead',
  );
  const form = h(
    'form',
    { class: 'card enrich-card', novalidate: true, 'data-testid': 'enrich-form' },
    h('h2', { class: 'card-title' }, 'Enrichment'),
    h('p', { class: 'muted' }, 'Crawl the site again, read its contacts and technologies, and score it.'),
    button,
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  button.addEventListener(
    'click',
    () => void startEnrichment(ctx, form, button, { leadIds: [lead.id], concurrency: 1 }),
  );
  return form;
}
