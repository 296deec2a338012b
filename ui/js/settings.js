/** #/settings (admin): API keys, webhook endpoints, users. Secrets are shown once, right after creation. */
import { h } from './dom.js';
import { pageHeader } from './layout.js';
import { apiKeysSection } from './settings-api-keys.js';
import { leadCallbackSection } from './settings-lead-callback.js';
import { usersSection } from './settings-users.js';
import { webhooksSection } from './settings-webhooks.js';

export function renderSettings(ctx) {
  const tabs = [
    { key: 'api-keys', label: 'API keys', render: apiKeysSection },
    { key: 'webhooks', label: 'Webhook endpoints', render: webhooksSection },
    { key: 'lead-callback', label: 'CRM callback', render: leadCallbackSection },
    { key: 'users', label: 'Users', render: usersSection },
  ];
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      pageHeader({ title: 'Settings', description: 'Who and what can use this workspace.' }),
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
