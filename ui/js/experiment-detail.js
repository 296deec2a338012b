/**
 * #/experiments/<id>: the variants side by side with their counts and the last evaluation's figures, its verdict and
 * reasons, a banner on a sample ratio mismatch, and the controls (start a draft; pause, resume, stop, extend a run).
 * The page checks again every few seconds while the experiment can change.
 */
import { api, isQuiet } from './api.js';
import { approvalPolicyFields } from './approval-policy.js';
import {
  busy,
  clearErrors,
  confirmDialog,
  errorBox,
  field,
  h,
  icon,
  replaceChildren,
  safeUrl,
  showErrors,
  spinner,
  statusBadge,
  toast,
} from './dom.js';
import { chanceChart, loadEvaluations } from './experiment-chart.js';
import { ENDED, guardrailText, KIND_LABELS, UNIT_LABELS, variantCard, verdictCard } from './experiment-parts.js';
import { backLink, card, pageHeader } from './layout.js';
import { showPageError } from './load.js';
import { runHref } from './runs.js';
import { can, loadBrands, PLATFORMS } from './state.js';

const platformTitle = (name) => (PLATFORMS.find((p) => p.name === name) || { title: name }).title;

const POLL_MS = 3000;
const STOP = {
  title: 'Stop the experiment?',
  message: 'It ends now without a verdict: nothing is promoted and everyone sees the control.',
  confirm: 'Stop',
  danger: true,
};

