/**
 * #/calendar: the editorial calendar. Month and week views of the workspace's entries (`?view=week&day=…&brandId=…`
 * in the address), drag and drop to move an entry to another day (same time), an entry drawer, the schedules panel.
 */
import { api, isQuiet, query } from './api.js';
import { errorBox, field, h, icon, replaceChildren, spinner, toast } from './dom.js';
import { addDays, calendarGrid, daysOf, rangeLabel } from './calendar-grid.js';
import { entryDrawer } from './calendar-drawer.js';
import { schedulesPanel } from './calendar-schedules.js';
import { pageHeader } from './layout.js';
import { can, loadBrands } from './state.js';

const DAY_MS = 86_400_000;

function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

export async function renderCalendar(ctx) {
  const view = ctx.query.get('view') === 'week' ? 'week' : 'month';
  const brandId = ctx.query.get('brandId') || '';
  const go = (params) => ctx.navigate(`#/calendar${query({ view, day: anchor, brandId, ...params })}`);

  const settings = await api('/calendar/settings', { signal: ctx.signal }).catch((err) => {
    if (!isQuiet(err)) ctx.main.appendChild(errorBox(err, () => ctx.navigate('#/calendar')));
    return null;
  });
  if (!settings || !ctx.isCurrent()) return;
  const today = todayIn(settings.timeZone);
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.get('day') || '') ? ctx.query.get('day') : today;
  let brands = [];
  try {
    brands = await loadBrands({ signal: ctx.signal });
  } catch (err) {
    if (isQuiet(err)) return;
  }
  if (!ctx.isCurrent()) return;

  const gridSlot = h('div', { class: 'cal-grid-wrap' }, spinner('Loading the calendar…'));
  const drawerSlot = h('div', { class: 'cal-drawer-slot' });
  const panel = schedulesPanel(ctx);
  const brandSelect = h(
    'select',
    { name: 'brandId', 'data-testid': 'calendar-brand' },
    h('option', { value: '' }, 'All brands'),
    brands.map((b) => h('option', { value: b.id, selected: b.id === brandId }, b.name)),
  );
  brandSelect.addEventListener('change', () => go({ brandId: brandSelect.value }));
  const step = view === 'week' ? 7 : null;
  const shift = (n) => (step ? addDays(anchor, n * step) : shiftMonth(anchor, n));
  const viewButton = (v, label) =>
    h(
      'a',
      {
        class: ['btn', 'btn-small', v === view ? 'btn-primary' : 'btn-secondary'],
        href: `#/calendar${query({ view: v, day: anchor, brandId })}`,
        'data-testid': `calendar-view-${v}`,
        'aria-current': v === view ? 'page' : null,
      },
      label,
    );

  ctx.main.appendChild(
    h(
      'div',
      { class: 'page cal-page' },
      pageHeader({
        title: 'Calendar',
        description: `Plan, approve and publish on schedule. Times are in ${settings.timeZone}.`,
        actions:
          can('editor') && brands.length
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn-primary',
                  'data-testid': 'calendar-new',
                  onclick: () => openNew(today),
                },
                icon('launch'),
                'New entry',
              )
            : null,
      }),
      h(
        'div',
        { class: 'cal-toolbar filters' },
        field({ label: 'Brand', name: 'brandId', control: brandSelect, class: 'field-inline' }),
        h(
          'div',
          { class: 'cal-nav' },
          h(
            'a',
            {
              class: 'btn btn-small btn-secondary',
              href: `#/calendar${query({ view, day: shift(-1), brandId })}`,
              'aria-label': 'Previous',
            },
            '‹',
          ),
          h(
            'a',
            { class: 'btn btn-small btn-secondary', href: `#/calendar${query({ view, day: today, brandId })}` },
            'Today',
          ),
          h(
            'a',
            {
              class: 'btn btn-small btn-secondary',
              href: `#/calendar${query({ view, day: shift(1), brandId })}`,
              'aria-label': 'Next',
            },
            '›',
          ),
          h('strong', { class: 'cal-range', 'data-testid': 'calendar-range' }, rangeLabel(view, anchor)),
        ),
        h('div', { class: 'cal-views' }, viewButton('month', 'Month'), viewButton('week', 'Week')),
      ),
      h('div', { class: 'cal-layout' }, h('div', { class: 'card cal-main' }, gridSlot), drawerSlot, panel.el),
    ),
  );

  let entries = [];
  async function load() {
    const days = daysOf(view, anchor);
    // A day either side: an entry's instant may sit on the next or previous UTC day of its local date.
    const from = new Date(Date.parse(`${days[0]}T00:00:00Z`) - DAY_MS).toISOString();
    const to = new Date(Date.parse(`${days[days.length - 1]}T00:00:00Z`) + 2 * DAY_MS).toISOString();
    try {
      const page = await api(`/calendar/entries${query({ from, to, brandId })}`, { signal: ctx.signal });
      if (!ctx.isCurrent()) return;
      entries = page.items;
      draw();
    } catch (err) {
      if (isQuiet(err)) return;
      replaceChildren(
        gridSlot,
        errorBox(err, () => void load()),
      );
    }
  }

  function draw() {
    replaceChildren(
      gridSlot,
      calendarGrid({
        view,
        anchor,
        today,
        entries,
        canEdit: can('editor'),
        onOpen: openEntry,
        onMove: move,
        onNew: openNew,
      }),
    );
  }

  async function move(entry, localAt) {
    try {
      await api(`/calendar/entries/${entry.id}`, { method: 'PATCH', body: { version: entry.version, localAt } });
      toast(`Moved to ${localAt.replace('T', ' ')}`, 'success');
    } catch (err) {
      if (!isQuiet(err)) toast(err.message, 'error');
    }
    await load();
  }

  const close = () => replaceChildren(drawerSlot);
  const changed = async () => {
    close();
    await load();
  };
  async function openEntry(entry) {
    const fresh = await api(`/calendar/entries/${entry.id}`, { signal: ctx.signal });
    replaceChildren(
      drawerSlot,
      entryDrawer({ entry: fresh, brands, canEdit: can('editor'), onClose: close, onChanged: changed }),
    );
  }
  function openNew(day) {
    replaceChildren(
      drawerSlot,
      entryDrawer({
        entry: null,
        day,
        brands,
        brandId: brandId || (brands[0] && brands[0].id),
        canEdit: true,
        onClose: close,
        onChanged: changed,
      }),
    );
  }

  // Entries change status on their own (published at their minute): refresh while the page is open.
  const timer = window.setInterval(() => void load(), 15_000);
  ctx.cleanup(() => window.clearInterval(timer));
  await Promise.all([load(), panel.load().catch((err) => !isQuiet(err) && toast(err.message, 'error'))]);
}

function shiftMonth(day, n) {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}
