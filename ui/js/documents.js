/**
 * The Documents tab of a brand: its knowledge base. Upload (text, Markdown, HTML, PDF), watch indexing (the list
 * refreshes every 2 s while a document is pending), re-index, download the original, delete.
 */
import { api, brandPath, query } from './api.js';
import {
  actionButton,
  busy,
  clientError,
  emptyState,
  field,
  formatBytes,
  formatNumber,
  h,
  icon,
  onSubmit,
  replaceChildren,
  spinner,
  statusBadge,
  time,
  toast,
} from './dom.js';
import { tabCard } from './layout.js';
import { pollInto } from './load.js';
import { can } from './state.js';
import { ACTIONS, dataTable } from './table.js';

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
  const load = pollInto(ctx, listSlot, path(), draw, {
    pending: (items) => items.some((d) => d.status === 'pending'),
    ms: POLL_MS,
  });

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
  onSubmit(form, upload);

  replaceChildren(
    panel,
    tabCard(
      {
        key: 'documents',
        title: 'Documents',
        description: 'The brand’s knowledge base. Indexed passages are quoted as evidence in its reports.',
      },
      editable ? form : null,
      listSlot,
    ),
  );

  async function upload() {
    const file = fileInput.files && fileInput.files[0];
    if (!file) throw clientError('body', 'Choose a file to upload.');
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
      dataTable(
        ['Title', 'Type', { label: 'Size', num: true }, 'Status', { label: 'Passages', num: true }, 'Added', ACTIONS],
        items.map(row),
        { testid: 'document-table', caption: 'Documents, newest first' },
      ),
    );
  }

  function row(doc) {
    const actions = [];
    if (editable) {
      const reindex = actionButton(
        { class: 'btn btn-small btn-ghost', disabled: doc.status === 'pending', 'data-testid': 'document-reindex' },
        'Re-index',
        () => ({
          request: () => api(path(doc.id, 'reindex'), { method: 'POST' }),
          done: `Re-indexing ${doc.title}…`,
          doneKind: 'info',
          then: load,
        }),
      );
      const del = actionButton(
        { class: 'btn btn-small btn-danger-outline', 'data-testid': 'document-delete' },
        'Delete',
        () => ({
          confirm: {
            title: `Delete “${doc.title}”?`,
            message: 'The file and its indexed passages are removed. Reports already made keep their text.',
            confirm: 'Delete document',
            danger: true,
          },
          request: () => api(path(doc.id), { method: 'DELETE' }),
          busyLabel: 'Deleting…',
          done: `${doc.title} deleted.`,
          then: load,
        }),
      );
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