export async function renderExperiment(ctx) {
  const id = ctx.params[0];
  const path = `/experiments/${encodeURIComponent(id)}`;
  const wrap = h('div', { class: 'page' }, spinner('Loading the experiment…'));
  ctx.main.appendChild(wrap);
  const crumbs = backLink('#/experiments', 'Experiments');

  let x;
  let brand = null;
  try {
    [x, brand] = await Promise.all([
      api(path, { signal: ctx.signal }),
      loadBrands({ signal: ctx.signal })
        .then((brands) => brands)
        .catch((err) => {
          if (isQuiet(err)) throw err;
          return [];
        }),
    ]);
  } catch (err) {
    showPageError(ctx, err, wrap, pageHeader({ crumbs, title: 'Experiment' }));
    return;
  }
  if (!ctx.isCurrent()) return;
  brand = brand.find((b) => b.id === x.brandId) || null;
  ctx.setTitle(x.name);

  // The evaluation series, read again when the last evaluation changes.
  let series = { at: undefined, points: [], error: null };
  const badge = h('span', { class: 'badge-slot' });
  const links = h('p', { class: 'experiment-links' });
  const srm = h('div');
  const controls = h('div');
  const verdict = h('div');
  const grid = h('div', { class: 'variant-grid', 'data-testid': 'variant-grid' });
  const chart = h('div');
  const header = pageHeader({
    crumbs,
    title: h('div', { class: 'title-row' }, h('h1', null, x.name), badge),
    description: x.hypothesis,
    lines: [
      h(
        'p',
        { class: 'muted small' },
        [
          brand ? brand.name : null,
          KIND_LABELS[x.kind],
          x.kind === 'post' && x.post ? `the winner is published on ${platformTitle(x.post.platform)}` : null,
          `unit: ${UNIT_LABELS[x.unit] || x.unit}`,
          `metric “${x.metric}”`,
        ]
          .filter(Boolean)
          .join(' · '),
      ),
      (x.guardrails || []).length
        ? h(
            'p',
            { class: 'muted small', 'data-testid': 'experiment-guardrails' },
            'Guardrails (a regression blocks a win): ',
            x.guardrails.map(guardrailText).join(', '),
          )
        : null,
      links,
    ],
  });
  replaceChildren(
    wrap,
    header,
    h(
      'div',
      { class: 'experiment-body' },
      srm,
      controls,
      verdict,
      grid,
      card({ key: 'experiment-history', title: 'Chance to be best', testid: 'experiment-history' }, chart),
    ),
  );

  let drawnStatus = null;
  function draw() {
    replaceChildren(badge, statusBadge(x.status, { 'data-testid': 'experiment-status' }));
    const channel =
      x.kind === 'post' && brand && brand.channelUrl ? `${brand.channelUrl}/x/${encodeURIComponent(x.id)}` : null;
    replaceChildren(
      links,
      x.workflowId
        ? h('a', { href: runHref(x.workflowId), 'data-testid': 'experiment-run' }, 'Open the run')
        : h('span', { class: 'muted' }, 'Not started'),
      channel ? ' · ' : null,
      channel
        ? h(
            'a',
            { href: safeUrl(channel), target: '_blank', rel: 'noopener', 'data-testid': 'experiment-channel' },
            'Channel page',
            icon('external'),
          )
        : null,
    );
    const d = x.decision;
    replaceChildren(
      srm,
      d && d.srm && d.srm.mismatch
        ? h(
            'div',
            { class: 'alert alert-error', role: 'alert', 'data-testid': 'experiment-srm' },
            icon('alert'),
            h(
              'div',
              null,
              h('strong', null, 'Sample ratio mismatch. '),
              `The exposures do not match the weights (p = ${Number(d.srm.pValue).toPrecision(2)}): assignment or counting is broken somewhere, so the figures cannot be trusted. The experiment is paused until you resume or stop it.`,
            ),
          )
        : null,
    );
    if (x.status !== drawnStatus) {
      drawnStatus = x.status;
      replaceChildren(controls, controlCard());
    }
    replaceChildren(verdict, verdictCard(x));
    const byKey = Object.fromEntries(((d && d.variants) || []).map((v) => [v.id, v]));
    const stats = Object.fromEntries((x.stats || []).map((s) => [s.key, s]));
    replaceChildren(
      grid,
      x.variants.map((v) =>
        variantCard(v, stats[v.key] || { exposures: 0, conversions: 0, rate: null }, byKey[v.key], {
          kind: x.kind,
          metric: x.metric,
          winner: d && d.winner,
          guardrails: x.guardrails || [],
          checks: ((d && d.guardrails) || []).filter((g) => g.variant === v.key),
        }),
      ),
    );
    drawChart();
  }

  function drawChart() {
    replaceChildren(
      chart,
      chanceChart(series.points, x.variants, { ended: ENDED.includes(x.status), error: series.error }),
    );
  }

  /** Reads the series when the experiment has been evaluated since it was last read. */
  async function refreshSeries() {
    const at = (x.decision && x.decision.evaluatedAt) || null;
    if (at === series.at) return;
    try {
      const points = await loadEvaluations(path, ctx.signal);
      series = { at, points, error: null };
    } catch (err) {
      if (isQuiet(err)) return;
      series = { at: undefined, points: series.points, error: err };
    }
    if (ctx.isCurrent()) drawChart();
  }

  function controlCard() {
    if (!can('editor') || ENDED.includes(x.status)) return null;
    const form = h('form', { class: 'experiment-controls', novalidate: true, 'data-testid': 'experiment-controls' });
    form.addEventListener('submit', (event) => event.preventDefault());
    if (x.status === 'draft') {
      const approval = approvalPolicyFields({
        label: 'Require a human to approve the verdict before the winner is promoted',
        rejectLabel: 'Keep the control',
        minutes: 1440,
      });
      const start = h(
        'button',
        { type: 'submit', class: 'btn btn-primary', 'data-testid': 'experiment-start' },
        'Start',
      );
      start.addEventListener('click', () =>
        act(form, start, 'Experiment started.', () => {
          const policy = approval.read();
          if (policy.error) throw policy.error;
          return api('/runs', {
            method: 'POST',
            body: { automation: 'ab-test', input: { experimentId: x.id, approval: policy.value } },
          });
        }),
      );
      form.append(approval.el, h('div', { class: 'form-actions' }, start));
      return card({ key: 'experiment-start-card', title: 'Start', testid: 'experiment-start-card' }, form);
    }
    const DONE = { pause: 'Paused.', resume: 'Resumed.', stop: 'Stopped.' };
    const button = (action, label, cls) => {
      const b = h('button', { type: 'button', class: `btn ${cls}`, 'data-testid': `experiment-${action}` }, label);
      b.addEventListener('click', async () => {
        if (action === 'stop' && !(await confirmDialog(STOP))) return;
        void act(form, b, DONE[action], () => api(`${path}/control`, { method: 'POST', body: { action } }));
      });
      return b;
    };
    const days = h('input', { type: 'number', min: 1, max: 60, step: 1, value: '7', 'data-testid': 'experiment-days' });
    const extend = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', 'data-testid': 'experiment-extend' },
      'Extend',
    );
    extend.addEventListener('click', () =>
      act(form, extend, 'Extended.', () =>
        api(`${path}/control`, { method: 'POST', body: { action: 'extend', days: Number(days.value) } }),
      ),
    );
    form.append(
      h(
        'div',
        { class: 'experiment-control-row' },
        x.status === 'paused' ? button('resume', 'Resume', 'btn-primary') : button('pause', 'Pause', 'btn-secondary'),
        button('stop', 'Stop', 'btn-danger'),
        field({ label: 'Days', name: 'days', control: days, class: 'field-inline' }),
        extend,
      ),
    );
    return card({ key: 'experiment-control', title: 'Controls', testid: 'experiment-control-card' }, form);
  }

  async function act(form, button, done, request) {
    clearErrors(form);
    try {
      await busy(button, request);
      toast(done, 'success');
      drawnStatus = null;
      await refresh();
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  }

  let timer = null;
  ctx.cleanup(() => window.clearTimeout(timer));
  async function refresh() {
    window.clearTimeout(timer);
    try {
      const fresh = await api(path, { signal: ctx.signal });
      if (!ctx.isCurrent()) return;
      x = fresh;
      draw();
      await refreshSeries();
    } catch (err) {
      if (isQuiet(err)) return;
      replaceChildren(
        verdict,
        errorBox(err, () => void refresh()),
      );
    }
    if (ctx.isCurrent() && !ENDED.includes(x.status)) timer = window.setTimeout(() => void refresh(), POLL_MS);
  }
  draw();
  void refreshSeries();
  timer = window.setTimeout(() => void refresh(), POLL_MS);
}
