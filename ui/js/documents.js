/**
 * The Documents tab of a brand: its knowledge base. Upload (text, Markdown, HTML, PDF), watch indexing (the list
 * refreshes every 2 s while a document is pending), re-index, download the original, delete.
 */
import { api, brandPath, isQuiet, query } from './api.js';
import {
  busy,
  clearErrors,
  clientError,
  confirmDialog,
  emptyState,
  errorBox,
  field,
  formatBytes,
  formatNumber,
  h,
  icon,
  replaceChildren,
  showErrors,
  spinner,
  statusBadge,
  time,
  toast,
} from './dom.js';
import { can } from './state.js';

const POLL_MS = 2000;
const ACCEPT = '.txt,.md,.markdown,.html,.htm,.pdf,text/plain,text/markdown,text/html,application/pdf';
const TYPE_BY_EXTENSION = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
};
const SOURCE_LABELS = { text: 'Text', markdown: 'Markdown', html: 'HTML', pdf: 'PDF' };

/** Browsers leave `type` empty for Markdown and other less common files: the extension tells. */
function contentTypeOf(file) {
  if (file.type) return file.type;
  const ext = (file.name.split('.').pop() || '').toLowerCase();
  return TYPE_BY_EXTENSION[ext] || 'application/octet-stream';
}

export function renderDocumentSection(ctx, brand, panel) {
  const editable = can('editor');
  const path = (...rest) => brandPath(brand.id, 'documents', ...rest);
  const listSlot = h('div', { class: 'table-wrap' }, spinner('Loading documents…'));
  let timer = null;
  ctx.cleanup(() => window.clearTimeout(timer));

  const fileInput = h('input', {
    type: 'file',
    name: 'file',
    accept: ACCEPT,
    required: true,
    'data-testid': 'document-file',
  });
  const title = h('input', {
    type: 'text',
    name: 'title',
    maxlength: 300,
    placeholder: 'Defaults to the file name',
    'data-testid': 'document-title',
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary', 'data-testid': 'document-upload' },
    icon('upload'),
    'Upload',
  );
  const form = h(
    'form',
    { class: 'upload-form', novalidate: true, 'data-testid': 'document-form' },
    field({
      label: 'File',
      name: 'body',
      control: fileInput,
      hint: 'Text, Markdown, HTML or PDF: brand books, product sheets, research, press kits.',
    }),
    field({ label: 'Title', name: 'title', control: title, optional: true }),
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void upload();
  });

  replaceChildren(
    panel,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'documents-title', 'data-testid': 'documents' },
      h(
        'div',
        { class: 'section-head' },
        h(
          'div',
          null,
          h('h2', { id: 'documents-title', class: 'card-title' }, 'Documents'),
          h(
            'p',
            { class: 'muted' },
            'The brand’s knowledge base. Indexed passages are quoted as evidence in its reports.',
          ),
        ),
      ),
      editable ? form : null,
      listSlot,
    ),
  );

  async function upload() {
    clearErrors(form);
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      showErrors(form, clientError('body', 'Choose a file to upload.'));
      return;
    }
    try {
      const doc = await busy(
        submit,
        () =>
          api(`${path()}${query({ title: title.value.trim(), filename: file.name })}`, {
            method: 'POST',
            raw: file,
            contentType: contentTypeOf(file),
          }),
        'Uploading…',
      );
      toast(`${doc.title} uploaded; indexing…`, 'success');
      form.reset();
      await load();
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  }

  async function load() {
    window.clearTimeout(timer);
    try {
      const data = await api(path(), { signal: ctx.signal });
      if (!ctx.isCurrent()) return;
      draw(data.items || []);
      if ((data.items || []).some((d) => d.status === 'pending')) timer = window.setTimeout(() => void load(), POLL_MS);
    } catch (err) {
      if (isQuiet(err)) return;
      replaceChildren(
        listSlot,
        errorBox(err, () => void load()),
      );
    }
  }

  function draw(items) {
    if (items.length === 0) {
      replaceChildren(
        listSlot,
        emptyState(
          'No documents yet',
          editable
            ? 'Upload what you know about the brand; reports cite the passages that matter.'
            : 'Editors can upload them.',
        ),
      );
      return;
    }
    replaceChildren(
      listSlot,
      h(
        'table',
        { class: 'table', 'data-testid': 'document-table' },
        h('caption', { class: 'visually-hidden' }, 'Documents, newest first'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Title'),
            h('th', { scope: 'col' }, 'Type'),
            h('th', { scope: 'col', class: 'num' }, 'Size'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col', class: 'num' }, 'Passages'),
            h('th', { scope: 'col' }, 'Added'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h('tbody', null, items.map(row)),
      ),
    );
  }

  function row(doc) {
    const actions = [];
    if (editable) {
      const reindex = h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small btn-ghost',
          disabled: doc.status === 'pending',
          'data-testid': 'document-reindex',
        },
        'Re-index',
      );
      reindex.addEventListener('click', async () => {
        try {
          await busy(reindex, () => api(path(doc.id, 'reindex'), { method: 'POST' }));
          toast(`Re-indexing ${doc.title}…`, 'info');
          await load();
        } catch (err) {
          if (!isQuiet(err)) toast(err.message, 'error');
        }
      });
      const del = h(
        'button',
        { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-testid': 'document-delete' },
        'Delete',
      );
      del.addEventListener('click', async () => {
        const ok = await confirmDialog({
          title: `Delete “${doc.title}”?`,
          message: 'The file and its indexed passages are removed. Reports already made keep their text.',
          confirm: 'Delete document',
          danger: true,
        });
        if (!ok) return;
        try {
          await busy(del, () => api(path(doc.id), { method: 'DELETE' }), 'Deleting…');
          toast(`${doc.title} deleted.`, 'success');
          await load();
        } catch (err) {
          if (!isQuiet(err)) toast(err.message, 'error');
        }
      });
      actions.push(reindex, ' ', del);
    }
    return h(
      'tr',
      { 'data-testid': 'document-row', 'data-document-id': doc.id, 'data-status': doc.status },
      h(
        'td',
        { class: 'cell-title' },
        h(
          'a',
          {
            href: `/api/v1${path(doc.id, 'original')}`,
            class: 'doc-link',
            title: 'Download the original file',
            'data-testid': 'document-original',
          },
          icon('file'),
          h('span', null, doc.title),
        ),
      ),
      h('td', null, h('span', { class: 'chip' }, SOURCE_LABELS[doc.sourceType] || doc.sourceType)),
      h('td', { class: 'num nowrap' }, formatBytes(doc.bytes)),
      h(
        'td',
        null,
        statusBadge(doc.status, { 'data-testid': 'document-status' }),
        doc.status === 'failed' && doc.error
          ? h('p', { class: 'cell-error', 'data-testid': 'document-error' }, doc.error)
          : null,
      ),
      h('td', { class: 'num' }, doc.status === 'indexed' ? formatNumber(doc.chunkCount) : '—'),
      h('td', { class: 'nowrap' }, time(doc.createdAt)),
      h('td', { class: 'cell-actions' }, actions),
    );
  }

  void load();
}
