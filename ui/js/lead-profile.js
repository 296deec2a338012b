/**
 * #/leads/profile: the ideal customer profile leads are scored against (lib/leads/profile.ts): what fits (categories,
 * keywords, countries, cities), what a lead must have, how much each criterion weighs (the share of each shown as the
 * weights change) and the score from which a lead qualifies. The workspace's, or a brand's own (`?brandId=`).
 */
import { api, query } from './api.js';
import { busy, field, formatPercent, h, icon, onSubmit, replaceChildren, spinner, time, toast } from './dom.js';
import { pageHeader } from './layout.js';
import { showPageError } from './load.js';
import { can, loadBrands } from './state.js';

const LISTS = [
  ['categories', 'Categories', 'Kinds of business that fit, e.g. restaurant, hotel.'],
  ['keywords', 'Keywords', 'Words the site or description should mention.'],
  ['countries', 'Countries', 'Names or ISO codes; empty means anywhere.'],
  ['cities', 'Cities', 'Empty means anywhere.'],
];
const MUST_HAVE = [
  ['email', 'An email address', 'A lead with none found is disqualified.'],
  ['phone', 'A phone number', 'A lead with none found is disqualified.'],
  ['reachable', 'A reachable website', 'A lead whose site could not be fetched is disqualified.'],
];
const WEIGHTS = [
  ['category', 'Category'],
  ['keywords', 'Keywords'],
  ['location', 'Location'],
  ['contacts', 'Contacts'],
  ['web', 'Web presence'],
];

/** One term a line; commas separate terms too. */
const splitTerms = (text) =>
  text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean);

/** A number input's value as a number, or null when empty so the API names the field. */
const numberOf = (input) => (input.value.trim() === '' ? null : Number(input.value));

