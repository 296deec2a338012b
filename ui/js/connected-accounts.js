/**
 * The Connected accounts tab of a brand (issue 12): one row per platform with its state. Connect sends the browser to
 * the platform's consent page (the API answers its URL); the platform sends it back to this tab with `connected=1`
 * or `error=…`. A flagged account ("Reconnect needed": the platform refused its token) reconnects the same way.
 * Disconnect revokes the tokens at the platform where it can.
 */
import { api, brandPath } from './api.js';
import { actionButton, emptyState, h, replaceChildren, spinner, statusBadge, time, toast } from './dom.js';
import { tabCard } from './layout.js';
import { loadInto } from './load.js';
import { can } from './state.js';

const NAMES = { facebook: 'Facebook', instagram: 'Instagram', linkedin: 'LinkedIn', x: 'X', tiktok: 'TikTok' };

export function renderConnectedAccountsSection(ctx, brand, panel) {
  const editable = can('editor');
  const path = brandPath(brand.id, 'connected-accounts');
  const slot = h('div', { class: 'account-list' }, spinner('Loading accounts…'));
  const load = () => loadInto(ctx, slot, path, draw);

  // Back from the platform: say how it went once, then drop the outcome from the address.
  const platform = ctx.query.get('platform');
  if (ctx.query.get('connected') === '1') toast(`${NAMES[platform] || 'The'} account is connected`, 'success');
  else if (ctx.query.get('error')) toast(`${NAMES[platform] || 'The platform'}: ${ctx.query.get('error')}`, 'error');

  function connectButton(item, label) {
    return actionButton(
      { class: 'btn btn-small btn-primary', 'data-testid': `connect-${item.platform}` },
      label,
      () => ({
        request: () => api(brandPath(brand.id, 'connected-accounts', item.platform, 'connect'), { method: 'POST' }),
        busyLabel: 'Opening…',
        then: (started) => window.location.assign(started.authorizeUrl),
      }),
    );
  }

  function row(item) {
    const account = item.account;
    const status = account ? account.status : 'not_connected';
    const actions = [];
    if (editable && item.available && (!account || status !== 'connected'))
      actions.push(connectButton(item, account ? 'Reconnect' : 'Connect'));
    if (editable && account)
      actions.push(
        actionButton(
          { class: 'btn btn-small btn-ghost', 'data-testid': `disconnect-${item.platform}` },
          'Disconnect',
          () => ({
            confirm: {
              title: `Disconnect ${NAMES[item.platform]}?`,
              message: 'Posts stop going there; the platform is asked to revoke the access it granted.',
              confirm: 'Disconnect',
              danger: true,
            },
            request: () => api(brandPath(brand.id, 'connected-accounts', item.platform), { method: 'DELETE' }),
            then: (result) => {
              toast(
                result.revoked || !result.error
                  ? `${NAMES[item.platform]} disconnected`
                  : `Revocation failed: ${result.error}`,
                result.error ? 'error' : 'success',
              );
              return load();
            },
          }),
        ),
      );
    const detail =
      !item.available && !account
        ? h('p', { class: 'muted' }, 'Not set up on this deployment (its OAuth app is missing).')
        : account
          ? h(
              'p',
              { class: 'muted' },
              account.externalName || account.externalId,
              ' · connected ',
              time(account.connectedAt),
              account.expiresAt ? [' · token until ', time(account.expiresAt, { relative: false })] : null,
            )
          : h('p', { class: 'muted' }, 'Posts go to the brand channel only.');
    return h(
      'li',
      { class: 'account-row', 'data-testid': `account-${item.platform}`, 'data-status': status },
      h(
        'div',
        { class: 'account-main' },
        h('strong', null, NAMES[item.platform]),
        statusBadge(status),
        detail,
        account && account.lastError && status !== 'connected'
          ? h('p', { class: 'account-error', role: 'status' }, account.lastError)
          : null,
      ),
      h('div', { class: 'account-actions' }, ...actions),
    );
  }

  function draw(items) {
    if (!items.length) {
      replaceChildren(slot, emptyState('No platforms', 'This deployment publishes to the brand channel only.'));
      return;
    }
    replaceChildren(slot, h('ul', { class: 'account-rows' }, ...items.map(row)));
  }

  panel.appendChild(
    tabCard(
      {
        key: 'connected-accounts',
        title: 'Connected accounts',
        description:
          "Posts are published on the brand's channel, and on each platform whose account is connected here.",
      },
      slot,
    ),
  );
  void load();
}
