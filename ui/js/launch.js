/** #/launch (choose an automation) and #/launch/social-post (the social post form). */
import { api, isQuiet } from './api.js';
import { approvalPolicyFields } from './approval-policy.js';
import {
  busy,
  clearErrors,
  emptyState,
  errorBox,
  field,
  h,
  icon,
  replaceChildren,
  showErrors,
  spinner,
  toast,
} from './dom.js';
import { AUTOMATIONS, loadBrands, PLATFORMS, POST_TYPES } from './state.js';
import { runHref } from './runs.js';

export function renderLaunchIndex(ctx) {
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'page-header' },
        h('div', null, h('h1', null, 'New run'), h('p', { class: 'muted' }, 'Choose what to automate.')),
      ),
      h(
        'div',
        { class: 'grid-cards' },
        AUTOMATIONS.map((a) =>
          h(
            'a',
            { class: 'card card-link', href: a.launch, 'data-testid': `launch-${a.name}` },
            h('h2', { class: 'card-title' }, a.title),
            h('p', { class: 'muted' }, a.description),
            h('span', { class: 'card-link-cta' }, 'Start →'),
          ),
        ),
      ),
    ),
  );
}

export async function renderLaunch(ctx) {
  const wrap = h('div', { class: 'page narrow-wide' });
  ctx.main.appendChild(wrap);
  const header = h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      null,
      h(
        'nav',
        { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
        h('a', { href: '#/launch' }, icon('back'), 'New run'),
      ),
      h('h1', null, 'New social post'),
      h(
        'p',
        { class: 'muted' },
        'Studioflow writes the copy, renders the image in the brand colours, waits for your approval and publishes it on the brand channel.',
      ),
    ),
  );
  wrap.append(header, spinner('Loading brands…'));

  let brands;
  try {
    brands = await loadBrands({ fresh: true, signal: ctx.signal });
  } catch (err) {
    if (isQuiet(err)) throw err;
    replaceChildren(
      wrap,
      header,
      errorBox(err, () => ctx.navigate(location.hash)),
    );
    return;
  }
  if (!ctx.isCurrent()) return;
  if (brands.length === 0) {
    replaceChildren(
      wrap,
      header,
      h(
        'div',
        { class: 'card' },
        emptyState(
          'No brands yet',
          'A post is written for a brand: its voice, keywords and colours. Create one first.',
          h(
            'a',
            { class: 'btn btn-primary', href: '#/brands/new', 'data-testid': 'create-brand-link' },
            'Create a brand',
          ),
        ),
      ),
    );
    return;
  }

  const preselect = ctx.query.get('brandId');
  const brandSelect = h(
    'select',
    { name: 'brandId', required: true, 'data-testid': 'launch-brand' },
    brands.map((b) => h('option', { value: b.id, selected: b.id === preselect }, b.name)),
  );

  // Platform: a segmented radio group.
  const platformGroup = h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-labelledby': 'platform-label', 'data-testid': 'launch-platform' },
    PLATFORMS.map((p, i) =>
      h(
        'label',
        { class: 'segment' },
        h('input', {
          type: 'radio',
          name: 'platform',
          value: p.name,
          checked: i === 0,
          'data-testid': `platform-${p.name}`,
        }),
        h('span', null, p.title),
      ),
    ),
  );
  const formatGroup = h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-labelledby': 'format-label', 'data-testid': 'launch-format' },
    h(
      'label',
      { class: 'segment' },
      h('input', { type: 'radio', name: 'format', value: 'square', checked: true, 'data-testid': 'format-square' }),
      h('span', null, 'Square · 1080×1080'),
    ),
    h(
      'label',
      { class: 'segment' },
      h('input', { type: 'radio', name: 'format', value: 'story', 'data-testid': 'format-story' }),
      h('span', null, 'Story · 1080×1920'),
    ),
  );
  let formatTouched = false;
  formatGroup.addEventListener('change', () => (formatTouched = true));
  platformGroup.addEventListener('change', () => {
    if (formatTouched) return;
    const platform = PLATFORMS.find((p) => p.name === radioValue('platform'));
    if (platform) formatGroup.querySelector(`input[value="${platform.defaultFormat}"]`).checked = true;
  });

  const postTypeGroup = h(
    'div',
    {
      class: 'choice-grid',
      role: 'radiogroup',
      'aria-labelledby': 'post-type-label',
      'data-testid': 'launch-post-type',
    },
    POST_TYPES.map((t, i) =>
      h(
        'label',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'postType',
          value: t.name,
          checked: i === 0,
          'data-testid': `post-type-${t.name}`,
        }),
        h(
          'span',
          { class: 'choice-body' },
          h('span', { class: 'choice-title' }, t.title),
          h('span', { class: 'choice-desc' }, t.description),
        ),
      ),
    ),
  );

  const topic = h('input', {
    type: 'text',
    name: 'topic',
    maxlength: 300,
    placeholder: 'e.g. Our new autumn blend',
    'data-testid': 'launch-topic',
  });
  const approval = approvalPolicyFields({
    label: 'Require a human to approve the post before it is published',
  });

  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-large', 'data-testid': 'launch-submit' },
    'Create post',
  );
  const form = h(
    'form',
    { class: 'card stack launch-form', novalidate: true, 'data-testid': 'launch-form' },
    field({
      label: 'Brand',
      name: 'input.brandId',
      control: brandSelect,
      hint: h(
        'span',
        null,
        'The post uses its voice, keywords and colours. ',
        h('a', { href: '#/brands/new' }, 'New brand'),
      ),
    }),
    h(
      'div',
      { class: 'field', 'data-field': 'input.platform' },
      h('span', { class: 'label', id: 'platform-label' }, 'Platform'),
      platformGroup,
    ),
    h(
      'div',
      { class: 'field', 'data-field': 'input.postType' },
      h('span', { class: 'label', id: 'post-type-label' }, 'Post type'),
      postTypeGroup,
    ),
    h(
      'div',
      { class: 'field', 'data-field': 'input.format' },
      h('span', { class: 'label', id: 'format-label' }, 'Image format'),
      formatGroup,
      h('p', { class: 'hint' }, 'Defaults by platform: story for TikTok, square elsewhere.'),
    ),
    field({
      label: 'Topic',
      name: 'input.topic',
      control: topic,
      optional: true,
      hint: 'What the post is about. Leave empty to let the brand’s keywords decide.',
    }),
    approval.el,
    h('div', { class: 'form-actions' }, submit, h('a', { class: 'btn btn-ghost', href: '#/runs' }, 'Cancel')),
  );

  function radioValue(name) {
    const checked = form.querySelector(`input[name="${name}"]:checked`);
    return checked ? checked.value : undefined;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const policy = approval.read();
    if (policy.error) {
      showErrors(form, policy.error);
      return;
    }
    const input = {
      brandId: brandSelect.value,
      platform: radioValue('platform'),
      postType: radioValue('postType'),
      format: radioValue('format'),
      approval: policy.value,
    };
    if (topic.value.trim()) input.topic = topic.value.trim();
    try {
      const run = await busy(
        submit,
        () => api('/runs', { method: 'POST', body: { automation: 'social-post', input } }),
        'Starting…',
      );
      toast('Run started.', 'success');
      ctx.navigate(runHref(run.id));
    } catch (err) {
      if (isQuiet(err)) return;
      showErrors(form, err);
    }
  });

  replaceChildren(wrap, header, form);
}
