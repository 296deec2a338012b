/**
 * #/runs/<id>: one run, live. Status, summary, the step timeline, artifacts, pending approvals
 * (editable for social posts), cancel / retry, and a link to the same run in the Temporal Web UI.
 */
import { api, ApiError, isQuiet, runPath } from './api.js';
import {
  busy,
  clearErrors,
  confirmDialog,
  copyButton,
  errorBox,
  field,
  formatCountdown,
  formatDateTime,
  formatDuration,
  formatScore,
  h,
  icon,
  replaceChildren,
  safeUrl,
  showErrors,
  spinner,
  statusBadge,
  time,
  toast,
} from './dom.js';
import { automationTitle, cachedBrand, can, loadBrands, platformInfo, POST_TYPES } from './state.js';
import { runHref } from './runs.js';
import { isReportDelivery, reportApprovalEditor } from './report-approval.js';
import { isVideoScript, scriptApprovalEditor } from './script-approval.js';

const POLL_MS = 3000;
const STEP_LABELS = {
  pending: 'Pending',
  running: 'Running',
  waiting: 'Waiting',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};
const STEP_ICONS = { done: 'check', failed: 'x', waiting: 'waiting', skipped: 'skipped' };
const ON_TIMEOUT = { approve: 'it is approved automatically', reject: 'it is rejected', fail: 'the run fails' };

/** Details like "Waiting for approval until 2025-01-01T10:00:00.000Z" read better in local time. */
const readableTimes = (text) =>
  String(text).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (iso) => formatDateTime(iso));

