/**
 * Studioflow web UI: start-up, the shell (sidebar, banner) and the hash router.
 * Each page is `render(ctx)`; it registers cleanups (streams, timers) with `ctx.cleanup`.
 */
import { api, isQuiet, onUnauthorized } from './js/api.js';
import { clear, errorBox, h, icon, replaceChildren, toast } from './js/dom.js';
import { can, session, setSession, temporalWorkflowsUrl } from './js/state.js';
import { renderLogin } from './js/login.js';
import { renderRuns } from './js/runs.js';
import { renderRun } from './js/run.js';
import { renderLaunch, renderLaunchIndex } from './js/launch.js';
import { renderBrands } from './js/brands.js';
import { renderNewBrand } from './js/brand-profile.js';
import { renderBrandWorkspace } from './js/brand-detail.js';
import { renderDiagnosis } from './js/diagnosis.js';
import { renderReportLaunch } from './js/report-launch.js';
import { renderVideoLaunch } from './js/video-launch.js';
import { renderCredits } from './js/credits.js';
import { renderLeads } from './js/leads.js';
import { renderLeadImport } from './js/lead-import.js';
import { renderLeadProfile } from './js/lead-profile.js';
import { renderLead } from './js/lead-detail.js';
import { renderExperiments } from './js/experiments.js';
import { renderCalendar } from './js/calendar.js';
import { renderNewExperiment } from './js/experiment-form.js';
import { renderExperiment } from './js/experiment-detail.js';
import { renderSettings } from './js/settings.js';
import { renderMembers } from './js/members.js';
import { renderAccount } from './js/account.js';
import {
  renderAcceptInvitation,
  renderForgotPassword,
  renderResetPassword,
  renderSignup,
} from './js/public-account.js';
import { startBanner, stopBanner } from './js/banner.js';

const main = document.getElementById('main');
const sidebar = document.getElementById('sidebar');

const ROUTES = [
  { pattern: /^\/login$/, render: renderLogin, title: 'Log in', public: true },
  { pattern: /^\/signup$/, render: renderSignup, title: 'Create a workspace', public: true },
  { pattern: /^\/forgot-password$/, render: renderForgotPassword, title: 'Forgot password', public: true },
  // Emailed links open even in a browser that is signed in (as someone else, perhaps).
  {
    pattern: /^\/accept-invitation\/([^/]+)$/,
    render: renderAcceptInvitation,
    title: 'Accept invitation',
    public: true,
    anyone: true,
  },
  {
    pattern: /^\/reset-password\/([^/]+)$/,
    render: renderResetPassword,
    title: 'Reset password',
    public: true,
    anyone: true,
  },
  { pattern: /^\/runs$/, render: renderRuns, title: 'Runs', nav: 'runs' },
  { pattern: /^\/runs\/(.+)$/, render: renderRun, title: 'Run', nav: 'runs' },
  { pattern: /^\/launch$/, render: renderLaunchIndex, title: 'New run', nav: 'launch', role: 'editor' },
  { pattern: /^\/launch\/social-post$/, render: renderLaunch, title: 'New social post', nav: 'launch', role: 'editor' },
  {
    pattern: /^\/launch\/brand-report$/,
    render: renderReportLaunch,
    title: 'New brand report',
    nav: 'launch',
    role: 'editor',
  },
  { pattern: /^\/launch\/video$/, render: renderVideoLaunch, title: 'New video', nav: 'launch', role: 'editor' },
  { pattern: /^\/credits$/, render: renderCredits, title: 'Credits', nav: 'credits' },
  { pattern: /^\/brands$/, render: renderBrands, title: 'Brands', nav: 'brands' },
  { pattern: /^\/brands\/new$/, render: renderNewBrand, title: 'New brand', nav: 'brands', role: 'editor' },
  { pattern: /^\/brands\/([^/]+)$/, render: renderBrandWorkspace, title: 'Brand', nav: 'brands' },
  { pattern: /^\/brands\/([^/]+)\/diagnosis\/([^/]+)$/, render: renderDiagnosis, title: 'Diagnosis', nav: 'brands' },
  { pattern: /^\/leads$/, render: renderLeads, title: 'Leads', nav: 'leads' },
  { pattern: /^\/leads\/import$/, render: renderLeadImport, title: 'Import leads', nav: 'leads', role: 'editor' },
  { pattern: /^\/leads\/profile$/, render: renderLeadProfile, title: 'Ideal customer profile', nav: 'leads' },
  { pattern: /^\/leads\/([^/]+)$/, render: renderLead, title: 'Lead', nav: 'leads' },
  { pattern: /^\/calendar$/, render: renderCalendar, title: 'Calendar', nav: 'calendar' },
  { pattern: /^\/experiments$/, render: renderExperiments, title: 'Experiments', nav: 'experiments' },
  {
    pattern: /^\/experiments\/new$/,
    render: renderNewExperiment,
    title: 'New experiment',
    nav: 'experiments',
    role: 'editor',
  },
  { pattern: /^\/experiments\/([^/]+)$/, render: renderExperiment, title: 'Experiment', nav: 'experiments' },
  { pattern: /^\/settings$/, render: renderSettings, title: 'Settings', nav: 'settings', role: 'admin' },
  { pattern: /^\/members$/, render: renderMembers, title: 'Members', nav: 'members', role: 'admin' },
  { pattern: /^\/account$/, render: renderAccount, title: 'Your account', nav: 'account' },
];

