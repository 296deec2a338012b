/**
 * #/runs/<id>: one run, live. Status, summary, the step timeline, artifacts, pending approvals (each with the editor
 * of its kind), cancel / retry, and a link to the same run in the Temporal Web UI. Every automation renders from the
 * shared run shape and its manifest (GET /automations); what differs lives in its approval editor (approvals/).
 */
import { api, runPath } from './api.js';
import { h, replaceChildren, spinner } from './dom.js';
import { backLink, card, pageHeader } from './layout.js';
import { failedTitle, showPageError } from './load.js';
import { cachedBrand, can, loadBrands } from './state.js';
import { createApprovals } from './run/approvals.js';
import { renderArtifacts } from './run/artifacts.js';
import { renderDetails } from './run/details.js';
import { renderFailure, renderHeader } from './run/header.js';
import { createLiveRun } from './run/live.js';
import { loadManifests } from './run/manifests.js';
import { renderCounts } from './run/counts.js';
import { renderSteps, tickSteps } from './run/steps.js';

const backToRuns = () => backLink('#/runs', 'Runs');

function skeleton(id) {
  const slots = {
    title: h('h1', { class: 'run-title' }, 'Run'),
    badge: h('span', { class: 'badge-slot' }),
    live: h(
      'span',
      { class: 'live', 'data-state': 'connecting' },
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      '',
    ),
    summary: h('p', { class: 'run-summary-line', 'aria-live': 'polite', 'data-testid': 'run-summary' }),
    actions: h('div', { class: 'page-actions' }),
    failure: h('div'),
    approvals: h('div', { class: 'approvals', 'data-testid': 'approvals' }),
    counts: h('div', { class: 'stat-row run-counts', 'data-testid': 'run-counts' }),
    steps: { list: h('ol', { class: 'timeline', 'data-testid': 'steps' }), note: h('div') },
    artifacts: h('div', { class: 'artifacts', 'data-testid': 'artifacts' }),
    details: h('dl', { class: 'details' }),
  };
  const layout = h(
    'div',
    { class: 'page run-page' },
    backToRuns(),
    pageHeader({
      class: 'run-heading',
      title: h('div', { class: 'title-row' }, slots.title, slots.badge),
      lines: [slots.summary, h('p', { class: 'run-meta muted' }, h('code', { class: 'mono' }, id), ' ', slots.live)],
      actions: slots.actions,
    }),
    slots.failure,
    slots.approvals,
    slots.counts,
    h(
      'div',
      { class: 'run-layout' },
      h('div', { class: 'run-main' }, card({ key: 'steps', title: 'Steps' }, slots.steps.note, slots.steps.list)),
      h(
        'aside',
        { class: 'run-side' },
        card({ key: 'artifacts', title: 'Artifacts' }, slots.artifacts),
        card({ key: 'details', title: 'Details' }, slots.details),
      ),
    ),
  );
  return { layout, slots };
}

export async function renderRun(ctx) {
  const id = ctx.params[0];
  const canEdit = can('editor');
  const { layout, slots } = skeleton(id);
  ctx.main.appendChild(h('div', { class: 'page' }, spinner('Loading run…')));

  let run, manifests;
  try {
    [run, , manifests] = await Promise.all([
      api(runPath(id), { signal: ctx.signal }),
      loadBrands({ signal: ctx.signal }).catch(() => []),
      loadManifests().catch(() => new Map()),
    ]);
  } catch (err) {
    const page = h('div', { class: 'page narrow' });
    showPageError(ctx, err, page, backToRuns(), failedTitle(err, 'Run not found', 'Could not load the run'));
    replaceChildren(ctx.main, page);
    return;
  }
  if (!ctx.isCurrent()) return;
  replaceChildren(ctx.main, layout);

  const live = createLiveRun({ runId: id, indicator: slots.live, ctx, onRun: (next) => update(next) });
  const refresh = () => live.refresh();
  const approvals = createApprovals({ slot: slots.approvals, runId: id, canEdit, refresh });

  // Section by section, each only when its part of the run changed, so live updates do not disturb the user.
  const seen = { header: '', steps: '', counts: '', artifacts: '', details: '', failure: '' };
  const changed = (section, value) => {
    const key = JSON.stringify(value);
    if (key === seen[section]) return false;
    seen[section] = key;
    return true;
  };
  let latest = run;

  function update(next) {
    // A running run read without its progress (the worker did not answer in time) keeps the last one shown, so an
    // open approval form, and what the approver typed into it, stays.
    const progress =
      next.progress || (next.status === 'running' && latest.status === 'running' && latest.progress) || null;
    latest = next.progress || next.status !== 'running' ? next : { ...next, progress };
    const closed = next.status !== 'running';
    const brand = next.brandId ? cachedBrand(next.brandId) : null;
    const summary = progress && progress.summary;
    if (changed('header', [next.status, next.automation, brand && brand.name, summary, next.summary, next.temporalUrl]))
      renderHeader(slots, next, brand, { ctx, runId: id, canEdit, refresh });
    if (changed('failure', next.failure || null)) renderFailure(slots.failure, next.failure);
    if (changed('steps', [progress && progress.steps, closed])) renderSteps(slots.steps, progress, closed);
    if (changed('counts', progress && progress.counts)) renderCounts(slots.counts, progress && progress.counts);
    const artifacts = (progress && progress.artifacts) || [];
    if (changed('artifacts', [artifacts, next.result && next.result.copy && next.result.copy.altText]))
      renderArtifacts(slots.artifacts, artifacts, next);
    const { id: runId, runId: execution, startTime, closeTime, input, result } = next;
    if (changed('details', [runId, execution, startTime, closeTime, input, result, brand && brand.name]))
      renderDetails(slots.details, next, brand, manifests.get(next.automation));
    approvals.render(closed ? [] : (progress && progress.approvals) || [], next);
  }

  const clock = window.setInterval(() => {
    approvals.tick();
    tickSteps(slots.steps.list);
  }, 1000);

  update(run);
  live.start(run.status === 'running');

  ctx.cleanup(() => {
    live.stop();
    window.clearInterval(clock);
    approvals.dispose();
  });

  return latest;
}
