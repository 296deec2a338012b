/**
 * The entry drawer: a new entry or an existing one — when, where, what (topic, copy, media preview), its validation
 * results, its runs and results — with save, approve and cancel.
 */
import { api, runPath } from './api.js';
import { actionButton, field, h, onSubmit, showErrors, statusBadge, toast } from './dom.js';

const TARGETS = ['local', 'instagram', 'facebook', 'linkedin', 'x', 'tiktok', 'youtube'];
const TARGET_LABELS = {
  local: 'Brand channel',
  instagram: 'Instagram',
  facebook: 'Facebook',
  linkedin: 'LinkedIn',
  x: 'X',
  tiktok: 'TikTok',
  youtube: 'YouTube',
};
const POST_TYPES = [
  'educational',
  'promotional',
  'engagement',
  'storytelling',
  'announcement',
  'tips',
  'testimonial',
  'seasonal',
  'trending',
];
const EDITABLE = new Set(['idea', 'draft', 'scheduled', 'failed']);

function validationList(validation) {
  if (!validation) return h('p', { class: 'muted' }, 'Not validated yet: it is when the entry is scheduled.');
  if (validation.ok)
    return h(
      'p',
      { class: 'cal-valid', 'data-testid': 'calendar-validation' },
      `Ready to publish (checked ${validation.stage}).`,
    );
  return h(
    'ul',
    { class: 'cal-problems', 'data-testid': 'calendar-validation' },
    validation.problems.map((p) => h('li', null, `${p.platform ? `${TARGET_LABELS[p.platform]}: ` : ''}${p.message}`)),
  );
}

function mediaPreview(media) {
  if (!media) return null;
  const label = `${media.width}×${media.height}${media.durationSeconds ? `, ${media.durationSeconds} s` : ''}`;
  return h(
    'figure',
    { class: 'cal-media' },
    media.kind === 'image'
      ? h('img', { src: media.url, alt: 'Entry media' })
      : h('video', { src: media.url, controls: true, preload: 'metadata' }),
    h('figcaption', { class: 'muted' }, label),
  );
}

/**
 * @param {{entry: object|null, day?: string, brands: object[], brandId?: string, canEdit: boolean,
 *   onClose: () => void, onChanged: () => void}} o
 */
