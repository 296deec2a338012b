/** #/brands: the workspace's brands as cards, a page at a time. */
import { api, isQuiet, query } from './api.js';
import { busy, emptyState, h, icon, replaceChildren, safeUrl, spinner, toast } from './dom.js';
import { pageHeader } from './layout.js';
import { showPageError } from './load.js';
import { can } from './state.js';

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
      pageHeader({
        title: 'Brands',
        description: 'The voice, keywords and colours automations write and design with.',
        actions: can('editor')
          ? h(
              'a',
              { class: 'btn btn-primary', href: '#/brands/new', 'data-testid': 'new-brand' },
              icon('launch'),
              'New brand',
            )
          : null,
      }),
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
    showPageError(ctx, err, body);
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
