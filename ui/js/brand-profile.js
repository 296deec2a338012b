/** The brand profile form (create, edit, delete) beside its live preview: on #/brands/new and in a brand's workspace. */
import { api } from './api.js';
import { busy, clientError, field, h, icon, onSubmit, runAction, safeUrl, showErrors, time, toast } from './dom.js';
import { backLink, pageHeader } from './layout.js';
import { can, forgetBrands } from './state.js';

const TEXT_FIELDS = [
  { name: 'slogan', label: 'Slogan', max: 200 },
  { name: 'category', label: 'Category', max: 80, hint: 'e.g. Coffee roastery, B2B software' },
  { name: 'voice', label: 'Voice', max: 200, hint: 'Tone of voice, e.g. “friendly, expert, no jargon”' },
  { name: 'website', label: 'Website', max: 300, type: 'url', hint: 'https://…' },
];

/** A comma-separated input's items, trimmed, empty ones dropped. */
const commaList = (control) =>
  control.value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/** #/brands/new: the profile form on a page of its own; creating goes on to the new brand's workspace. */
export function renderNewBrand(ctx) {
  const profile = brandProfile(ctx, null);
  ctx.main.appendChild(
    h('div', { class: 'page' }, backLink('#/brands', 'Brands'), pageHeader({ title: 'New brand' }), profile.el),
  );
  profile.focus();
}

/**
 * The profile form (create when `brand` is null, edit otherwise) beside its live preview.
 * @param {{side?: HTMLElement[]}} [options] side: more cards under the preview (logo, channel)
 * @returns {{el: HTMLElement, focus: () => void}}
 */