export async function renderRun(ctx) {
  const id = ctx.params[0];
  const canEdit = can('editor');

  // ---- skeleton ----
  const title = h('h1', { class: 'run-title' }, 'Run');
  const badgeSlot = h('span', { class: 'badge-slot' });
  const liveEl = h(
    'span',
    { class: 'live', 'data-state': 'connecting' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
    '',
  );
  const summary = h('p', { class: 'run-summary-line', 'aria-live': 'polite', 'data-testid': 'run-summary' });
  const actions = h('div', { class: 'page-actions' });
  const failureSlot = h('div');
  const approvalsSlot = h('div', { class: 'approvals', 'data-testid': 'approvals' });
  const stepsList = h('ol', { class: 'timeline', 'data-testid': 'steps' });
  const stepsNote = h('div');
  const artifactsBody = h('div', { class: 'artifacts', 'data-testid': 'artifacts' });
  const detailsBody = h('dl', { class: 'details' });

  const layout = h(
    'div',
    { class: 'page run-page' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/runs' }, icon('back'), 'Runs')),
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        { class: 'run-heading' },
        h('div', { class: 'title-row' }, title, badgeSlot),
        summary,
        h('p', { class: 'run-meta muted' }, h('code', { class: 'mono' }, id), ' ', liveEl),
      ),
      actions,
    ),
    failureSlot,
    approvalsSlot,
    h(
      'div',
      { class: 'run-layout' },
      h(
        'div',
        { class: 'run-main' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'steps-title' },
          h('h2', { id: 'steps-title', class: 'card-title' }, 'Steps'),
          stepsNote,
          stepsList,
        ),
      ),
      h(
        'aside',
        { class: 'run-side' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'artifacts-title' },
          h('h2', { id: 'artifacts-title', class: 'card-title' }, 'Artifacts'),
          artifactsBody,
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'details-title' },
          h('h2', { id: 'details-title', class: 'card-title' }, 'Details'),
          detailsBody,
        ),
      ),
    ),
  );
  ctx.main.appendChild(h('div', { class: 'page' }, spinner('Loading run…')));

  let run;
  try {
    [run] = await Promise.all([
      api(runPath(id), { signal: ctx.signal }),
      loadBrands({ signal: ctx.signal }).catch(() => []),
    ]);
  } catch (err) {
    if (isQuiet(err)) throw err;
    replaceChildren(
      ctx.main,
      h(
        'div',
        { class: 'page narrow' },
        h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/runs' }, icon('back'), 'Runs')),
        h('h1', null, err instanceof ApiError && err.status === 404 ? 'Run not found' : 'Could not load the run'),
        errorBox(err, () => ctx.navigate(location.hash)),
      ),
    );
    return;
  }
  if (!ctx.isCurrent()) return;
  replaceChildren(ctx.main, layout);

  // ---- rendering, section by section so live updates do not disturb what the user is doing ----
  const seen = { header: '', steps: '', artifacts: '', details: '', failure: '' };
  const approvalViews = new Map();
  const tickers = new Set();
  let latest = run;

  const update = (next) => {
    latest = next;
    const progress = next.progress || null;
    const closed = next.status !== 'running';
    const brand = next.brandId ? cachedBrand(next.brandId) : null;

    const headerKey = JSON.stringify([
      next.status,
      next.automation,
      brand && brand.name,
      progress && progress.summary,
      next.summary,
      next.temporalUrl,
    ]);
    if (headerKey !== seen.header) {
      seen.header = headerKey;
      const name = automationTitle(next.automation || (progress && progress.automation));
      title.textContent = brand ? `${name} for ${brand.name}` : name;
      ctx.setTitle(title.textContent);
      replaceChildren(badgeSlot, statusBadge(next.status, { 'data-testid': 'run-status' }));
      summary.textContent = (progress && progress.summary) || next.summary || '';
      renderActions(next);
    }

    const failureKey = JSON.stringify(next.failure || null);
    if (failureKey !== seen.failure) {
      seen.failure = failureKey;
      replaceChildren(
        failureSlot,
        next.failure
          ? h(
              'div',
              { class: 'alert alert-error', role: 'alert', 'data-testid': 'run-failure' },
              icon('alert'),
              h(
                'div',
                null,
                h('strong', null, 'The run failed'),
                next.failure.type
                  ? h(
                      'span',
                      { class: 'chip chip-danger', title: next.failure.type },
                      next.failure.label || next.failure.type,
                    )
                  : null,
                h('p', null, next.failure.message),
              ),
            )
          : null,
      );
    }

    const stepsKey = JSON.stringify([progress && progress.steps, closed]);
    if (stepsKey !== seen.steps) {
      seen.steps = stepsKey;
      renderSteps(progress, closed);
    }

    const artifacts = (progress && progress.artifacts) || [];
    const artifactsKey = JSON.stringify([artifacts, next.result && next.result.copy && next.result.copy.altText]);
    if (artifactsKey !== seen.artifacts) {
      seen.artifacts = artifactsKey;
      renderArtifacts(artifacts, next);
    }

    const detailsKey = JSON.stringify([
      next.id,
      next.runId,
      next.startTime,
      next.closeTime,
      next.input,
      next.result,
      brand && brand.name,
    ]);
    if (detailsKey !== seen.details) {
      seen.details = detailsKey;
      renderDetails(next, brand);
    }

    renderApprovals(closed ? [] : (progress && progress.approvals) || [], next);
  };

  function renderActions(r) {
    const running = r.status === 'running';
    const buttons = [];
    if (canEdit && running) {
      const cancel = h(
        'button',
        { type: 'button', class: 'btn btn-danger-outline', 'data-testid': 'run-cancel' },
        'Cancel run',
      );
      cancel.addEventListener('click', async () => {
        const ok = await confirmDialog({
          title: 'Cancel this run?',
          message: 'The workflow stops at its next step; anything in flight is cleaned up. This cannot be undone.',
          confirm: 'Cancel run',
          danger: true,
        });
        if (!ok) return;
        try {
          await busy(cancel, () => api(`${runPath(id)}/cancel`, { method: 'POST' }), 'Cancelling…');
          toast('Cancellation requested.', 'success');
          void refresh();
        } catch (err) {
          if (!isQuiet(err)) toast(err.message, 'error');
        }
      });
      buttons.push(cancel);
    }
    if (canEdit && !running) {
      const retry = h(
        'button',
        { type: 'button', class: 'btn btn-secondary', 'data-testid': 'run-retry' },
        icon('refresh'),
        'Retry as new run',
      );
      retry.addEventListener('click', async () => {
        try {
          const created = await busy(retry, () => api(`${runPath(id)}/retry`, { method: 'POST' }), 'Starting…');
          toast('Started a new run with the same input.', 'success');
          ctx.navigate(runHref(created.id));
        } catch (err) {
          if (!isQuiet(err)) toast(err.message, 'error');
        }
      });
      buttons.push(retry);
    }
    if (r.temporalUrl) {
      buttons.push(
        h(
          'a',
          {
            class: 'btn btn-ghost',
            href: safeUrl(r.temporalUrl),
            target: '_blank',
            rel: 'noopener',
            'data-testid': 'run-temporal',
          },
          icon('external'),
          'Open in Temporal Web UI',
        ),
      );
    }
    replaceChildren(actions, buttons);
  }

  function renderSteps(progress, closed) {
    if (!progress) {
      replaceChildren(
        stepsNote,
        h(
          'div',
          { class: 'alert alert-info', role: 'note', 'data-testid': 'progress-unavailable' },
          closed
            ? 'This run did not report its progress.'
            : 'No worker answered the progress query yet. Steps appear once a worker picks up this run’s task queue.',
        ),
      );
      replaceChildren(stepsList);
      return;
    }
    replaceChildren(stepsNote);
    replaceChildren(stepsList, progress.steps.map(stepItem));
  }

  function stepItem(step) {
    const started = step.startedAt ? new Date(step.startedAt).getTime() : null;
    const ended = step.endedAt ? new Date(step.endedAt).getTime() : null;
    const active = step.status === 'running' || step.status === 'waiting';
    const duration = started !== null ? formatDuration((ended ?? Date.now()) - started) : '';
    return h(
      'li',
      { class: `step step-${step.status}`, 'data-testid': 'step', 'data-step': step.name, 'data-status': step.status },
      h(
        'span',
        { class: 'step-icon', 'aria-hidden': 'true' },
        step.status === 'running'
          ? h('span', { class: 'spinner spinner-small' })
          : STEP_ICONS[step.status]
            ? icon(STEP_ICONS[step.status])
            : null,
      ),
      h(
        'div',
        { class: 'step-body' },
        h(
          'div',
          { class: 'step-head' },
          h('span', { class: 'step-title' }, step.title || step.name),
          h('span', { class: 'step-status' }, STEP_LABELS[step.status] || step.status),
          duration
            ? h(
                'span',
                {
                  class: 'step-duration',
                  title: step.startedAt ? `Started ${formatDateTime(step.startedAt)}` : null,
                  'data-running-since': active && !ended ? step.startedAt : null,
                },
                duration,
              )
            : null,
        ),
        step.attempt > 1 || step.provider
          ? h(
              'div',
              { class: 'step-meta' },
              step.attempt > 1
                ? h('span', { class: 'chip chip-warn', 'data-testid': 'step-attempt' }, `Attempt ${step.attempt}`)
                : null,
              step.provider ? h('span', { class: 'chip', title: 'Provider' }, step.provider) : null,
            )
          : null,
        step.status === 'running' && typeof step.percent === 'number'
          ? h(
              'div',
              { class: 'step-progress' },
              h('progress', {
                max: 100,
                value: step.percent,
                'aria-label': `${step.title || step.name}: ${step.percent} %`,
                'data-testid': 'step-percent',
              }),
              h('span', { class: 'step-percent' }, `${step.percent} %`),
            )
          : null,
        step.detail ? h('p', { class: 'step-detail' }, readableTimes(step.detail)) : null,
      ),
    );
  }

  function renderArtifacts(artifacts, r) {
    if (artifacts.length === 0) {
      replaceChildren(
        artifactsBody,
        h(
          'p',
          { class: 'muted' },
          r.status === 'running' ? 'Files and links appear here as steps produce them.' : 'This run produced no files.',
        ),
      );
      return;
    }
    const altText = r.result && r.result.copy && r.result.copy.altText;
    artifactsOf = artifacts;
    runInput = r.input || {};
    replaceChildren(
      artifactsBody,
      artifacts.map((a) => artifactView(a, altText)),
    );
  }

  let artifactsOf = [];
  let runInput = {};
  function artifactView(a, altText) {
    const url = safeUrl(a.url);
    const titleText = a.title || a.kind;
    const caption = h(
      'figcaption',
      null,
      h('span', null, titleText),
      h(
        'a',
        {
          href: url,
          target: '_blank',
          rel: 'noopener',
          class: 'icon-link',
          'aria-label': `Open ${titleText} in a new tab`,
        },
        icon('external'),
      ),
    );
    const attrs = {
      class: `artifact artifact-${a.kind}`,
      'data-testid': `artifact-${a.kind}`,
      'data-step': a.step || null,
    };
    switch (a.kind) {
      case 'image':
        return h(
          'figure',
          attrs,
          h(
            'a',
            { href: url, target: '_blank', rel: 'noopener', class: 'artifact-media' },
            h('img', { src: url, alt: altText || titleText, loading: 'lazy', decoding: 'async' }),
          ),
          caption,
        );
      case 'video': {
        // The subtitles are burned into the picture; the WebVTT track is there for players and assistive technology
        // that read text (not shown by default, or the captions would show twice).
        const subtitles = artifactsOf.find((x) => x.kind === 'subtitles');
        return h(
          'figure',
          attrs,
          h(
            'video',
            { src: url, controls: true, preload: 'metadata', playsinline: true, class: 'artifact-media' },
            subtitles
              ? h('track', {
                  kind: 'subtitles',
                  src: safeUrl(subtitles.url),
                  srclang: (runInput.brief && runInput.brief.language) || 'en',
                  label: 'Subtitles',
                })
              : null,
          ),
          caption,
        );
      }
      case 'audio':
        return h('figure', attrs, h('audio', { src: url, controls: true, preload: 'none' }), caption);
      case 'pdf':
        return h(
          'figure',
          attrs,
          h(
            'object',
            { data: url, type: 'application/pdf', class: 'artifact-pdf', 'aria-label': titleText },
            h(
              'p',
              null,
              'This browser cannot show the PDF inline. ',
              h('a', { href: url, target: '_blank', rel: 'noopener' }, 'Open it'),
              '.',
            ),
          ),
          caption,
        );
      default:
        return h(
          'div',
          attrs,
          h(
            'a',
            { href: url, target: '_blank', rel: 'noopener', class: 'artifact-anchor' },
            icon(a.kind === 'link' || a.kind === 'html' ? 'external' : 'runs'),
            h(
              'span',
              { class: 'artifact-link-text' },
              h('span', { class: 'artifact-link-title' }, titleText),
              h('span', { class: 'artifact-link-url mono' }, a.url),
            ),
          ),
        );
    }
  }

  function renderDetails(r, brand) {
    const rows = [];
    const add = (term, ...value) =>
      rows.push(h('div', { class: 'detail-row' }, h('dt', null, term), h('dd', null, ...value)));
    add('Automation', automationTitle(r.automation));
    if (r.brandId)
      add(
        'Brand',
        brand
          ? h('a', { href: `#/brands/${encodeURIComponent(brand.id)}` }, brand.name)
          : h('span', { class: 'mono' }, r.brandId),
      );
    add('Workflow ID', h('span', { class: 'mono break' }, r.id), ' ', copyButton(r.id));
    if (r.runId) add('Run ID', h('span', { class: 'mono break' }, r.runId));
    add(
      'Started',
      time(r.startTime),
      r.startTime ? h('span', { class: 'muted' }, ` · ${formatDateTime(r.startTime)}`) : null,
    );
    if (r.closeTime)
      add(
        'Finished',
        time(r.closeTime),
        h('span', { class: 'muted' }, ` · took ${formatDuration(new Date(r.closeTime) - new Date(r.startTime))}`),
      );
    const input = r.input && typeof r.input === 'object' ? r.input : null;
    if (input) {
      if (input.platform) add('Platform', (platformInfo(input.platform) || { title: input.platform }).title);
      if (input.postType)
        add('Post type', (POST_TYPES.find((t) => t.name === input.postType) || { title: input.postType }).title);
      if (input.format) add('Format', input.format);
      if (input.topic) add('Topic', input.topic);
      if (input.diagnosisId && r.brandId)
        add(
          'Diagnosis',
          h(
            'a',
            { href: `#/brands/${encodeURIComponent(r.brandId)}/diagnosis/${encodeURIComponent(input.diagnosisId)}` },
            'View the diagnosis',
          ),
        );
      if (Array.isArray(input.recipients))
        add(
          'Recipients',
          input.recipients.length > 0
            ? h('span', { class: 'break' }, input.recipients.join(', '))
            : h('span', { class: 'muted' }, 'Nobody: the report is only stored'),
        );
      if (input.approval) {
        add(
          'Approval',
          input.approval.required === false
            ? 'Not required'
            : `Required · ${formatDuration((input.approval.timeoutSeconds || 0) * 1000)} · on timeout ${input.approval.onTimeout}`,
        );
      }
    }
    const result = r.result && typeof r.result === 'object' ? r.result : null;
    if (result) {
      if (result.status)
        add(
          'Outcome',
          h(
            'span',
            { class: `chip ${result.status === 'published' || result.status === 'sent' ? 'chip-ok' : ''}` },
            result.status,
          ),
        );
      if (Array.isArray(result.recipients) && result.status === 'sent')
        add('Emailed to', h('span', { class: 'break' }, result.recipients.join(', ')));
      if (typeof result.overall === 'number') add('Overall score', `${formatScore(result.overall)} / 100`);
      if (typeof result.pages === 'number') add('Pages', String(result.pages));
      if (result.reportId && r.brandId)
        add(
          'Report',
          h(
            'a',
            { href: `#/brands/${encodeURIComponent(r.brandId)}?tab=reports`, 'data-testid': 'run-report-link' },
            'All reports of the brand',
          ),
          result.pdfUrl ? ' · ' : null,
          result.pdfUrl
            ? h('a', { href: safeUrl(result.pdfUrl), target: '_blank', rel: 'noopener' }, 'Open the PDF')
            : null,
        );
      if (result.url)
        add(
          'Published at',
          h('a', { href: safeUrl(result.url), target: '_blank', rel: 'noopener', class: 'break' }, result.url),
        );
      if (result.writtenBy) add('Written by', result.writtenBy);
    }
    const extras = [];
    if (input)
      extras.push(
        h(
          'details',
          { class: 'raw' },
          h('summary', null, 'Input JSON'),
          h('pre', null, JSON.stringify(input, null, 2)),
        ),
      );
    if (r.result !== undefined)
      extras.push(
        h(
          'details',
          { class: 'raw' },
          h('summary', null, 'Result JSON'),
          h('pre', null, JSON.stringify(r.result, null, 2)),
        ),
      );
    replaceChildren(detailsBody, rows, extras);
  }

  // ---- approvals ----

  function renderApprovals(approvals, r) {
    const ids = new Set(approvals.map((a) => a.id));
    for (const [approvalId, view] of approvalViews) {
      if (!ids.has(approvalId)) {
        view.dispose();
        approvalViews.delete(approvalId);
      }
    }
    for (const approval of approvals) {
      if (!approvalViews.has(approval.id)) {
        const view = approvalView(approval, r);
        approvalViews.set(approval.id, view);
        approvalsSlot.appendChild(view.el);
      }
    }
    for (const view of approvalViews.values()) view.setImage(imageUrl(r));
  }

  const imageUrl = (r) => {
    const artifacts = (r.progress && r.progress.artifacts) || [];
    const image = [...artifacts].reverse().find((a) => a.kind === 'image');
    return image ? safeUrl(image.url) : null;
  };

  function approvalView(approval, r) {
    const content = approval.content;
    const isPost = content && typeof content === 'object' && typeof content.caption === 'string';
    const isReport = !isPost && isReportDelivery(content);
    const isScript = !isPost && !isReport && isVideoScript(content);
    const platform = platformInfo(r.input && r.input.platform);
    const deadlineEl = h('p', { class: 'deadline', 'data-testid': 'approval-deadline' });
    const status = h('p', { class: 'approval-status', role: 'status' });
    const form = h('form', {
      class: 'approval-form stack',
      novalidate: true,
      'data-testid': 'approval-form',
      'data-approval-id': approval.id,
    });
    const previewImg = h('img', { alt: 'Post image', hidden: true, class: 'preview-image' });
    const previewText = h('p', { class: 'preview-text', 'data-testid': 'approval-preview-text' });
    const readOnly = !canEdit;

    const original = isPost
      ? {
          caption: content.caption,
          hashtags: (content.hashtags || []).map((t) => String(t).replace(/^#/, '')),
          callToAction: content.callToAction || '',
          altText: content.altText || '',
        }
      : null;

    let caption, hashtags, cta, alt, comment, captionCounter, altCounter, tagCounter;
    const parseTags = (text) =>
      text
        .split(/[\s,]+/)
        .map((t) => t.replace(/^#+/, '').trim())
        .filter(Boolean);
    const current = () => ({
      caption: caption.value,
      hashtags: parseTags(hashtags.value),
      callToAction: cta.value,
      altText: alt.value,
    });
    const composed = (copy) =>
      [copy.caption.trim(), copy.callToAction.trim(), copy.hashtags.map((t) => `#${t}`).join(' ')]
        .filter(Boolean)
        .join('\n\n');
    const postEdits = () => {
      const now = current();
      const changed = {};
      if (now.caption !== original.caption) changed.caption = now.caption;
      if (now.hashtags.join(' ') !== original.hashtags.join(' ')) changed.hashtags = now.hashtags;
      if (now.callToAction !== original.callToAction) changed.callToAction = now.callToAction;
      if (now.altText !== original.altText) changed.altText = now.altText;
      return changed;
    };

    const approveBtn = h(
      'button',
      { type: 'button', class: 'btn btn-primary', 'data-testid': 'approval-approve' },
      icon('check'),
      'Approve',
    );
    const editBtn = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', 'data-testid': 'approval-edit', disabled: true },
      'Save edits & approve',
    );
    const rejectBtn = h(
      'button',
      { type: 'button', class: 'btn btn-danger-outline', 'data-testid': 'approval-reject' },
      icon('x'),
      'Reject',
    );

    const counterText = (length, max, what) => {
      const over = max && length > max;
      return {
        text: max
          ? `${length.toLocaleString()} / ${max.toLocaleString()} ${what}`
          : `${length.toLocaleString()} ${what}`,
        over,
      };
    };
    const setCounter = (el, { text, over }) => {
      el.textContent = text;
      el.classList.toggle('over', Boolean(over));
    };

    /** The report or script editor: `{ fields, preview, edits }`. */
    let report = null;
    const edits = () => (isPost ? postEdits() : report ? report.edits() : {});

    const refreshLive = () => {
      if (isPost) refreshPost();
      else if (!report) return;
      const dirty = Object.keys(edits()).length > 0;
      editBtn.disabled = readOnly || !dirty || form.dataset.state === 'sent';
      approveBtn.classList.toggle('btn-primary', !dirty);
      approveBtn.classList.toggle('btn-secondary', dirty);
      editBtn.classList.toggle('btn-primary', dirty);
      editBtn.classList.toggle('btn-secondary', !dirty);
    };

    const refreshPost = () => {
      const copy = current();
      const text = composed(copy);
      setCounter(
        captionCounter,
        counterText([...text].length, platform && platform.captionMax, 'characters with call to action and hashtags'),
      );
      setCounter(
        tagCounter,
        counterText(
          copy.hashtags.length,
          platform && platform.hashtagsMax,
          copy.hashtags.length === 1 ? 'hashtag' : 'hashtags',
        ),
      );
      setCounter(altCounter, counterText([...copy.altText].length, platform && platform.altTextMax, 'characters'));
      previewText.textContent = text;
    };

    const fields = [];
    if (isPost) {
      caption = h('textarea', {
        rows: 6,
        name: 'caption',
        'data-testid': 'approval-caption',
        readOnly,
        value: original.caption,
      });
      captionCounter = h('span', { class: 'counter', 'data-testid': 'char-counter', 'aria-live': 'polite' });
      hashtags = h('input', {
        type: 'text',
        name: 'hashtags',
        'data-testid': 'approval-hashtags',
        readOnly,
        value: original.hashtags.join(' '),
        autocomplete: 'off',
        spellcheck: 'false',
      });
      tagCounter = h('span', { class: 'counter' });
      cta = h('input', {
        type: 'text',
        name: 'callToAction',
        'data-testid': 'approval-cta',
        readOnly,
        value: original.callToAction,
      });
      alt = h('textarea', {
        rows: 2,
        name: 'altText',
        'data-testid': 'approval-alt',
        readOnly,
        value: original.altText,
      });
      altCounter = h('span', { class: 'counter' });
      fields.push(
        field({ label: 'Caption', name: 'edits.caption', control: caption, hint: captionCounter }),
        field({
          label: 'Hashtags',
          name: 'edits.hashtags',
          control: hashtags,
          hint: h('span', null, 'Separated by spaces or commas, without #. ', tagCounter),
        }),
        field({ label: 'Call to action', name: 'edits.callToAction', control: cta }),
        field({
          label: 'Alt text',
          name: 'edits.altText',
          control: alt,
          hint: h('span', null, 'Describes the image for screen readers. ', altCounter),
        }),
      );
      for (const control of [caption, hashtags, cta, alt]) control.addEventListener('input', refreshLive);
      // Text areas grow with their content, so the whole caption is visible while editing.
      const grow = (el) => {
        el.style.height = 'auto';
        el.style.height = `${Math.min(el.scrollHeight + 2, 520)}px`;
      };
      for (const area of [caption, alt]) {
        area.addEventListener('input', () => grow(area));
        window.requestAnimationFrame(() => grow(area));
      }
    } else if (isReport) {
      report = reportApprovalEditor(content, { readOnly, onInput: refreshLive });
      fields.push(...report.fields);
    } else if (isScript) {
      report = scriptApprovalEditor(content, {
        readOnly,
        onInput: refreshLive,
        targetSeconds: r.input && r.input.targetSeconds,
      });
      fields.push(...report.fields);
    } else {
      fields.push(
        h(
          'pre',
          { class: 'approval-content' },
          typeof content === 'string' ? content : JSON.stringify(content, null, 2),
        ),
      );
    }
    if (!readOnly) {
      comment = h('textarea', { rows: 2, name: 'comment', 'data-testid': 'approval-comment', maxlength: 1000 });
      fields.push(
        field({
          label: 'Comment',
          name: 'comment',
          control: comment,
          optional: true,
          hint: 'Recorded with your decision.',
        }),
      );
    }

    const allowed = new Set(approval.actions || ['approve', 'reject']);
    const buttons = readOnly
      ? [h('p', { class: 'muted' }, 'Only editors and admins can decide.')]
      : [
          allowed.has('approve') ? approveBtn : null,
          (isPost || report) && allowed.has('edit') ? editBtn : null,
          allowed.has('reject') ? rejectBtn : null,
        ];

    form.append(...fields, h('div', { class: 'form-actions' }, ...buttons), status);
    if (readOnly || !(isPost || report)) editBtn.disabled = true;

    const setDisabled = (disabled) => {
      for (const el of form.querySelectorAll('button, textarea, input')) el.disabled = disabled;
    };

    const decide = async (action, button) => {
      clearErrors(form);
      const body = { action };
      if (action === 'edit') body.edits = edits();
      const note = comment && comment.value.trim();
      if (note) body.comment = note;
      if (action === 'approve' && (isPost || report) && Object.keys(edits()).length > 0) {
        const ok = await confirmDialog(
          isScript
            ? {
                title: 'Approve without your edits?',
                message:
                  'You changed the script. Approve records the original; use “Save edits & approve” to record your version.',
                confirm: 'Approve original',
              }
            : isReport
              ? {
                  title: 'Approve without your edits?',
                  message:
                    'You changed the email. Approve sends it as proposed; use “Save edits & approve” to send your version.',
                  confirm: 'Approve original',
                }
              : {
                  title: 'Approve without your edits?',
                  message:
                    'You changed the post. Approve publishes the original text; use “Save edits & approve” to publish your version.',
                  confirm: 'Approve original',
                },
        );
        if (!ok) return;
      }
      if (action === 'reject') {
        const ok = await confirmDialog(
          isScript
            ? {
                title: 'Reject this script?',
                message: 'Nothing is recorded, rendered or published, and the credits held for the video are released.',
                confirm: 'Reject',
                danger: true,
              }
            : isReport
              ? {
                  title: 'Reject sending this report?',
                  message: 'The report stays with the brand but is not emailed.',
                  confirm: 'Reject',
                  danger: true,
                }
              : {
                  title: 'Reject this post?',
                  message: 'The run ends without publishing anything.',
                  confirm: 'Reject',
                  danger: true,
                },
        );
        if (!ok) return;
      }
      form.dataset.state = 'sending';
      status.textContent = '';
      try {
        await busy(
          button,
          () => api(`${runPath(id)}/approvals/${encodeURIComponent(approval.id)}`, { method: 'POST', body }),
          'Sending…',
        );
        form.dataset.state = 'sent';
        setDisabled(true);
        const done = { approve: 'Approved', edit: 'Edits saved and approved', reject: 'Rejected' }[action];
        status.textContent = `${done}. The run continues…`;
        toast(`${done}.`, 'success');
        void refresh();
      } catch (err) {
        form.dataset.state = '';
        if (isQuiet(err)) return;
        if (err instanceof ApiError && err.status === 409) {
          toast('This approval is no longer pending.', 'info');
          void refresh();
        }
        showErrors(form, err);
        refreshLive();
      }
    };
    approveBtn.addEventListener('click', () => void decide('approve', approveBtn));
    editBtn.addEventListener('click', () => void decide('edit', editBtn));
    rejectBtn.addEventListener('click', () => void decide('reject', rejectBtn));
    form.addEventListener('submit', (e) => e.preventDefault());

    const tick = () => {
      if (!approval.deadline) {
        deadlineEl.textContent = 'No deadline';
        return;
      }
      const left = new Date(approval.deadline).getTime() - Date.now();
      const then = ON_TIMEOUT[approval.onTimeout] || approval.onTimeout;
      deadlineEl.classList.toggle('urgent', left < 5 * 60_000);
      deadlineEl.textContent =
        left > 0 ? `Decide within ${formatCountdown(left)} — then ${then}.` : `The deadline has passed: ${then}.`;
      deadlineEl.title = `Deadline ${formatDateTime(approval.deadline)}`;
    };
    tick();
    tickers.add(tick);

    const el = h(
      'section',
      {
        class: 'card approval-card',
        'aria-labelledby': `approval-${approval.id}-title`,
        'data-testid': 'approval',
        'data-approval-id': approval.id,
      },
      h(
        'header',
        { class: 'approval-header' },
        h(
          'div',
          null,
          h('p', { class: 'eyebrow' }, readOnly ? 'Waiting for a decision' : 'Needs your decision'),
          h('h2', { id: `approval-${approval.id}-title`, class: 'card-title' }, approval.title || 'Approval'),
        ),
        h('span', { class: 'deadline-wrap' }, icon('waiting'), deadlineEl),
      ),
      h(
        'div',
        { class: isPost || report ? 'approval-grid' : '' },
        form,
        isPost
          ? h(
              'div',
              { class: 'preview', 'aria-label': 'Post preview' },
              h('p', { class: 'eyebrow' }, platform ? `${platform.title} preview` : 'Preview'),
              h('div', { class: 'preview-card' }, previewImg, previewText),
            )
          : report
            ? report.preview
            : null,
      ),
    );
    refreshLive();
    return {
      el,
      setImage(url) {
        if (!url) return;
        if (previewImg.getAttribute('src') !== url) previewImg.src = url;
        previewImg.alt = alt ? alt.value || 'Post image' : 'Post image';
        previewImg.hidden = false;
      },
      dispose() {
        tickers.delete(tick);
        el.remove();
      },
    };
  }

  // ---- live updates ----
  const clock = window.setInterval(() => {
    for (const tick of tickers) tick();
    for (const el of stepsList.querySelectorAll('[data-running-since]'))
      el.textContent = formatDuration(Date.now() - new Date(el.dataset.runningSince).getTime());
  }, 1000);

  let source = null;
  let pollTimer = null;
  let failures = 0;
  let refreshing = false;

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      const next = await api(runPath(id), { signal: ctx.signal });
      if (ctx.isCurrent()) update(next);
      if (next.status !== 'running') stopLive('ended');
    } catch (err) {
      if (!isQuiet(err)) setLive('stale');
    } finally {
      refreshing = false;
    }
  }

  function setLive(mode) {
    liveEl.dataset.state = mode;
    liveEl.lastChild.textContent = {
      live: 'Live',
      polling: 'Updating every 3 s',
      connecting: 'Connecting…',
      stale: 'Update failed, retrying',
      ended: '',
    }[mode];
  }

  function stopLive(mode) {
    if (source) source.close();
    source = null;
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
    setLive(mode);
  }

  function startPolling() {
    if (source) source.close();
    source = null;
    if (pollTimer) return;
    setLive('polling');
    pollTimer = window.setInterval(() => void refresh(), POLL_MS);
  }

  update(run);
  if (run.status === 'running') {
    if (typeof EventSource === 'function') {
      source = new EventSource(`/api/v1${runPath(id)}/events`, { withCredentials: true });
      source.addEventListener('open', () => setLive('live'));
      source.addEventListener('run', (event) => {
        failures = 0;
        setLive('live');
        try {
          update(JSON.parse(event.data));
        } catch (err) {
          console.error('Bad run event', err);
        }
      });
      source.addEventListener('end', () => {
        stopLive('ended');
        // The last `run` event carries the final state; fetch once more in case it raced the close.
        void refresh();
      });
      // The session ended (logged out elsewhere): the next request answers 401 and leads to the log-in page.
      source.addEventListener('unauthorized', () => {
        stopLive('ended');
        void refresh();
      });
      source.addEventListener('error', (event) => {
        if (event.data) {
          setLive('stale');
          return;
        }
        failures += 1;
        if (!source || source.readyState === EventSource.CLOSED || failures >= 3) startPolling();
        else setLive('connecting');
      });
    } else {
      startPolling();
    }
  } else {
    setLive('ended');
  }

  ctx.cleanup(() => {
    stopLive('ended');
    window.clearInterval(clock);
    for (const view of approvalViews.values()) view.dispose();
  });

  return latest;
}
