/**
 * #/brands/<id>: a brand's workspace, one tab each for its profile (form and logo), KPIs, diagnoses, documents,
 * reports and connected platform accounts. `?tab=` names the open tab, so links and reloads land on it; tabs render when first opened.
 */
import { api, brandPath } from './api.js';
import { h, icon, replaceChildren, spinner } from './dom.js';
import { brandProfile } from './brand-profile.js';
import { renderConnectedAccountsSection } from './connected-accounts.js';
import { renderDiagnosisSection } from './diagnosis-list.js';
import { renderDocumentSection } from './documents.js';
import { renderKpiSection } from './kpis.js';
import { backLink } from './layout.js';
import { failedTitle, showPageError } from './load.js';
import { logoCard, logoSrc } from './logo.js';
import { newReportHref, renderReportSection } from './reports.js';
import { can } from './state.js';

const TABS = [
  { key: 'profile', label: 'Profile' },
  { key: 'kpis', label: 'KPIs', render: renderKpiSection },
  { key: 'diagnosis', label: 'Diagnosis', render: renderDiagnosisSection },
  { key: 'documents', label: 'Documents', render: renderDocumentSection },
  { key: 'reports', label: 'Reports', render: renderReportSection },
  { key: 'accounts', label: 'Connected accounts', render: renderConnectedAccountsSection },
];

export const brandHref = (brandId, tab) =>
  `#/brands/${encodeURIComponent(brandId)}${tab && tab !== 'profile' ? `?tab=${tab}` : ''}`;

export async function renderBrandWorkspace(ctx) {
  const brandId = ctx.params[0];
  const wrap = h('div', { class: 'page' });
  const crumbs = backLink('#/brands', 'Brands');
  wrap.append(crumbs, spinner('Loading brand…'));
  ctx.main.appendChild(wrap);

  let brand;
  try {
    brand = await api(brandPath(brandId), { signal: ctx.signal });
  } catch (err) {
    showPageError(ctx, err, wrap, crumbs, failedTitle(err, 'Brand not found', 'Could not load the brand'));
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(brand.name);

  const mark = h('div', { class: 'brand-mark', 'aria-hidden': 'true' });
  const drawMark = () => {
    const src = logoSrc(brand);
    const colors = brand.colors || {};
    mark.style.background = src ? '' : colors.primary || '#1f3a5f';
    mark.style.color = colors.secondary || '#fff';
    replaceChildren(mark, src ? h('img', { src, alt: '' }) : (brand.name || '?').charAt(0).toUpperCase());
  };
  drawMark();

  const header = h(
    'header',
    { class: 'page-header brand-header' },
    h(
      'div',
      { class: 'brand-heading' },
      mark,
      h(
        'div',
        null,
        h('h1', null, brand.name),
        brand.slogan ? h('p', { class: 'brand-slogan' }, brand.slogan) : null,
        !can('editor') ? h('p', { class: 'muted' }, 'You can view this brand; editors can change it.') : null,
      ),
    ),
    can('editor')
      ? h(
          'div',
          { class: 'page-actions' },
          h(
            'a',
            { class: 'btn btn-secondary', href: `#/launch/social-post?brandId=${encodeURIComponent(brand.id)}` },
            'New post',
          ),
          h(
            'a',
            { class: 'btn btn-primary', href: newReportHref(brand.id), 'data-testid': 'brand-new-report' },
            icon('launch'),
            'New report',
          ),
        )
      : null,
  );

  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': `${brand.name} sections` });
  const panels = new Map();
  const buttons = new Map();
  for (const tab of TABS) {
    const button = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${tab.key}`,
        class: 'tab',
        'aria-controls': `panel-${tab.key}`,
        'aria-selected': 'false',
        tabindex: '-1',
        'data-testid': `tab-${tab.key}`,
      },
      tab.label,
    );
    button.addEventListener('click', () => select(tab.key));
    buttons.set(tab.key, button);
    tablist.appendChild(button);
    panels.set(
      tab.key,
      h('div', {
        role: 'tabpanel',
        id: `panel-${tab.key}`,
        class: 'tab-panel',
        'aria-labelledby': `tab-${tab.key}`,
        tabindex: '0',
        hidden: true,
        'data-testid': `panel-${tab.key}`,
      }),
    );
  }
  tablist.addEventListener('keydown', (event) => {
    const keys = TABS.map((t) => t.key);
    const at = keys.indexOf(event.target.id.replace(/^tab-/, ''));
    const to = {
      ArrowRight: (at + 1) % keys.length,
      ArrowLeft: (at - 1 + keys.length) % keys.length,
      Home: 0,
      End: keys.length - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    select(keys[to]);
    buttons.get(keys[to]).focus();
  });

  const rendered = new Set();
  function select(key) {
    for (const [k, button] of buttons) {
      const on = k === key;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      panels.get(k).hidden = !on;
    }
    if (!rendered.has(key)) {
      rendered.add(key);
      const panel = panels.get(key);
      if (key === 'profile') renderProfile(panel);
      else TABS.find((t) => t.key === key).render(ctx, brand, panel);
    }
    // The address names the tab without a navigation (which would render the page again).
    const href = brandHref(brand.id, key);
    if (location.hash !== href) window.history.replaceState(null, '', href);
  }

  function renderProfile(panel) {
    const profile = brandProfile(ctx, brand, {
      side: [
        logoCard(brand, (next) => {
          brand = { ...brand, ...next };
          drawMark();
        }),
      ],
    });
    panel.appendChild(profile.el);
  }

  replaceChildren(wrap, crumbs, header, tablist, ...panels.values());
  const wanted = ctx.query.get('tab');
  select(TABS.some((t) => t.key === wanted) ? wanted : 'profile');
}
