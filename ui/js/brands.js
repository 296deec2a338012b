/** #/brands (list), #/brands/new, and the brand profile form (create, edit, delete) the brand workspace shows. */
import { api, isQuiet, query } from './api.js';
import {
  busy,
  clearErrors,
  clientError,
  confirmDialog,
  emptyState,
  errorBox,
  field,
  h,
  icon,
  replaceChildren,
  safeUrl,
  showErrors,
  spinner,
  time,
  toast,
} from './dom.js';
import { can, forgetBrands } from './state.js';

const PAGE = 24;

export async function renderBrands(ctx) {
  const grid = h('div', { class: 'grid-cards brand-grid', 'data-testid': 'brand-list' });
  const more = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', hidden: true, 'data-testid': 'brands-load-more' },
    'Load more',
  );
  const body = h('div', null, spinner('Loading brands…'));
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'page-header' },
        h(
          'div',
          null,
          h('h1', null, 'Brands'),
          h('p', { class: 'muted' }, 'The voice, keywords and colours automations write and design with.'),
        ),
        can('editor')
          ? h(
              'a',
              { class: 'btn btn-primary', href: '#/brands/new', 'data-testid': 'new-brand' },
              icon('launch'),
              'New brand',
            )
          : null,
      ),
      body,
      h('div', { class: 'load-more' }, more),
    ),
  );

  let cursor = null;
  const load = async () => {
    const page = await api(`/brands${query({ limit: PAGE, cursor })}`, { signal: ctx.signal });
    cursor = page.nextCursor;
    more.hidden = !cursor;
    return page.items;
  };

  let first;
  try {
    first = await load();
  } catch (err) {
    if (isQuiet(err)) throw err;
    replaceChildren(
      body,
      errorBox(err, () => ctx.navigate(location.hash)),
    );
    return;
  }
  if (first.length === 0) {
    replaceChildren(
      body,
      h(
        'div',
        { class: 'card' },
        emptyState(
          'No brands yet',
          'Create a brand to launch posts for it.',
          can('editor') ? h('a', { class: 'btn btn-primary', href: '#/brands/new' }, 'Create a brand') : null,
        ),
      ),
    );
    return;
  }
  grid.append(...first.map(brandCard));
  replaceChildren(body, grid);
  more.addEventListener(
    'click',
    () =>
      void busy(more, async () => {
        try {
          grid.append(...(await load()).map(brandCard));
        } catch (err) {
          if (!isQuiet(err)) toast(err.message, 'error');
        }
      }),
  );
}

function brandCard(b) {
  const colors = b.colors || {};
  return h(
    'article',
    { class: 'card brand-card', 'data-testid': 'brand-card', 'data-brand-id': b.id },
    h(
      'div',
      {
        class: 'brand-swatch',
        style: {
          background: `linear-gradient(135deg, ${colors.primary || '#1f3a5f'} 0%, ${colors.primary || '#1f3a5f'} 55%, ${colors.secondary || '#f4a259'} 55%)`,
        },
      },
      h(
        'span',
        { class: 'brand-initial', style: { color: colors.secondary || '#fff' } },
        (b.name || '?').charAt(0).toUpperCase(),
      ),
    ),
    h(
      'div',
      { class: 'brand-card-body' },
      h(
        'h2',
        { class: 'card-title' },
        h('a', { href: `#/brands/${encodeURIComponent(b.id)}`, 'data-testid': 'brand-link' }, b.name),
      ),
      b.slogan ? h('p', { class: 'brand-slogan' }, b.slogan) : null,
      h(
        'div',
        { class: 'chips' },
        b.category ? h('span', { class: 'chip chip-accent' }, b.category) : null,
        (b.keywords || []).slice(0, 4).map((k) => h('span', { class: 'chip' }, k)),
        (b.keywords || []).length > 4 ? h('span', { class: 'chip muted' }, `+${b.keywords.length - 4}`) : null,
      ),
    ),
    h(
      'footer',
      { class: 'brand-card-foot' },
      b.channelUrl
        ? h(
            'a',
            { href: safeUrl(b.channelUrl), target: '_blank', rel: 'noopener', 'data-testid': 'brand-channel' },
            icon('external'),
            'Channel page',
          )
        : null,
      can('editor') ? h('a', { href: `#/launch/social-post?brandId=${encodeURIComponent(b.id)}` }, 'New post') : null,
    ),
  );
}

const TEXT_FIELDS = [
  { name: 'slogan', label: 'Slogan', max: 200 },
  { name: 'category', label: 'Category', max: 80, hint: 'e.g. Coffee roastery, B2B software' },
  { name: 'voice', label: 'Voice', max: 200, hint: 'Tone of voice, e.g. “friendly, expert, no jargon”' },
  { name: 'website', label: 'Website', max: 300, type: 'url', hint: 'https://…' },
];

/** #/brands/new: the profile form on a page of its own; creating goes on to the new brand's workspace. */
export function renderNewBrand(ctx) {
  const profile = brandProfile(ctx, null);
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      h(
        'nav',
        { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
        h('a', { href: '#/brands' }, icon('back'), 'Brands'),
      ),
      h('header', { class: 'page-header' }, h('div', null, h('h1', null, 'New brand'))),
      profile.el,
    ),
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
  const mission = h('textarea', {
    name: 'mission',
    rows: 3,
    maxlength: 2000,
    value: (brand && brand.mission) || '',
    'data-testid': 'brand-mission',
  });
  const vision = h('textarea', {
    name: 'vision',
    rows: 3,
    maxlength: 2000,
    value: (brand && brand.vision) || '',
    'data-testid': 'brand-vision',
  });
  const keywords = input('keywords', { value: ((brand && brand.keywords) || []).join(', ') });
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
    del.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `Delete ${brand.name}?`,
        message: 'The brand and its channel page are removed. Runs already started keep going.',
        confirm: 'Delete brand',
        danger: true,
      });
      if (!ok) return;
      try {
        await busy(del, () => api(`/brands/${encodeURIComponent(brand.id)}`, { method: 'DELETE' }), 'Deleting…');
        forgetBrands();
        toast(`${brand.name} deleted.`, 'success');
        ctx.navigate('#/brands');
      } catch (err) {
        if (!isQuiet(err)) showErrors(form, err);
      }
    });
    actions.append(del);
  }
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'brand-form' }, fieldset, actions);
  form.addEventListener('input', preview);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const text = (el) => el.value.trim() || null;
    const body = {
      name: name.value.trim(),
      slogan: text(texts.slogan),
      category: text(texts.category),
      voice: text(texts.voice),
      website: text(texts.website),
      mission: text(mission),
      vision: text(vision),
      keywords: keywords.value
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      colors: { ...(brand ? brand.colors : {}), primary: primary.value, secondary: secondary.value },
      fontFamily: text(fontFamily),
    };
    if (useAccent.checked) body.colors.accent = accent.value;
    else delete body.colors.accent;
    if (!body.name) {
      showErrors(form, clientError('name', 'A brand needs a name'));
      return;
    }
    try {
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
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
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
