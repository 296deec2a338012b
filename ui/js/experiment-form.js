/**
 * #/experiments/new: the launch form of an A/B test — brand, name, hypothesis, kind (and, for post copy, where the
 * winner is published), unit of assignment, metric, guardrails, the variants, the evaluation's settings (their defaults filled in) and the approval of the verdict. "Create" saves a draft;
 * "Create and start" also starts its `ab-test` run and opens the run page.
 */
import { api, isQuiet } from './api.js';
import { approvalPolicyFields } from './approval-policy.js';
import { busy, clearErrors, clientError, field, h, replaceChildren, showErrors, toast } from './dom.js';
import { guardrailFields } from './experiment-guardrails.js';
import { experimentHref } from './experiment-parts.js';
import { variantFields } from './experiment-variants.js';
import { openLaunchPage } from './launch-page.js';
import { runHref } from './runs.js';
import { PLATFORMS, POST_TYPES } from './state.js';

/** The evaluation's settings and their defaults, as lib/abtest/experiment.ts declares them. */
const SETTINGS = [
  ['alpha', 'Alpha', 0.05, { min: 0.001, max: 0.2, step: 0.001 }, 'False-positive rate the verdict keeps to.'],
  ['minSamplePerVariant', 'Minimum sample per variant', 1000, { min: 10, step: 1 }, 'Exposures before any decision.'],
  ['minDurationHours', 'Minimum duration (hours)', 168, { min: 0, max: 2160, step: 1 }, 'A weekly cycle by default.'],
  ['maxDurationDays', 'Maximum duration (days)', 28, { min: 1, max: 180, step: 1 }, 'Stops here without a winner.'],
  ['evaluateEveryMinutes', 'Evaluate every (minutes)', 60, { min: 0.05, max: 1440, step: 'any' }, 'From 0.05 (3 s).'],
  [
    'expectedBaselineRate',
    'Expected baseline rate',
    0.05,
    { min: 0.0001, max: 0.9999, step: 'any' },
    'The control’s rate you expect, as a fraction (0.05 = 5%).',
  ],
  [
    'plannedSamplePerVariant',
    'Planned sample per variant',
    10000,
    { min: 50, step: 1 },
    'The sequential test is sharpest there.',
  ],
];

