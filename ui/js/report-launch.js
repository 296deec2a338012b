/**
 * #/launch/brand-report: start a brand report. The brand (preselected by `?brandId=`), which completed diagnosis
 * (`?diagnosisId=`, or the latest), who receives the PDF, and whether a person approves the email first.
 */
import { api, brandPath, isQuiet } from './api.js';
import { approvalPolicyFields } from './approval-policy.js';
import { openLaunchPage, startRunOnSubmit } from './launch-page.js';
import { field, formatDateTime, formatScore, h, replaceChildren } from './dom.js';
import { diagnosisHref } from './diagnosis.js';
import { MAX_RECIPIENTS, parseRecipients, recipientsError } from './recipients.js';

export async function renderReportLaunch(ctx) {
  const page = await openLaunchPage(ctx, {
    title: 'New brand report',
    description:
      'Studioflow scores the brand from its diagnosis and KPIs, draws on its documents, writes the analysis and recommendations, renders a PDF and emails it.',
    noBrands: 'A report is about a brand: create one, then complete its diagnosis.',
  });
  if (!page) return;
  const { wrap, header, brandSelect } = page;
  const preselect = ctx.query.get('brandId');
  const wantedDiagnosis = ctx.query.get('diagnosisId');
  const diagnosisSelect = h('select', { name: 'diagnosisId', 'data-testid': 'report-diagnosis' });
  const diagnosisNote = h('div', { class: 'hint', 'aria-live': 'polite' });
  const recipients = h('textarea', {
    name: 'recipients',
    rows: 3,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'ana@example.com, bruno@example.com',
    'data-testid': 'report-recipients',
  });
  const approval = approvalPolicyFields({
    label: 'Require a human to approve the email before it is sent',
    hint: 'Only applies when there are recipients; the approver can change the subject and the recipients.',
    minutes: 60,
    rejectLabel: 'Reject (send nothing)',
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-large', 'data-testid': 'launch-submit' },
    'Create report',
  );

  let completed = [];
  let loadToken = 0;
  const loadDiagnoses = async () => {
    const token = ++loadToken;
    replaceChildren(diagnosisSelect, h('option', { value: '' }, 'Loading…'));
    diagnosisSelect.disabled = true;
    replaceChildren(diagnosisNote);
    try {
      const data = await api(brandPath(brandSelect.value, 'diagnoses'), { signal: ctx.signal });
      if (token !== loadToken || !ctx.isCurrent()) return;
      completed = (data.items || []).filter((d) => d.status === 'complete');
      const draft = (data.items || []).find((d) => d.status === 'draft');
      if (completed.length === 0) {
        replaceChildren(diagnosisSelect, h('option', { value: '' }, 'No completed diagnosis'));
        replaceChildren(
          diagnosisNote,
          h(
            'span',
            { class: 'field-error', 'data-testid': 'report-no-diagnosis' },
            'This brand has no completed diagnosis yet. ',
          ),
          h(
            'a',
            {
              href: draft
                ? diagnosisHref(brandSelect.value, draft.id)
                : `#/brands/${encodeURIComponent(brandSelect.value)}?tab=diagnosis`,
            },
            draft ? 'Finish its draft' : 'Start one',
          ),
          '.',
        );
        submit.disabled = true;
        return;
      }
      replaceChildren(
        diagnosisSelect,
        completed.map((d, i) =>
          h(
            'option',
            { value: d.id, selected: wantedDiagnosis ? d.id === wantedDiagnosis : i === 0 },
            `${formatDateTime(d.completedAt)} · overall ${formatScore(d.overall)}${i === 0 ? ' (latest)' : ''}`,
          ),
        ),
      );
      diagnosisSelect.disabled = false;
      submit.disabled = false;
    } catch (err) {
      if (isQuiet(err) || token !== loadToken) return;
      replaceChildren(diagnosisSelect, h('option', { value: '' }, 'Could not load diagnoses'));
      replaceChildren(diagnosisNote, h('span', { class: 'field-error' }, err.message));
    }
  };
  brandSelect.addEventListener('change', () => void loadDiagnoses());

  const form = h(
    'form',
    { class: 'card stack launch-form', novalidate: true, 'data-testid': 'launch-form' },
    field({ label: 'Brand', name: 'input.brandId', control: brandSelect }),
    h(
      'div',
      { class: 'field', 'data-field': 'input.diagnosisId' },
      h('label', { for: 'report-diagnosis' }, 'Diagnosis'),
      diagnosisSelect,
      diagnosisNote,
    ),
    field({
      label: 'Email the PDF to',
      name: 'input.recipients',
      control: recipients,
      optional: true,
      hint: `Up to ${MAX_RECIPIENTS} addresses, separated by commas or new lines. Leave empty to only store the report.`,
    }),
    approval.el,
    h(
      'div',
      { class: 'form-actions' },
      submit,
      h(
        'a',
        {
          class: 'btn btn-ghost',
          href: preselect ? `#/brands/${encodeURIComponent(preselect)}?tab=reports` : '#/runs',
        },
        'Cancel',
      ),
    ),
  );
  diagnosisSelect.id = 'report-diagnosis';

  startRunOnSubmit(ctx, form, submit, {
    automation: 'brand-report',
    started: 'Report started.',
    read: () => {
      const list = parseRecipients(recipients.value);
      const invalid = recipientsError(list, 'input.recipients');
      if (invalid) return { error: invalid };
      const policy = approval.read();
      if (policy.error) return { error: policy.error };
      const input = { brandId: brandSelect.value, recipients: list, approval: policy.value };
      if (diagnosisSelect.value) input.diagnosisId = diagnosisSelect.value;
      return { value: input };
    },
  });

  replaceChildren(wrap, header, form);
  await loadDiagnoses();
}
