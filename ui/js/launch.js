/** #/launch (choose an automation) and #/launch/social-post (the social post form). */

import { approvalPolicyFields } from './approval-policy.js';
import { openLaunchPage, startRunOnSubmit } from './launch-page.js';
import { field, h, replaceChildren } from './dom.js';
import { AUTOMATIONS, PLATFORMS, POST_TYPES } from './state.js';

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
  const page = await openLaunchPage(ctx, {
    title: 'New social post',
    description:
      'Studioflow writes the copy, renders the image in the brand colours, waits for your approval and publishes it on the brand channel.',
    noBrands: 'A post is written for a brand: its voice, keywords and colours. Create one first.',
  });
  if (!page) return;
  const { wrap, header, brandSelect } = page;

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
    h(
      'label',
      { class: 'segment' },
      h('input', { type: 'radio', name: 'format', value: 'carousel', 'data-testid': 'format-carousel' }),
      h('span', null, 'Carousel · 3–5 slides'),
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
      h(
        'p',
        { class: 'hint' },
        'Defaults by platform: story for TikTok, square elsewhere. A carousel is a cover, the caption’s points and a call to action, square; X shows 4 of them.',
      ),
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

  startRunOnSubmit(ctx, form, submit, {
    automation: 'social-post',
    started: 'Run started.',
    read: () => {
      const policy = approval.read();
      if (policy.error) return { error: policy.error };
      const input = {
        brandId: brandSelect.value,
        platform: radioValue('platform'),
        postType: radioValue('postType'),
        format: radioValue('format'),
        approval: policy.value,
      };
      if (topic.value.trim()) input.topic = topic.value.trim();
      return { value: input };
    },
  });

  replaceChildren(wrap, header, form);
}
