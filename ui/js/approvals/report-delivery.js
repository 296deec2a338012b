/**
 * A brand report's delivery (kind `report-delivery`): the email's subject and recipients, next to what is being sent
 * (overall score, summary, the PDF). Content: `{ subject, recipients, summary, overall, pdfUrl }`.
 */
import { field, formatScore, h, icon, safeUrl } from '../dom.js';
import { MAX_RECIPIENTS, parseRecipients } from '../recipients.js';

export const confirmText = {
  approveOriginal: {
    title: 'Approve without your edits?',
    message: 'You changed the email. Approve sends it as proposed; use “Save edits & approve” to send your version.',
    confirm: 'Approve original',
  },
  reject: {
    title: 'Reject sending this report?',
    message: 'The report stays with the brand but is not emailed.',
    confirm: 'Reject',
    danger: true,
  },
};

/**
 * @param {{subject: string, recipients: string[], summary?: string, overall?: number|null, pdfUrl?: string}} content
 * @param {{readOnly: boolean, onInput: () => void}} o
 * @returns {{fields: HTMLElement[], preview: HTMLElement, edits: () => object}}
 */
export function createEditor(content, o) {
  const original = { subject: content.subject, recipients: content.recipients.map(String) };
  const subject = h('input', {
    type: 'text',
    name: 'subject',
    maxlength: 200,
    readOnly: o.readOnly,
    value: original.subject,
    'data-testid': 'approval-subject',
  });
  const recipients = h('textarea', {
    name: 'recipients',
    rows: Math.min(Math.max(original.recipients.length, 2), 10),
    readOnly: o.readOnly,
    spellcheck: 'false',
    value: original.recipients.join('\n'),
    'data-testid': 'approval-recipients',
  });
  const count = h('span', { class: 'counter', 'aria-live': 'polite' });
  const refresh = () => {
    const n = parseRecipients(recipients.value).length;
    count.textContent = `${n} recipient${n === 1 ? '' : 's'}`;
    count.classList.toggle('over', n === 0 || n > MAX_RECIPIENTS);
  };
  for (const control of [subject, recipients])
    control.addEventListener('input', () => {
      refresh();
      o.onInput();
    });
  refresh();

  const pdf = content.pdfUrl ? safeUrl(content.pdfUrl) : null;
  const preview = h(
    'div',
    { class: 'preview', 'aria-label': 'What is sent' },
    h('p', { class: 'eyebrow' }, 'Attached report'),
    h(
      'div',
      { class: 'preview-card report-preview' },
      h(
        'p',
        { class: 'report-preview-score' },
        h('span', { class: 'kpi-label' }, 'Overall score '),
        h('strong', { 'data-testid': 'approval-overall' }, formatScore(content.overall)),
        h('span', { class: 'kpi-unit' }, ' / 100'),
      ),
      content.summary ? h('p', { class: 'preview-text', 'data-testid': 'approval-summary' }, content.summary) : null,
      pdf
        ? h(
            'p',
            { class: 'report-preview-link' },
            h(
              'a',
              {
                class: 'btn btn-secondary btn-small',
                href: pdf,
                target: '_blank',
                rel: 'noopener',
                'data-testid': 'approval-pdf',
              },
              icon('external'),
              'Open the PDF',
            ),
          )
        : null,
    ),
  );

  return {
    fields: [
      field({ label: 'Email subject', name: 'edits.subject', control: subject }),
      field({
        label: 'Recipients',
        name: 'edits.recipients',
        control: recipients,
        hint: h('span', null, `One address per line, or separated by commas; at most ${MAX_RECIPIENTS}. `, count),
      }),
    ],
    preview,
    edits() {
      const changed = {};
      if (subject.value !== original.subject) changed.subject = subject.value;
      const list = parseRecipients(recipients.value);
      if (list.join('\n') !== original.recipients.join('\n')) changed.recipients = list;
      return changed;
    },
  };
}