const NAV = [
  { key: 'runs', label: 'Runs', href: '#/runs', icon: 'runs' },
  { key: 'launch', label: 'New run', href: '#/launch', icon: 'launch', role: 'editor' },
  { key: 'brands', label: 'Brands', href: '#/brands', icon: 'brands' },
  { key: 'calendar', label: 'Calendar', href: '#/calendar', icon: 'calendar' },
  { key: 'leads', label: 'Leads', href: '#/leads', icon: 'leads' },
  { key: 'experiments', label: 'Experiments', href: '#/experiments', icon: 'experiments' },
  { key: 'credits', label: 'Credits', href: '#/credits', icon: 'credits' },
  { key: 'members', label: 'Members', href: '#/members', icon: 'settings', role: 'admin' },
  { key: 'settings', label: 'Settings', href: '#/settings', icon: 'settings', role: 'admin' },
  { key: 'account', label: 'Your account', href: '#/account', icon: 'settings' },
];

/** Where to go after logging in. */
let returnTo = null;
let current = null;

function navigate(hash, { replace = false } = {}) {
  if (location.hash === hash) void route();
  else if (replace) location.replace(hash);
  else location.hash = hash;
}

onUnauthorized(() => {
  if (session) toast('Your session has ended. Log in again.', 'info');
  setSession(null);
  stopBanner();
  if (!location.hash.startsWith('#/login')) {
    returnTo = location.hash;
    navigate('#/login', { replace: true });
  }
});

async function logout() {
  try {
    await api('/auth/logout', { method: 'POST', expect401: true });
  } catch {
    // Logged out locally either way.
  }
  setSession(null);
  stopBanner();
  returnTo = null;
  navigate('#/login');
}

/** Called by the login page once the cookie is set. */
async function loggedIn() {
  const me = await api('/auth/me');
  setSession(me);
  startBanner(document.getElementById('banner'));
  const target = returnTo && !returnTo.startsWith('#/login') ? returnTo : '#/runs';
  returnTo = null;
  navigate(target, { replace: true });
}

function renderSidebar(active) {
  if (!session) {
    sidebar.hidden = true;
    clear(sidebar);
    return;
  }
  sidebar.hidden = false;
  const temporal = temporalWorkflowsUrl();
  const { user, workspace } = session;
  replaceChildren(
    sidebar,
    h(
      'a',
      { class: 'logo', href: '#/runs', 'aria-label': 'Studioflow home' },
      h('span', { class: 'logo-mark', 'aria-hidden': 'true' }, 'S'),
      h('span', { class: 'logo-text' }, 'Studioflow'),
    ),
    h('p', { class: 'workspace', title: 'Workspace' }, workspace ? workspace.name : ''),
    h(
      'nav',
      { 'aria-label': 'Main', class: 'nav' },
      h(
        'ul',
        null,
        NAV.filter((item) => !item.role || can(item.role)).map((item) =>
          h(
            'li',
            null,
            h(
              'a',
              {
                href: item.href,
                class: 'nav-link',
                'aria-current': item.key === active ? 'page' : null,
                'data-testid': `nav-${item.key}`,
              },
              icon(item.icon),
              h('span', null, item.label),
            ),
          ),
        ),
        temporal
          ? h(
              'li',
              null,
              h(
                'a',
                { href: temporal, class: 'nav-link', target: '_blank', rel: 'noopener', 'data-testid': 'nav-temporal' },
                icon('external'),
                h('span', null, 'Temporal Web UI'),
              ),
            )
          : null,
      ),
    ),
    h(
      'div',
      { class: 'sidebar-foot' },
      h(
        'div',
        { class: 'user' },
        h(
          'span',
          { class: 'avatar', 'aria-hidden': 'true' },
          (user.name || user.email || '?').trim().charAt(0).toUpperCase(),
        ),
        h(
          'span',
          { class: 'user-text' },
          h('span', { class: 'user-name', 'data-testid': 'user-name' }, user.name || user.email),
          h('span', { class: 'user-role' }, user.role),
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost btn-small logout',
          onclick: () => void logout(),
          'data-testid': 'logout',
        },
        icon('logout'),
        'Log out',
      ),
    ),
  );
}

