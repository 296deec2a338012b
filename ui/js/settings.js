/** #/settings (admin): API keys, webhook endpoints, users. Secrets are shown once, right after creation. */
import { api, ApiError, isQuiet } from './api.js';
import {
  busy,
  clearErrors,
  confirmDialog,
  copyButton,
  emptyState,
  errorBox,
  field,
  h,
  replaceChildren,
  showErrors,
  spinner,
  time,
  toast,
} from './dom.js';
import { AUTOMATIONS } from './state.js';

const ROLE_OPTIONS = [
  ['viewer', 'Viewer — reads runs and brands'],
  ['editor', 'Editor — launches and approves'],
  ['admin', 'Admin — everything, including settings'],
];

const EXAMPLE_MAPPING = {
  brandId: { from: '/brandId' },
  platform: { from: '/platform', default: 'instagram' },
  postType: { from: '/postType', default: 'educational' },
  topic: { from: '/topic' },
  approval: { required: true, timeoutSeconds: 3600, onTimeout: 'reject' },
};

export function renderSettings(ctx) {
  const tabs = [
    { key: 'api-keys', label: 'API keys', render: apiKeysSection },
    { key: 'webhooks', label: 'Webhook endpoints', render: webhooksSection },
    { key: 'users', label: 'Users', render: usersSection },
  ];
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'page-header' },
        h('div', null, h('h1', null, 'Settings'), h('p', { class: 'muted' }, 'Who and what can use this workspace.')),
      ),
      h(
        'nav',
        { class: 'toc', 'aria-label': 'Settings sections' },
        tabs.map((t) =>
          h(
            'button',
            {
              type: 'button',
              class: 'toc-link',
              onclick: () => document.getElementById(`settings-${t.key}`).scrollIntoView({ behavior: 'smooth' }),
            },
            t.label,
          ),
        ),
      ),
      tabs.map((t) => t.render(ctx, `settings-${t.key}`)),
    ),
  );
}

function section(id, title, description) {
  const body = h('div', { class: 'section-body' }, spinner());
  const el = h(
    'section',
    { class: 'card settings-section', id, 'aria-labelledby': `${id}-title`, 'data-testid': id },
    h('h2', { class: 'card-title', id: `${id}-title` }, title),
    h('p', { class: 'muted' }, description),
    body,
  );
  return { el, body };
}

/** Shows a secret once, with a copy button. */
function secretBox(label, value, note) {
  return h(
    'div',
    { class: 'secret', role: 'status', 'data-testid': 'secret' },
    h('p', null, h('strong', null, label), ` ${note}`),
    h(
      'div',
      { class: 'secret-row' },
      h('code', { class: 'mono secret-value', 'data-testid': 'secret-value' }, value),
      copyButton(value),
    ),
  );
}

function table(headers, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
}

async function loadInto(ctx, body, path, draw) {
  try {
    const data = await api(path, { signal: ctx.signal });
    if (ctx.isCurrent()) draw(data.items || []);
  } catch (err) {
    if (isQuiet(err)) return;
    replaceChildren(
      body,
      errorBox(err, () => void loadInto(ctx, body, path, draw)),
    );
  }
}

/** A destructive button: asks first, runs the request, says so, and refreshes the list. */
function confirmedAction({ label, dialog, request, done, refresh }) {
  const button = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline' }, label);
  button.addEventListener('click', async () => {
    if (!(await confirmDialog({ ...dialog, danger: true }))) return;
    try {
      await busy(button, request);
      toast(done, 'success');
      await refresh();
    } catch (err) {
      if (!isQuiet(err)) toast(err.message, 'error');
    }
  });
  return button;
}

function roleSelect(value = 'editor') {
  return h(
    'select',
    { name: 'role' },
    ROLE_OPTIONS.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  );
}

// ---------- API keys ----------

