/**
 * The run page's pending approvals: one card each, with the editor of its kind (../approvals/), a comment, the
 * deadline counting down, and approve / save edits & approve / reject. Cards stay while their approval is pending, so
 * live updates never disturb an edit in progress.
 */
import { api, ApiError, isQuiet, runPath } from '../api.js';
import {
  busy,
  clearErrors,
  confirmDialog,
  field,
  formatCountdown,
  formatDateTime,
  h,
  icon,
  safeUrl,
  showErrors,
  toast,
} from '../dom.js';
import { approvalEditor } from '../approvals/index.js';

const ON_TIMEOUT = { approve: 'it is approved automatically', reject: 'it is rejected', fail: 'the run fails' };
const DONE = { approve: 'Approved', edit: 'Edits saved and approved', reject: 'Rejected' };

/** The run's latest image artifact (a post's picture, for its preview); a carousel's cover, its first slide. */
const imageUrl = (run) => {
  const artifacts = (run.progress && run.progress.artifacts) || [];
  const carousel = run.input && run.input.format === 'carousel';
  const image = (carousel ? artifacts : [...artifacts].reverse()).find((a) => a.kind === 'image');
  return image ? safeUrl(image.url) : null;
};

/**
 * @param {{slot: HTMLElement, runId: string, canEdit: boolean, refresh: () => Promise<void>}} o
 */
export function createApprovals(o) {
  const views = new Map();

  function render(approvals, run) {
    const ids = new Set(approvals.map((a) => a.id));
    for (const [approvalId, view] of views) {
      if (!ids.has(approvalId)) {
        view.dispose();
        views.delete(approvalId);
      }
    }
    for (const approval of approvals) {
      if (!views.has(approval.id)) {
        const view = approvalCard(approval, run, o);
        views.set(approval.id, view);
        o.slot.appendChild(view.el);
      }
    }
    for (const view of views.values()) view.setImage(imageUrl(run));
  }

  return {
    render,
    tick: () => {
      for (const view of views.values()) view.tick();
    },
    dispose: () => {
      for (const view of views.values()) view.dispose();
    },
  };
}

function approvalCard(approval, run, o) {
  const readOnly = !o.canEdit;
  const kind = approvalEditor(approval.kind);
  const deadlineEl = h('p', { class: 'deadline', 'data-testid': 'approval-deadline' });
  const status = h('p', { class: 'approval-status', role: 'status' });
  const form = h('form', {
    class: 'approval-form stack',
    novalidate: true,
    'data-testid': 'approval-form',
    'data-approval-id': approval.id,
  });

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

  const editor = kind.createEditor(approval.content, { readOnly, onInput: () => refreshLive(), run });
  const editable = Boolean(editor.edits);
  const edits = () => (editable ? editor.edits() : {});

  function refreshLive() {
    if (!editable) return;
    const dirty = Object.keys(edits()).length > 0;
    editBtn.disabled = readOnly || !dirty || form.dataset.state === 'sent';
    approveBtn.classList.toggle('btn-primary', !dirty);
    approveBtn.classList.toggle('btn-secondary', dirty);
    editBtn.classList.toggle('btn-primary', dirty);
    editBtn.classList.toggle('btn-secondary', !dirty);
  }

  const fields = [...editor.fields];
  let comment = null;
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
        editable && allowed.has('edit') ? editBtn : null,
        allowed.has('reject') ? rejectBtn : null,
      ];
  form.append(...fields, h('div', { class: 'form-actions' }, ...buttons), status);
  if (readOnly || !editable) editBtn.disabled = true;

  const setDisabled = (disabled) => {
    for (const el of form.querySelectorAll('button, textarea, input')) el.disabled = disabled;
  };

  const decide = async (action, button) => {
    clearErrors(form);
    const body = { action };
    if (action === 'edit') body.edits = edits();
    const note = comment && comment.value.trim();
    if (note) body.comment = note;
    if (action === 'approve' && editable && Object.keys(edits()).length > 0) {
      if (!(await confirmDialog(kind.confirmText.approveOriginal))) return;
    }
    if (action === 'reject' && !(await confirmDialog(kind.confirmText.reject))) return;
    form.dataset.state = 'sending';
    status.textContent = '';
    try {
      await busy(
        button,
        () => api(`${runPath(o.runId)}/approvals/${encodeURIComponent(approval.id)}`, { method: 'POST', body }),
        'Sending…',
      );
      form.dataset.state = 'sent';
      setDisabled(true);
      status.textContent = `${DONE[action]}. The run continues…`;
      toast(`${DONE[action]}.`, 'success');
      void o.refresh();
    } catch (err) {
      form.dataset.state = '';
      if (isQuiet(err)) return;
      if (err instanceof ApiError && err.status === 409) {
        toast('This approval is no longer pending.', 'info');
        void o.refresh();
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

  const el = h(
    'section',
    {
      class: 'card approval-card',
      'aria-labelledby': `approval-${approval.id}-title`,
      'data-testid': 'approval',
      'data-approval-id': approval.id,
      'data-kind': approval.kind || null,
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
    h('div', { class: editor.preview ? 'approval-grid' : '' }, form, editor.preview),
  );
  refreshLive();
  return {
    el,
    tick,
    setImage: (url) => editor.setImage && editor.setImage(url),
    dispose: () => el.remove(),
  };
}