export async function renderLeadProfile(ctx) {
  const brandId = ctx.query.get('brandId') || '';
  const editable = can('editor');
  const header = pageHeader({
    crumbs: h(
      'nav',
      { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/leads' }, icon('back'), 'Leads'),
    ),
    title: 'Ideal customer profile',
    description: 'Enrichment scores every lead against it, from 0 to 100, and explains each point.',
  });
  const wrap = h('div', { class: 'page narrow-wide' }, header, spinner('Loading the profile…'));
  ctx.main.appendChild(wrap);

  let saved;
  let brands;
  try {
    [saved, brands] = await Promise.all([
      api(`/lead-profile${query({ brandId })}`, { signal: ctx.signal }),
      loadBrands({ signal: ctx.signal }),
    ]);
  } catch (err) {
    showPageError(ctx, err, wrap, header);
    return;
  }
  if (!ctx.isCurrent()) return;
  const profile = saved.profile;
  const disabled = !editable;

  const scope = h(
    'select',
    { 'data-testid': 'profile-brand' },
    h('option', { value: '' }, 'Workspace (every brand without its own)'),
    brands.map((b) => h('option', { value: b.id, selected: b.id === brandId }, b.name)),
  );
  scope.addEventListener('change', () => ctx.navigate(`#/leads/profile${query({ brandId: scope.value })}`));

  const lists = LISTS.map(([name, label, hint]) => {
    const control = h('textarea', { rows: 4, disabled, 'data-testid': `profile-${name}` });
    control.value = profile[name].join('\n');
    return { name, control, el: field({ label, name, control, hint: `${hint} One a line.` }) };
  });

  const musts = MUST_HAVE.map(([name, label, hint]) => {
    const control = h('input', {
      type: 'checkbox',
      id: `profile-must-${name}`,
      checked: profile.mustHave[name],
      disabled,
      'data-testid': `profile-must-${name}`,
    });
    const el = h(
      'div',
      { class: 'field field-check', 'data-field': `mustHave.${name}` },
      control,
      h('label', { for: control.id }, label, h('span', { class: 'muted' }, ` — ${hint}`)),
    );
    return { name, control, el };
  });

  const total = h('span', { 'data-testid': 'profile-weight-total' });
  const weights = WEIGHTS.map(([name, label]) => {
    const control = h('input', {
      type: 'number',
      min: 0,
      max: 100,
      step: 1,
      value: String(profile.weights[name]),
      disabled,
      class: 'input-narrow',
      'data-testid': `profile-weight-${name}`,
    });
    const share = h('span', { class: 'weight-share', 'data-testid': `profile-share-${name}` });
    const fill = h('span', { class: 'weight-fill' });
    const el = h(
      'div',
      { class: 'field weight-row', 'data-field': `weights.${name}` },
      h('label', { for: `profile-weight-${name}` }, label),
      control,
      h('span', { class: 'weight-track', 'aria-hidden': 'true' }, fill),
      share,
    );
    control.id = `profile-weight-${name}`;
    control.addEventListener('input', updateShares);
    return { name, control, share, fill, el };
  });

  function updateShares() {
    const values = weights.map((w) => Math.max(0, Number(w.control.value) || 0));
    const sum = values.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => {
      const fraction = sum > 0 ? values[i] / sum : 0;
      w.share.textContent = formatPercent(fraction, 0);
      w.fill.style.width = `${fraction * 100}%`;
    });
    total.textContent =
      sum > 0
        ? `Total ${sum}: each criterion earns its share of 100 points.`
        : 'Every weight is 0: every lead scores 0.';
  }
  updateShares();

  const qualifyAt = h('input', {
    type: 'number',
    min: 0,
    max: 100,
    step: 1,
    value: String(profile.qualifyAt),
    disabled,
    class: 'input-narrow',
    'data-testid': 'profile-qualify-at',
  });
  const savedAt = h('p', { class: 'muted small', 'data-testid': 'profile-saved-at' });
  const showSaved = (at) =>
    replaceChildren(savedAt, at ? ['Saved ', time(at)] : 'Not saved yet: these are the defaults.');
  showSaved(saved.updatedAt);

  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary', 'data-testid': 'profile-save' },
    'Save profile',
  );
  const section = (title, ...content) =>
    h('fieldset', { class: 'fieldset' }, h('legend', null, title), h('div', { class: 'stack' }, ...content));
  const form = h(
    'form',
    { class: 'card stack', novalidate: true, 'data-testid': 'profile-form' },
    field({
      label: 'Profile of',
      name: 'brandId',
      control: scope,
      hint: 'A brand with a profile of its own scores its leads with it; the others use the workspace’s.',
    }),
    section(
      'What fits',
      h(
        'div',
        { class: 'profile-lists' },
        lists.map((l) => l.el),
      ),
    ),
    section(
      'Must have',
      musts.map((m) => m.el),
    ),
    section(
      'Weights',
      h('p', { class: 'hint' }, 'From 0 to 100 each; only their proportions count.'),
      weights.map((w) => w.el),
      h('p', { class: 'hint' }, total),
    ),
    field({
      label: 'Qualified from',
      name: 'qualifyAt',
      control: qualifyAt,
      hint: 'A lead scoring this or more (0–100), with every must-have, is qualified.',
    }),
    editable ? h('div', { class: 'form-actions' }, submit, savedAt) : savedAt,
  );

  onSubmit(form, async () => {
    const body = {
      ...Object.fromEntries(lists.map((l) => [l.name, splitTerms(l.control.value)])),
      mustHave: Object.fromEntries(musts.map((m) => [m.name, m.control.checked])),
      weights: Object.fromEntries(weights.map((w) => [w.name, numberOf(w.control)])),
      qualifyAt: numberOf(qualifyAt),
    };
    const result = await busy(
      submit,
      () => api(`/lead-profile${query({ brandId })}`, { method: 'PUT', body, signal: ctx.signal }),
      'Saving…',
    );
    // The API folds case and drops repeats: show what it kept.
    for (const l of lists) l.control.value = result.profile[l.name].join('\n');
    showSaved(result.updatedAt);
    toast('Profile saved.', 'success');
  });

  replaceChildren(wrap, header, form);
}