export function entryDrawer(o) {
  const e = o.entry;
  const editable = o.canEdit && (!e || EDITABLE.has(e.status));
  const brand = h(
    'select',
    { name: 'brandId', disabled: Boolean(e) || !editable },
    o.brands.map((b) => h('option', { value: b.id, selected: b.id === (e ? e.brandId : o.brandId) }, b.name)),
  );
  const when = h('input', {
    type: 'datetime-local',
    name: 'localAt',
    required: true,
    value: e ? e.localAt.slice(0, 16) : `${o.day}T10:00`,
    disabled: !editable,
  });
  const targets = h(
    'div',
    { class: 'cal-targets', role: 'group', 'aria-label': 'Platforms' },
    TARGETS.map((t) =>
      h(
        'label',
        { class: 'cal-check' },
        h('input', {
          type: 'checkbox',
          name: 'platforms',
          value: t,
          checked: (e ? e.platforms : ['local']).includes(t),
          disabled: !editable,
        }),
        ` ${TARGET_LABELS[t]}`,
      ),
    ),
  );
  const postType = h(
    'select',
    { name: 'postType', disabled: !editable },
    POST_TYPES.map((t) => h('option', { value: t, selected: t === (e ? e.postType : 'educational') }, t)),
  );
  const topic = h('input', {
    type: 'text',
    name: 'topic',
    maxlength: 300,
    value: (e && e.topic) || '',
    disabled: !editable,
  });
  const caption = h('textarea', { name: 'copy', rows: 5, disabled: !editable }, (e && e.copy && e.copy.caption) || '');

  const form = h(
    'form',
    { class: 'stack-form', 'data-testid': 'calendar-entry-form', novalidate: true },
    field({ label: 'Brand', name: 'brandId', control: brand }),
    field({ label: 'Date and time', name: 'localAt', control: when, hint: 'In the workspace’s time zone' }),
    field({ label: 'Platforms', name: 'platforms', control: targets }),
    field({ label: 'Post type', name: 'postType', control: postType }),
    field({ label: 'Topic', name: 'topic', control: topic, optional: true }),
    field({
      label: 'Ready copy',
      name: 'copy',
      control: caption,
      optional: true,
      hint: 'Checked against each platform’s limits',
    }),
    editable
      ? h(
          'button',
          { type: 'submit', class: 'btn btn-primary', 'data-testid': 'calendar-save' },
          e ? 'Save' : 'Add to calendar',
        )
      : null,
  );

  const body = () => {
    const copyText = caption.value.trim();
    return {
      localAt: when.value,
      platforms: [...targets.querySelectorAll('input:checked')].map((i) => i.value),
      postType: postType.value,
      topic: topic.value.trim() || null,
      copy: copyText
        ? {
            ...(e && e.copy),
            caption: copyText,
            hashtags: (e && e.copy && e.copy.hashtags) || [],
            callToAction: (e && e.copy && e.copy.callToAction) || '',
            altText: (e && e.copy && e.copy.altText) || '',
          }
        : null,
    };
  };
  onSubmit(form, async () => {
    try {
      if (e) await api(`/calendar/entries/${e.id}`, { method: 'PATCH', body: { version: e.version, ...body() } });
      else
        await api('/calendar/entries', { method: 'POST', body: { brandId: brand.value, status: 'draft', ...body() } });
      toast(e ? 'Entry saved' : 'Entry added', 'success');
      o.onChanged();
    } catch (err) {
      showErrors(form, err);
    }
  });

  const actions = [];
  if (e && o.canEdit && ['idea', 'draft', 'failed'].includes(e.status))
    actions.push(
      actionButton({ class: 'btn btn-primary', 'data-testid': 'calendar-approve' }, 'Approve and schedule', () => ({
        request: () => api(`/calendar/entries/${e.id}/approve`, { method: 'POST', body: { version: e.version } }),
        done: 'Scheduled',
        then: o.onChanged,
      })),
    );
  if (e && o.canEdit && EDITABLE.has(e.status))
    actions.push(
      actionButton({ class: 'btn btn-danger', 'data-testid': 'calendar-cancel' }, 'Cancel entry', () => ({
        confirm: {
          title: 'Cancel this entry?',
          body: 'It will not be published.',
          confirmLabel: 'Cancel entry',
          danger: true,
        },
        request: () => api(`/calendar/entries/${e.id}/cancel`, { method: 'POST', body: { version: e.version } }),
        done: 'Cancelled',
        then: o.onChanged,
      })),
    );

  return h(
    'aside',
    { class: 'cal-drawer', 'aria-label': 'Calendar entry', 'data-testid': 'calendar-drawer' },
    h(
      'header',
      { class: 'cal-drawer-head' },
      h('h2', null, e ? e.topic || 'Entry' : 'New entry'),
      e ? statusBadge(e.status) : null,
      h('button', { type: 'button', class: 'btn btn-ghost', 'aria-label': 'Close', onclick: o.onClose }, '×'),
    ),
    e && e.failure ? h('p', { class: 'form-alert' }, e.failure) : null,
    e ? h('section', null, h('h3', null, 'Validation'), validationList(e.validation)) : null,
    e ? mediaPreview(e.media) : null,
    form,
    actions.length ? h('div', { class: 'cal-drawer-actions' }, actions) : null,
    e && e.runs.length
      ? h(
          'section',
          null,
          h('h3', null, 'Runs'),
          h(
            'ul',
            null,
            e.runs.map((id) =>
              h(
                'li',
                null,
                h('a', { href: `#${runPath(id).replace('/runs/', '/runs/')}` }, id.split('/').slice(-2).join(' · ')),
              ),
            ),
          ),
        )
      : null,
    e && e.results.length
      ? h(
          'section',
          null,
          h('h3', null, 'Published'),
          h(
            'ul',
            null,
            e.results.map((r) =>
              h(
                'li',
                null,
                `${TARGET_LABELS[r.platform]}: `,
                r.url ? h('a', { href: r.url, target: '_blank', rel: 'noopener' }, r.url) : r.error,
              ),
            ),
          ),
        )
      : null,
  );
}
