/**
 * The webhook endpoints section of #/settings: external systems start automations by POSTing to an endpoint; its
 * signing secret is shown once. Each endpoint opens onto its recent deliveries (webhook-deliveries.js).
 */
import { api, ApiError } from './api.js';
import { busy, copyButton, field, h, onSubmit, replaceChildren, stackForm, time } from './dom.js';
import { secretBox } from './secret.js';
import { confirmedAction, listSection } from './settings-section.js';
import { AUTOMATIONS } from './state.js';
import { deliveriesPanel } from './webhook-deliveries.js';

const EXAMPLE_MAPPING = {
  brandId: { from: '/brandId' },
  platform: { from: '/platform', default: 'instagram' },
  postType: { from: '/postType', default: 'educational' },
  topic: { from: '/topic' },
  approval: { required: true, timeoutSeconds: 3600, onTimeout: 'reject' },
};

export function webhooksSection(ctx, id) {
  const reveal = h('div');
  const name = h('input', {
    type: 'text',
    name: 'name',
    maxlength: 120,
    placeholder: 'e.g. Website brief form',
    'data-testid': 'webhook-name',
  });
  const automation = h(
    'select',
    { name: 'automation', 'data-testid': 'webhook-automation' },
    AUTOMATIONS.map((a) => h('option', { value: a.name }, a.title)),
  );
  const mapping = h('textarea', {
    name: 'inputMapping',
    rows: 9,
    class: 'mono',
    spellcheck: 'false',
    value: JSON.stringify(EXAMPLE_MAPPING, null, 2),
    'data-testid': 'webhook-mapping',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create endpoint');
  const form = stackForm(
    [
      [
        field({ label: 'Name', name: 'name', control: name }),
        field({ label: 'Automation', name: 'automation', control: automation }),
      ],
      field({ label: 'Input mapping (JSON)', name: 'inputMapping', control: mapping }),
    ],
    submit,
  );
  const section = listSection(ctx, {
    id,
    title: 'Webhook endpoints',
    description:
      'External systems start automations by POSTing to an endpoint, signed with Standard Webhooks (HMAC-SHA256). The input mapping builds the automation’s input: {"from": "/json/pointer"} takes a value from the delivered body; anything else is a constant.',
    path: '/webhook-endpoints',
    empty: ['No webhook endpoints', 'Create one to let another system start runs.'],
    columns: ['Name', 'Automation', 'URL', 'Enabled', 'Created', ''],
    row: endpointRow,
    formTitle: 'New endpoint',
    form,
    reveal,
  });

  onSubmit(form, async () => {
    const inputMapping = parseMapping(mapping.value);
    const created = await busy(
      submit,
      () =>
        api('/webhook-endpoints', {
          method: 'POST',
          body: { name: name.value.trim(), automation: automation.value, inputMapping },
        }),
      'Creating…',
    );
    replaceChildren(
      reveal,
      secretBox(`Signing secret for “${created.name}”:`, created.secret, 'Copy it now — it is not shown again.'),
      h(
        'p',
        { class: 'muted' },
        'Deliver to ',
        h('code', { class: 'mono break' }, created.url),
        ' ',
        copyButton(created.url, 'Copy URL'),
      ),
    );
    name.value = '';
    await section.refresh();
  });
  return section.el;
}

/** The mapping as an object, or an error shaped like the API's so it lands next to the field. */
function parseMapping(text) {
  try {
    const inputMapping = JSON.parse(text);
    if (!inputMapping || typeof inputMapping !== 'object' || Array.isArray(inputMapping))
      throw new Error('must be a JSON object');
    return inputMapping;
  } catch (err) {
    throw new ApiError(400, {
      title: 'Invalid input',
      detail: 'The input mapping is not a JSON object.',
      errors: [{ field: 'inputMapping', message: err.message }],
    });
  }
}

function endpointRow(w, refresh) {
  const del = confirmedAction({
    label: 'Delete',
    dialog: {
      title: `Delete “${w.name}”?`,
      message: 'Deliveries to this URL will be refused.',
      confirm: 'Delete endpoint',
    },
    request: () => api(`/webhook-endpoints/${encodeURIComponent(w.id)}`, { method: 'DELETE' }),
    done: 'Endpoint deleted.',
    refresh,
  });
  // The endpoint, then its recent deliveries across the whole table's width.
  const row = h(
    'tr',
    { 'data-testid': 'webhook-row' },
    h('td', null, w.name),
    h('td', null, w.automation),
    h('td', { class: 'cell-url' }, h('code', { class: 'mono break' }, w.url), ' ', copyButton(w.url)),
    h(
      'td',
      null,
      w.enabled ? h('span', { class: 'chip chip-ok' }, 'Enabled') : h('span', { class: 'chip' }, 'Disabled'),
    ),
    h('td', null, time(w.createdAt)),
    h('td', { class: 'cell-actions' }, del),
  );
  return [row, h('tr', { class: 'row-detail' }, h('td', { colspan: 6 }, deliveriesPanel(w)))];
}