function teardown() {
  if (!current) return;
  current.controller.abort();
  for (const fn of current.cleanups.splice(0)) {
    try {
      fn();
    } catch (err) {
      console.error(err);
    }
  }
  current = null;
}

async function route() {
  const raw = location.hash.replace(/^#/, '');
  if (!raw || raw === '/') {
    navigate(session ? '#/runs' : '#/login', { replace: true });
    return;
  }
  const [path, search = ''] = raw.split('?');
  teardown();

  let found = null;
  let params = [];
  for (const candidate of ROUTES) {
    const m = candidate.pattern.exec(path);
    if (m) {
      found = candidate;
      try {
        params = m.slice(1).map((p) => decodeURIComponent(p));
      } catch {
        params = m.slice(1);
      }
      break;
    }
  }

  if (found && !found.public && !session) {
    returnTo = location.hash;
    navigate('#/login', { replace: true });
    return;
  }
  if (found && found.public && !found.anyone && session) {
    navigate('#/runs', { replace: true });
    return;
  }

  document.body.classList.toggle('is-public', !session);
  renderSidebar(found ? found.nav : null);
  const controller = new window.AbortController();
  const page = { controller, cleanups: [] };
  current = page;
  clear(main);
  main.removeAttribute('aria-busy');
  document.title = found ? `${found.title} · Studioflow` : 'Not found · Studioflow';

  if (!found) {
    main.appendChild(
      h(
        'div',
        { class: 'page narrow' },
        h('h1', null, 'Page not found'),
        h('p', null, 'There is nothing at this address. ', h('a', { href: '#/runs' }, 'Go to the runs'), '.'),
      ),
    );
    focusHeading();
    return;
  }
  if (found.role && !can(found.role)) {
    main.appendChild(
      h(
        'div',
        { class: 'page narrow' },
        h('h1', null, found.title),
        h(
          'div',
          { class: 'alert alert-info', role: 'note' },
          `This page needs the ${found.role} role; you are signed in as ${session.user.role}.`,
        ),
      ),
    );
    focusHeading();
    return;
  }

  const ctx = {
    main,
    params,
    query: new URLSearchParams(search),
    signal: controller.signal,
    cleanup: (fn) => page.cleanups.push(fn),
    navigate,
    setTitle: (title) => {
      if (current === page) document.title = `${title} · Studioflow`;
    },
    loggedIn,
    isCurrent: () => current === page,
  };
  try {
    await found.render(ctx);
  } catch (err) {
    if (isQuiet(err) || current !== page) return;
    console.error(err);
    main.appendChild(
      h(
        'div',
        { class: 'page' },
        errorBox(err, () => void route()),
      ),
    );
  }
  if (current === page) focusHeading();
}

/** Moves focus to the page heading after navigation, unless the page focused something itself. */
function focusHeading() {
  const active = document.activeElement;
  if (active && active !== document.body && main.contains(active) && active !== main) return;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

document.getElementById('skip-link').addEventListener('click', () => {
  const heading = main.querySelector('h1');
  (heading || main).focus();
});

window.addEventListener('hashchange', () => void route());

async function boot() {
  try {
    const me = await api('/auth/me', { expect401: true });
    setSession(me);
    startBanner(document.getElementById('banner'));
  } catch (err) {
    if (!(err && err.status === 401)) {
      replaceChildren(
        main,
        h(
          'div',
          { class: 'page narrow' },
          h('h1', null, 'Studioflow is not reachable'),
          errorBox(err, () => location.reload()),
        ),
      );
      return;
    }
    setSession(null);
  }
  await route();
}

void boot();
