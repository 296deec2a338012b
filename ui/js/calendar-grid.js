/**
 * The calendar's month and week grids. Days are local dates of the workspace's zone (`YYYY-MM-DD`); an entry sits on
 * the day of its `localAt`. Chips of entries that can still change are draggable onto another day: the drop keeps the
 * entry's time of day and calls `onMove(entry, newLocalAt)`.
 */
import { h } from './dom.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MOVABLE = new Set(['idea', 'draft', 'scheduled', 'failed']);

/** `YYYY-MM-DD` ± days, on the calendar (no zone involved). */
export function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the week holding `day`. */
export function mondayOf(day) {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The days a view shows: six weeks from the Monday before the 1st (month), or the week (week). */
export function daysOf(view, anchor) {
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(mondayOf(anchor), i));
  const first = mondayOf(`${anchor.slice(0, 7)}-01`);
  return Array.from({ length: 42 }, (_, i) => addDays(first, i));
}

export function rangeLabel(view, anchor) {
  const fmt = (day, o) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', ...o });
  if (view === 'month') return fmt(anchor, { month: 'long', year: 'numeric' });
  const days = daysOf('week', anchor);
  return `${fmt(days[0], { day: 'numeric', month: 'short' })} – ${fmt(days[6], { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

const timeOf = (entry) => entry.localAt.slice(11, 16);

function chip(entry, o) {
  const movable = o.canEdit && MOVABLE.has(entry.status);
  const flagged = entry.validation && !entry.validation.ok && entry.status !== 'cancelled';
  const el = h(
    'button',
    {
      type: 'button',
      class: ['cal-chip', `cal-chip-${entry.status}`, flagged ? 'cal-chip-flagged' : null],
      draggable: movable ? 'true' : null,
      title: flagged ? entry.validation.problems.map((p) => p.message).join('; ') : entry.topic || '',
      'data-testid': 'calendar-entry',
      'data-entry-id': entry.id,
      'data-status': entry.status,
      onclick: () => o.onOpen(entry),
    },
    h('span', { class: 'cal-chip-time' }, timeOf(entry)),
    h('span', { class: 'cal-chip-topic' }, entry.topic || (entry.copy && entry.copy.caption) || 'Untitled'),
    flagged ? h('span', { class: 'cal-chip-flag', 'aria-label': 'fails validation' }, '!') : null,
  );
  if (movable)
    el.addEventListener('dragstart', (event) => {
      event.dataTransfer.setData('text/plain', entry.id);
      event.dataTransfer.effectAllowed = 'move';
    });
  return el;
}

/**
 * @param {{view: 'month'|'week', anchor: string, today: string, entries: object[], canEdit: boolean,
 *   onOpen: (entry) => void, onMove: (entry, localAt: string) => void, onNew: (day: string) => void}} o
 */
export function calendarGrid(o) {
  const days = daysOf(o.view, o.anchor);
  const byDay = new Map();
  for (const e of o.entries) {
    const day = e.localAt.slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(e);
  }
  const month = o.anchor.slice(0, 7);
  const cells = days.map((day) => {
    const entries = (byDay.get(day) || []).sort((a, b) => a.localAt.localeCompare(b.localAt));
    const cell = h(
      'div',
      {
        class: [
          'cal-day',
          day === o.today ? 'cal-today' : null,
          o.view === 'month' && day.slice(0, 7) !== month ? 'cal-outside' : null,
        ],
        'data-day': day,
        'data-testid': 'calendar-day',
      },
      h(
        'div',
        { class: 'cal-day-head' },
        h(
          'span',
          { class: 'cal-day-number' },
          o.view === 'week' ? `${WEEKDAYS[days.indexOf(day)]} ${Number(day.slice(8))}` : String(Number(day.slice(8))),
        ),
        o.canEdit
          ? h(
              'button',
              { type: 'button', class: 'cal-add', 'aria-label': `New entry on ${day}`, onclick: () => o.onNew(day) },
              '+',
            )
          : null,
      ),
      h(
        'div',
        { class: 'cal-day-entries' },
        entries.map((e) => chip(e, o)),
      ),
    );
    if (o.canEdit) {
      cell.addEventListener('dragover', (event) => {
        event.preventDefault();
        cell.classList.add('cal-drop');
      });
      cell.addEventListener('dragleave', () => cell.classList.remove('cal-drop'));
      cell.addEventListener('drop', (event) => {
        event.preventDefault();
        cell.classList.remove('cal-drop');
        const entry = o.entries.find((e) => e.id === event.dataTransfer.getData('text/plain'));
        if (entry && entry.localAt.slice(0, 10) !== day) o.onMove(entry, `${day}${entry.localAt.slice(10)}`);
      });
    }
    return cell;
  });
  return h(
    'div',
    { class: ['cal-grid', `cal-${o.view}`], 'data-testid': `calendar-${o.view}` },
    WEEKDAYS.map((d) => h('div', { class: 'cal-weekday' }, d)),
    cells,
  );
}