export function brandProfile(ctx, brand, { side = [] } = {}) {
  const editable = can('editor');
  const colors = (brand && brand.colors) || { primary: '#1f3a5f', secondary: '#f4a259' };

  const input = (name, attrs = {}) =>
    h('input', { type: 'text', name, value: (brand && brand[name]) || '', 'data-testid': `brand-${name}`, ...attrs });
  const name = input('name', { required: true, maxlength: 120, autocomplete: 'off' });
  const texts = Object.fromEntries(
    TEXT_FIELDS.map((f) => [f.name, input(f.name, { maxlength: f.max, type: f.type || 'text' })]),
  );
  const textarea = (name) =>
    h('textarea', {
      name,
      rows: 3,
      maxlength: 2000,
      value: (brand && brand[name]) || '',
      'data-testid': `brand-${name}`,
    });
  const mission = textarea('mission');
  const vision = textarea('vision');
  const keywords = input('keywords', { value: ((brand && brand.keywords) || []).join(', ') });
  const contentPillars = input('contentPillars', { value: ((brand && brand.contentPillars) || []).join(', ') });
  const fontFamily = input('fontFamily', { maxlength: 80, placeholder: 'e.g. Georgia, serif' });
  const primary = h('input', {
    type: 'color',
    name: 'primary',
    value: colors.primary,
    'data-testid': 'brand-color-primary',
  });
  const secondary = h('input', {
    type: 'color',
    name: 'secondary',
    value: colors.secondary,
    'data-testid': 'brand-color-secondary',
  });
  const accent = h('input', {
    type: 'color',
    name: 'accent',
    value: colors.accent || '#e76f51',
    disabled: !colors.accent,
    'aria-label': 'Accent colour value',
    'data-testid': 'brand-color-accent',
  });
  const useAccent = h('input', {
    type: 'checkbox',
    id: 'brand-use-accent',
    checked: Boolean(colors.accent),
    'data-testid': 'brand-use-accent',
  });
  useAccent.addEventListener('change', () => {
    accent.disabled = !useAccent.checked;
    preview();
  });

  // Live preview in the brand's colours and font.
  const previewName = h('p', { class: 'brand-preview-name' });
  const previewSlogan = h('p', { class: 'brand-preview-slogan' });
  const previewChip = h('span', { class: 'brand-preview-chip' }, 'Learn more');
  const previewBox = h(
    'div',
    { class: 'brand-preview', 'aria-hidden': 'true' },
    previewName,
    previewSlogan,
    previewChip,
  );
  const preview = () => {
    previewBox.style.background = primary.value;
    previewBox.style.fontFamily = fontFamily.value || '';
    previewName.style.color = '#fff';
    previewName.textContent = name.value || 'Brand name';
    previewSlogan.textContent = texts.slogan.value || 'Your slogan here';
    previewSlogan.style.color = secondary.value;
    previewChip.style.background = useAccent.checked ? accent.value : secondary.value;
  };

  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary', 'data-testid': 'brand-submit' },
    brand ? 'Save changes' : 'Create brand',
  );
  const fieldset = h(
    'fieldset',
    { class: 'plain', disabled: !editable },
    h('legend', { class: 'visually-hidden' }, 'Brand'),
    field({ label: 'Name', name: 'name', control: name }),
    h(
      'div',
      { class: 'row' },
      TEXT_FIELDS.slice(0, 2).map((f) =>
        field({ label: f.label, name: f.name, control: texts[f.name], optional: true, hint: f.hint }),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      TEXT_FIELDS.slice(2).map((f) =>
        field({ label: f.label, name: f.name, control: texts[f.name], optional: true, hint: f.hint }),
      ),
    ),
    field({ label: 'Mission', name: 'mission', control: mission, optional: true }),
    field({ label: 'Vision', name: 'vision', control: vision, optional: true }),
    field({
      label: 'Keywords',
      name: 'keywords',
      control: keywords,
      optional: true,
      hint: 'Separated by commas; posts and hashtags draw on them.',
    }),
    field({
      label: 'Content pillars',
      name: 'contentPillars',
      control: contentPillars,
      optional: true,
      hint: 'Themes the calendar drafts about in turn, separated by commas; the keywords when empty.',
    }),
    h(
      'div',
      { class: 'row row-colors', 'data-field': 'colors' },
      field({ label: 'Primary colour', name: 'colors.primary', control: primary }),
      field({ label: 'Secondary colour', name: 'colors.secondary', control: secondary }),
      h(
        'div',
        { class: 'field', 'data-field': 'colors.accent' },
        h('div', { class: 'check-label' }, useAccent, h('label', { for: 'brand-use-accent' }, 'Accent colour')),
        accent,
      ),
    ),
    field({
      label: 'Font family',
      name: 'fontFamily',
      control: fontFamily,
      optional: true,
      hint: 'Used on rendered images, e.g. “Georgia, serif”.',
    }),
  );
  const actions = h('div', { class: 'form-actions' });
  if (editable) actions.append(submit, h('a', { class: 'btn btn-ghost', href: '#/brands' }, 'Cancel'));
  if (brand && can('admin')) {
    const del = h(
      'button',
      { type: 'button', class: 'btn btn-danger-outline push-right', 'data-testid': 'brand-delete' },
      'Delete brand',
    );
    del.addEventListener(
      'click',
      () =>
        void runAction(del, {
          confirm: {
            title: `Delete ${brand.name}?`,
            message: 'The brand and its channel page are removed. Runs already started keep going.',
            confirm: 'Delete brand',
            danger: true,
          },
          request: () => api(`/brands/${encodeURIComponent(brand.id)}`, { method: 'DELETE' }),
          busyLabel: 'Deleting…',
          then: () => {
            forgetBrands();
            toast(`${brand.name} deleted.`, 'success');
            ctx.navigate('#/brands');
          },
          onError: (err) => showErrors(form, err),
        }),
    );
    actions.append(del);
  }
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'brand-form' }, fieldset, actions);
  form.addEventListener('input', preview);

  onSubmit(form, async () => {
    const text = (el) => el.value.trim() || null;
    const body = {
      name: name.value.trim(),
      slogan: text(texts.slogan),
      category: text(texts.category),
      voice: text(texts.voice),
      website: text(texts.website),
      mission: text(mission),
      vision: text(vision),
      keywords: commaList(keywords),
      contentPillars: commaList(contentPillars),
      colors: { ...(brand ? brand.colors : {}), primary: primary.value, secondary: secondary.value },
      fontFamily: text(fontFamily),
    };
    if (useAccent.checked) body.colors.accent = accent.value;
    else delete body.colors.accent;
    if (!body.name) {
      showErrors(form, clientError('name', 'A brand needs a name'));
      return;
    }
    const saved = await busy(
      submit,
      () =>
        brand
          ? api(`/brands/${encodeURIComponent(brand.id)}`, { method: 'PATCH', body })
          : api('/brands', { method: 'POST', body }),
      'Saving…',
    );
    forgetBrands();
    toast(brand ? 'Brand saved.' : `${saved.name} created.`, 'success');
    ctx.navigate(brand ? '#/brands' : `#/brands/${encodeURIComponent(saved.id)}`);
  });

  const aside = h(
    'aside',
    { class: 'brand-side' },
    h('section', { class: 'card' }, h('h2', { class: 'card-title' }, 'Preview'), previewBox),
    side,
    brand ? channelCard(brand) : null,
  );
  preview();
  return {
    el: h('div', { class: 'split' }, h('div', { class: 'card' }, form), aside),
    focus: () => name.focus(),
  };
}

function channelCard(brand) {
  return h(
    'section',
    { class: 'card' },
    h('h2', { class: 'card-title' }, 'Channel'),
    h('p', { class: 'muted' }, 'Published posts appear on the brand’s public channel page and its feed.'),
    h(
      'p',
      null,
      h(
        'a',
        {
          href: safeUrl(brand.channelUrl),
          target: '_blank',
          rel: 'noopener',
          class: 'break',
          'data-testid': 'brand-channel',
        },
        icon('external'),
        brand.channelUrl,
      ),
    ),
    h(
      'dl',
      { class: 'details' },
      h('div', { class: 'detail-row' }, h('dt', null, 'Slug'), h('dd', { class: 'mono' }, brand.slug)),
      h('div', { class: 'detail-row' }, h('dt', null, 'Created'), h('dd', null, time(brand.createdAt))),
      h('div', { class: 'detail-row' }, h('dt', null, 'Updated'), h('dd', null, time(brand.updatedAt))),
    ),
    can('editor')
      ? h(
          'a',
          {
            class: 'btn btn-secondary btn-block',
            href: `#/launch/social-post?brandId=${encodeURIComponent(brand.id)}`,
          },
          'Create a post for this brand',
        )
      : null,
  );
}