export async function renderNewExperiment(ctx) {
  const page = await openLaunchPage(ctx, {
    title: 'New experiment',
    description:
      'Split visitors between variants, count who converts, and let the sequential test say when one is better.',
    noBrands: 'An experiment belongs to a brand; a post experiment is served on its channel. Create one first.',
    back: ['#/experiments', 'Experiments'],
  });
  if (!page) return;
  const { wrap, header, brandSelect } = page;

  const text = (name, attrs) => h('input', { type: 'text', name, 'data-testid': `experiment-${name}`, ...attrs });
  const name = text('name', { maxlength: 200, placeholder: 'e.g. Shorter captions' });
  const metric = text('metric', { maxlength: 40, value: 'click' });
  const hypothesis = h('textarea', {
    name: 'hypothesis',
    rows: 2,
    maxlength: 2000,
    placeholder: 'e.g. A short caption gets more clicks on the call to action',
    'data-testid': 'experiment-hypothesis',
  });
  const kind = h(
    'select',
    { name: 'kind', 'data-testid': 'experiment-kind' },
    h('option', { value: 'post' }, 'Post copy, served on the brand channel'),
    h('option', { value: 'free' }, 'Free-form: your site asks for its variant'),
  );
  const unit = h(
    'select',
    { name: 'unit', 'data-testid': 'experiment-unit' },
    h('option', { value: 'visitor' }, 'Visitor (a browser on the channel or your site)'),
    h('option', { value: 'recipient' }, 'Email recipient'),
  );
  const platform = h(
    'select',
    { name: 'platform', 'data-testid': 'experiment-platform' },
    PLATFORMS.map((p) => h('option', { value: p.name }, p.title)),
  );
  const postType = h(
    'select',
    { name: 'postType', 'data-testid': 'experiment-post-type' },
    POST_TYPES.map((t) => h('option', { value: t.name, selected: t.name === 'promotional' }, t.title)),
  );
  const postFields = h(
    'div',
    { class: 'row', 'data-testid': 'experiment-post-fields' },
    field({
      label: 'Platform',
      name: 'post.platform',
      control: platform,
      hint: 'The promoted variant is published as a post for this platform on the brand channel.',
    }),
    field({ label: 'Post type', name: 'post.postType', control: postType }),
  );
  const guardrails = guardrailFields();
  const variants = variantFields(kind.value);
  kind.addEventListener('change', () => {
    variants.setKind(kind.value);
    postFields.hidden = kind.value !== 'post';
  });

  const settings = SETTINGS.map(([key, label, value, attrs, hint]) => ({
    key,
    control: h('input', {
      type: 'number',
      name: key,
      value: String(value),
      ...attrs,
      'data-testid': `experiment-config-${key}`,
    }),
    label,
    hint,
  }));
  const approval = approvalPolicyFields({
    label: 'Require a human to approve the verdict before the winner is promoted',
    rejectLabel: 'Keep the control',
    minutes: 1440,
  });

  const create = h(
    'button',
    { type: 'submit', class: 'btn btn-secondary btn-large', value: 'create', 'data-testid': 'experiment-create' },
    'Create',
  );
  const start = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-large', value: 'start', 'data-testid': 'experiment-start' },
    'Create and start',
  );
  const form = h(
    'form',
    { class: 'card stack launch-form', novalidate: true, 'data-testid': 'experiment-form' },
    field({ label: 'Brand', name: 'brandId', control: brandSelect }),
    h(
      'div',
      { class: 'row' },
      field({ label: 'Name', name: 'name', control: name }),
      field({
        label: 'Metric',
        name: 'metric',
        control: metric,
        hint: 'Conversions of this name over exposures; the channel counts “click”.',
      }),
    ),
    field({ label: 'Hypothesis', name: 'hypothesis', control: hypothesis }),
    h(
      'div',
      { class: 'row' },
      field({ label: 'Kind', name: 'kind', control: kind }),
      field({
        label: 'Unit of assignment',
        name: 'unit',
        control: unit,
        hint: 'Who gets a variant and keeps it: each unit is counted once.',
      }),
    ),
    postFields,
    h('h2', { class: 'card-title' }, 'Guardrail metrics'),
    guardrails.el,
    h('h2', { class: 'card-title' }, 'Variants'),
    variants.el,
    h(
      'details',
      { class: 'fieldset experiment-settings', 'data-field': 'config' },
      h('summary', null, 'Evaluation settings'),
      h(
        'div',
        { class: 'settings-grid' },
        settings.map((s) => field({ label: s.label, name: `config.${s.key}`, control: s.control, hint: s.hint })),
      ),
    ),
    approval.el,
    h(
      'div',
      { class: 'form-actions' },
      start,
      create,
      h('a', { class: 'btn btn-ghost', href: '#/experiments' }, 'Cancel'),
    ),
  );

  function read() {
    const read = variants.read();
    if (read.error) return read;
    const guarded = guardrails.read();
    if (guarded.error) return guarded;
    const config = {};
    const errors = [];
    for (const s of settings) {
      const value = Number(s.control.value);
      if (s.control.value.trim() === '' || !Number.isFinite(value))
        errors.push({ field: `config.${s.key}`, message: 'Enter a number' });
      else config[s.key] = value;
    }
    if (errors.length) return { error: clientError(errors) };
    return {
      value: {
        brandId: brandSelect.value,
        name: name.value.trim(),
        hypothesis: hypothesis.value.trim(),
        kind: kind.value,
        unit: unit.value,
        metric: metric.value.trim(),
        guardrails: guarded.value,
        ...(kind.value === 'post' ? { post: { platform: platform.value, postType: postType.value } } : {}),
        variants: read.value,
        config,
      },
    };
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const andStart = event.submitter === start;
    const input = read();
    const policy = andStart ? approval.read() : { value: null };
    const invalid = input.error || policy.error;
    if (invalid) {
      showErrors(form, invalid);
      return;
    }
    const button = andStart ? start : create;
    let experiment;
    try {
      experiment = await busy(button, () => api('/experiments', { method: 'POST', body: input.value }), 'Creating…');
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
      return;
    }
    if (!andStart) {
      toast('Experiment created. Start it when you are ready.', 'success');
      ctx.navigate(experimentHref(experiment.id));
      return;
    }
    try {
      const run = await busy(
        button,
        () =>
          api('/runs', {
            method: 'POST',
            body: { automation: 'ab-test', input: { experimentId: experiment.id, approval: policy.value } },
          }),
        'Starting…',
      );
      toast('Experiment started.', 'success');
      ctx.navigate(runHref(run.id));
    } catch (err) {
      if (isQuiet(err)) return;
      // The experiment exists: its page can start it once the problem is fixed.
      toast(`Created, but not started: ${err.message}`, 'error');
      ctx.navigate(experimentHref(experiment.id));
    }
  });

  replaceChildren(wrap, header, form);
}
