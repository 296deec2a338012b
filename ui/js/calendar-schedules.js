/**
 * The calendar's schedules panel: the daily generation and the hourly analytics (Temporal Schedules), paused or not,
 * their next and last runs, pause / resume / run now; and the workspace's zone and generation time (admins).
 */
import { api, runPath } from './api.js';
import {
  actionButton,
  field,
  formatDateTime,
  h,
  onSubmit,
  replaceChildren,
  showErrors,
  spinner,
  toast,
} from './dom.js';
import { can } from './state.js';

export function schedulesPanel(ctx) {
  const list = h('div', { 'data-testid': 'calendar-schedules' }, spinner('Loading schedules…'));
  const settingsSlot = h('div');

  async function load() {
    const [schedules, settings] = await Promise.all([
      api('/calendar/schedules', { signal: ctx.signal }),
      api('/calendar/settings', { signal: ctx.signal }),
    ]);
    if (!ctx.isCurrent()) return;
    replaceChildren(
      list,
      schedules.items.map((s) => row(s, settings.timeZone)),
    );
    replaceChildren(
      settingsSlot,
      can('admin') ? settingsForm(settings) : h('p', { class: 'muted' }, `Time zone: ${settings.timeZone}`),
    );
  }

  /** One schedule; its times in the workspace's zone, as its spec is. */
  function row(s, timeZone) {
    const act = (action, label, kind) =>
      actionButton({ class: `btn btn-small ${kind}`, 'data-testid': `schedule-${s.kind}-${action}` }, label, () => ({
        request: () => api('/calendar/schedule-actions', { method: 'POST', body: { schedule: s.kind, action } }),
        done: action === 'trigger' ? 'Started' : action === 'pause' ? 'Paused' : 'Resumed',
        then: load,
      }));
    const last = s.recentRuns[s.recentRuns.length - 1];
    return h(
      'div',
      { class: 'cal-schedule', 'data-testid': `schedule-${s.kind}`, 'data-paused': String(s.paused) },
      h(
        'div',
        null,
        h('strong', null, s.kind === 'generation' ? 'Daily generation' : 'Hourly analytics'),
        s.paused ? h('span', { class: 'badge badge-waiting' }, 'Paused') : null,
      ),
      h('p', { class: 'muted' }, s.spec),
      h(
        'p',
        { class: 'muted' },
        s.paused ? s.note || 'Paused' : s.nextRuns[0] ? `Next: ${formatDateTime(s.nextRuns[0], { timeZone })}` : '',
      ),
      last
        ? h(
            'p',
            { class: 'muted' },
            'Last: ',
            h('a', { href: `#${runPath(last.workflowId)}` }, formatDateTime(last.scheduledAt, { timeZone })),
          )
        : null,
      can('editor')
        ? h(
            'div',
            { class: 'cal-schedule-actions' },
            s.paused ? act('resume', 'Resume', 'btn-secondary') : act('pause', 'Pause', 'btn-secondary'),
            act('trigger', 'Run now', 'btn-secondary'),
          )
        : null,
    );
  }

  function settingsForm(settings) {
    const zone = h('input', { type: 'text', name: 'timeZone', value: settings.timeZone, required: true });
    const time = h('input', { type: 'time', name: 'generationTime', value: settings.generationTime, required: true });
    const days = h('input', {
      type: 'number',
      name: 'generationDays',
      min: 1,
      max: 14,
      value: settings.generationDays,
    });
    const postTime = h('input', { type: 'time', name: 'postTime', value: settings.postTime });
    const form = h(
      'form',
      { class: 'stack-form', 'data-testid': 'calendar-settings', novalidate: true },
      field({ label: 'Time zone', name: 'timeZone', control: zone, hint: 'IANA name, e.g. Europe/Rome' }),
      field({ label: 'Generate drafts at', name: 'generationTime', control: time }),
      field({ label: 'Days ahead', name: 'generationDays', control: days }),
      field({ label: 'Drafts’ time', name: 'postTime', control: postTime }),
      h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Save settings'),
    );
    onSubmit(form, async () => {
      try {
        await api('/calendar/settings', {
          method: 'PUT',
          body: {
            timeZone: zone.value.trim(),
            generationTime: time.value,
            generationDays: Number(days.value),
            postTime: postTime.value,
          },
        });
        toast('Settings saved', 'success');
        await load();
      } catch (err) {
        showErrors(form, err);
      }
    });
    return form;
  }

  return {
    el: h(
      'section',
      { class: 'card cal-side', 'aria-labelledby': 'cal-schedules-title' },
      h('h2', { class: 'card-title', id: 'cal-schedules-title' }, 'Schedules'),
      list,
      settingsSlot,
    ),
    load,
  };
}