function apiKeysSection(ctx, id) {
  const { el, body } = section(
    id,
    'API keys',
    'For scripts and integrations: send “Authorization: Bearer <key>”. Keys are stored hashed; you see each key once.',
  );
  const list = h('div', null, spinner());
  const reveal = h('div');
  const name = h('input', {
    type: 'text',
    name: 'name',
    maxlength: 120,
    placeholder: 'e.g. CRM sync',
    'data-testid': 'api-key-name',
  });
  const role = roleSelect('editor');
  role.setAttribute('data-testid', 'api-key-role');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create key');
  const form = h(
    'form',
    { class: 'inline-form', novalidate: true },
    field({ label: 'Name', name: 'name', control: name }),
    field({ label: 'Role', name: 'role', control: role }),
    h('div', { class: 'form-actions' }, submit),
  );

  const draw = (items) => {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No API keys', 'Create one to call the API from a script.')
        : table(
            ['Name', 'Key', 'Role', 'Created', 'Last used', 'Status', ''],
            items.map((k) => {
              const revoke = k.revokedAt
                ? null
                : confirmedAction({
                    label: 'Revoke',
                    dialog: {
                      title: `Revoke “${k.name}”?`,
                      message: 'Anything using this key stops working immediately.',
                      confirm: 'Revoke key',
                    },
                    request: () => api(`/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' }),
                    done: 'Key revoked.',
                    refresh,
                  });
              return h(
                'tr',
                { 'data-testid': 'api-key-row' },
                h('td', null, k.name),
                h('td', null, h('code', { class: 'mono' }, `${k.prefix}…`)),
                h('td', null, h('span', { class: 'chip' }, k.role)),
                h('td', null, time(k.createdAt)),
                h('td', null, k.lastUsedAt ? time(k.lastUsedAt) : h('span', { class: 'muted' }, 'Never')),
                h(
                  'td',
                  null,
                  k.revokedAt
                    ? h('span', { class: 'chip chip-danger' }, 'Revoked')
                    : h('span', { class: 'chip chip-ok' }, 'Active'),
                ),
                h('td', { class: 'cell-actions' }, revoke),
              );
            }),
          ),
    );
  };
  const refresh = () => loadInto(ctx, list, '/api-keys', draw);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const created = await busy(
        submit,
        () => api('/api-keys', { method: 'POST', body: { name: name.value.trim(), role: role.value } }),
        'Creating…',
      );
      replaceChildren(
        reveal,
        secretBox(`Key for “${created.name}”:`, created.key, 'Copy it now — it is not shown again.'),
      );
      name.value = '';
      await refresh();
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  });

  replaceChildren(body, reveal, list, h('h3', { class: 'subhead' }, 'New key'), form);
  void refresh();
  return el;
}

// ---------- webhook endpoints ----------

function webhooksSection(ctx, id) {
  const { el, body } = section(
    id,
    'Webhook endpoints',
    'External systems start automations by POSTing to an endpoint, signed with Standard Webhooks (HMAC-SHA256). The input mapping builds the automation’s input: {"from": "/json/pointer"} takes a value from the delivered body; anything else is a constant.',
  );
  const list = h('div', null, spinner());
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
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h(
      'div',
      { class: 'row' },
      field({ label: 'Name', name: 'name', control: name }),
      field({ label: 'Automation', name: 'automation', control: automation }),
    ),
    field({ label: 'Input mapping (JSON)', name: 'inputMapping', control: mapping }),
    h('div', { class: 'form-actions' }, submit),
  );

  const draw = (items) => {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No webhook endpoints', 'Create one to let another system start runs.')
        : table(
            ['Name', 'Automation', 'URL', 'Enabled', 'Created', ''],
            items.map((w) => {
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
              return h(
                'tr',
                { 'data-testid': 'webhook-row' },
                h('td', null, w.name),
                h('td', null, w.automation),
                h('td', { class: 'cell-url' }, h('code', { class: 'mono break' }, w.url), ' ', copyButton(w.url)),
                h(
                  'td',
                  null,
                  w.enabled
                    ? h('span', { class: 'chip chip-ok' }, 'Enabled')
                    : h('span', { class: 'chip' }, 'Disabled'),
                ),
                h('td', null, time(w.createdAt)),
                h('td', { class: 'cell-actions' }, del),
              );
            }),
          ),
    );
  };
  const refresh = () => loadInto(ctx, list, '/webhook-endpoints', draw);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    let inputMapping;
    try {
      inputMapping = JSON.parse(mapping.value);
      if (!inputMapping || typeof inputMapping !== 'object' || Array.isArray(inputMapping))
        throw new Error('must be a JSON object');
    } catch (err) {
      showErrors(
        form,
        new ApiError(400, {
          title: 'Invalid input',
          detail: 'The input mapping is not a JSON object.',
          errors: [{ field: 'inputMapping', message: err.message }],
        }),
      );
      return;
    }
    try {
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
      await refresh();
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  });

  replaceChildren(body, reveal, list, h('h3', { class: 'subhead' }, 'New endpoint'), form);
  void refresh();
  return el;
}

// ---------- users ----------

function usersSection(ctx, id) {
  const { el, body } = section(id, 'Users', 'People who log in to this workspace.');
  const list = h('div', null, spinner());
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', 'data-testid': 'user-email' });
  const name = h('input', {
    type: 'text',
    name: 'name',
    maxlength: 120,
    autocomplete: 'off',
    'data-testid': 'user-name-input',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    minlength: 10,
    'data-testid': 'user-password',
  });
  const role = roleSelect('editor');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add user');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h(
      'div',
      { class: 'row' },
      field({ label: 'Email', name: 'email', control: email }),
      field({ label: 'Name', name: 'name', control: name }),
    ),
    h(
      'div',
      { class: 'row' },
      field({ label: 'Password', name: 'password', control: password, hint: 'At least 10 characters.' }),
      field({ label: 'Role', name: 'role', control: role }),
    ),
    h('div', { class: 'form-actions' }, submit),
  );

  const draw = (items) => {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No users', null)
        : table(
            ['Name', 'Email', 'Role', 'Added'],
            items.map((u) =>
              h(
                'tr',
                { 'data-testid': 'user-row' },
                h('td', null, u.name),
                h('td', null, u.email),
                h('td', null, h('span', { class: 'chip' }, u.role)),
                h('td', null, time(u.createdAt)),
              ),
            ),
          ),
    );
  };
  const refresh = () => loadInto(ctx, list, '/users', draw);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const created = await busy(
        submit,
        () =>
          api('/users', {
            method: 'POST',
            body: { email: email.value.trim(), name: name.value.trim(), password: password.value, role: role.value },
          }),
        'Adding…',
      );
      toast(`${created.name || created.email} can now log in.`, 'success');
      form.reset();
      await refresh();
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  });

  replaceChildren(body, list, h('h3', { class: 'subhead' }, 'Add a user'), form);
  void refresh();
  return el;
}
