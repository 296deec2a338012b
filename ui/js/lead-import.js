/**
 * #/leads/import: pick a CSV, see how its columns map to lead fields and what its first rows become (every row
 * error named by row and column), change the mapping and see again, then import with that mapping and read the
 * outcome. Nothing is saved before "Import".
 */
import { api, isQuiet } from './api.js';
import {
  busy,
  clearErrors,
  clientError,
  field,
  formatBytes,
  formatNumber,
  h,
  icon,
  replaceChildren,
  showErrors,
  spinner,
  toast,
} from './dom.js';
import { pageHeader } from './layout.js';
import { IMPORT_FIELDS, MAX_IMPORT_BYTES } from './lead-parts.js';
import { dataTable } from './table.js';

const PREVIEW_ROWS = 20;

export function renderLeadImport(ctx) {
  const fileInput = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv', 'data-testid': 'import-file' });
  const mappingSlot = h('div', { class: 'mapping-grid', 'data-testid': 'import-mapping' });
  const summary = h('p', { class: 'import-summary', 'data-testid': 'import-summary' });
  const previewSlot = h('div');
  const errorsSlot = h('div');
  const importButton = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-large', 'data-testid': 'import-submit' },
    'Import leads',
  );
  const outcome = h('div', { class: 'import-outcome', 'data-testid': 'import-outcome', hidden: true });
  const previewCard = h(
    'section',
    { class: 'card stack', hidden: true, 'aria-labelledby': 'mapping-title' },
    h(
      'div',
      null,
      h('h2', { class: 'card-title', id: 'mapping-title' }, 'Columns'),
      h('p', { class: 'muted' }, 'Each lead field reads the column chosen here, guessed from the headers.'),
    ),
    mappingSlot,
    summary,
    previewSlot,
    errorsSlot,
    h('div', { class: 'form-actions' }, importButton),
  );
  const form = h(
    'form',
    { class: 'stack lead-import', novalidate: true, 'data-testid': 'import-form' },
    h(
      'section',
      { class: 'card' },
      field({
        label: 'CSV file',
        name: 'body',
        control: fileInput,
        hint: `Comma, semicolon or tab separated, header row first; at most ${formatBytes(MAX_IMPORT_BYTES)}. A row needs a website or an email; several emails or phones in one cell are separated by “;”.`,
      }),
    ),
    previewCard,
  );

  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      pageHeader({
        crumbs: h(
          'nav',
          { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
          h('a', { href: '#/leads' }, icon('back'), 'Leads'),
        ),
        title: 'Import leads',
        description: 'A known website or email is merged into its lead: no value it has is lost.',
      }),
      form,
      outcome,
    ),
  );

  /** The file as read, and the mapping the last preview used (field → header, null when left out). */
  let file = null;
  let text = '';
  let mapping = null;
  let seq = 0;

  fileInput.addEventListener('change', async () => {
    clearErrors(form);
    outcome.hidden = true;
    previewCard.hidden = true;
    mapping = null;
    file = fileInput.files && fileInput.files[0];
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      showErrors(
        form,
        clientError(
          'body',
          `${file.name} is ${formatBytes(file.size)}; an import takes at most ${formatBytes(MAX_IMPORT_BYTES)}. Split the file and import each part.`,
        ),
      );
      file = null;
      return;
    }
    text = await file.text();
    await preview();
  });

  /** The options of both calls: the file name and, once a preview chose them, every field's column. */
  function options(extra = {}) {
    const params = new URLSearchParams({ fileName: file.name, ...extra });
    // An empty `map.<field>=` leaves the field out; query() would drop it, so the parameters are set here.
    if (mapping) for (const [name] of IMPORT_FIELDS) params.set(`map.${name}`, mapping[name] || '');
    return `?${params.toString()}`;
  }

  async function preview() {
    const mine = ++seq;
    clearErrors(form);
    replaceChildren(previewSlot, spinner('Reading the file…'));
    try {
      const result = await api(`/leads/import/preview${options({ limit: String(PREVIEW_ROWS) })}`, {
        method: 'POST',
        raw: text,
        contentType: 'text/csv',
        signal: ctx.signal,
      });
      if (mine !== seq || !ctx.isCurrent()) return;
      mapping = result.mapping;
      drawPreview(result);
    } catch (err) {
      if (isQuiet(err) || mine !== seq) return;
      replaceChildren(previewSlot);
      showErrors(form, err);
    }
  }

  function drawPreview(result) {
    previewCard.hidden = false;
    replaceChildren(
      mappingSlot,
      IMPORT_FIELDS.map(([name, label]) => {
        const select = h(
          'select',
          { 'data-testid': `map-${name}` },
          h('option', { value: '', selected: !result.mapping[name] }, 'Not imported'),
          result.headers.map((header) =>
            h('option', { value: header, selected: header === result.mapping[name] }, header),
          ),
        );
        select.addEventListener('change', () => {
          mapping = { ...mapping, [name]: select.value || null };
          void preview();
        });
        return field({ label, name: `map.${name}`, control: select });
      }),
    );
    summary.textContent = `${formatNumber(result.totalRows)} row${result.totalRows === 1 ? '' : 's'}: ${formatNumber(result.validRows)} ready to import, ${formatNumber(result.refusedRows)} refused.`;
    summary.dataset.refused = String(result.refusedRows);
    importButton.disabled = result.validRows === 0;
    const shown = IMPORT_FIELDS.filter(([name]) => result.mapping[name]);
    replaceChildren(
      previewSlot,
      result.rows.length === 0
        ? h('p', { class: 'muted' }, 'The file has a header but no rows.')
        : dataTable(
            [{ label: 'Row', num: true }, 'Check', ...shown.map(([, label]) => label)],
            result.rows.map((r) =>
              h(
                'tr',
                { 'data-testid': 'import-preview-row', class: r.errors.length ? 'is-refused' : null },
                h('td', { class: 'num' }, String(r.row)),
                h(
                  'td',
                  null,
                  r.errors.length
                    ? h('span', { class: 'chip chip-danger' }, 'Refused')
                    : h('span', { class: 'chip chip-ok' }, 'Ready'),
                ),
                shown.map(([name]) => h('td', { class: 'cell-url' }, cellText(r.lead, name))),
              ),
            ),
            {
              testid: 'import-preview',
              caption: `The first ${PREVIEW_ROWS} rows as leads`,
              class: 'table-compact',
              wrap: true,
            },
          ),
    );
    replaceChildren(errorsSlot, rowErrors(result.errors, 'Rows that will be refused'));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!file || !mapping) return;
    clearErrors(form);
    try {
      const result = await busy(
        importButton,
        () =>
          api(`/leads/import${options()}`, { method: 'POST', raw: text, contentType: 'text/csv', signal: ctx.signal }),
        'Importing…',
      );
      drawOutcome(result);
      toast(`${file.name} imported.`, 'success');
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  });

  function drawOutcome(result) {
    const t = result.totals;
    const tile = (key, label, value) =>
      h(
        'div',
        { class: 'kpi-tile' },
        h('span', { class: 'kpi-label' }, label),
        h('span', { class: 'kpi-value', 'data-testid': `import-${key}` }, formatNumber(value)),
      );
    const refused = result.rows.filter((r) => r.outcome === 'refused').flatMap((r) => r.errors || []);
    outcome.hidden = false;
    replaceChildren(
      outcome,
      h(
        'section',
        { class: 'card stack lead-import', 'aria-labelledby': 'outcome-title' },
        h('h2', { class: 'card-title', id: 'outcome-title' }, `Imported ${result.fileName || 'the file'}`),
        h(
          'div',
          { class: 'kpi-strip' },
          tile('created', 'Created', t.created),
          tile('merged', 'Merged', t.merged),
          tile('refused', 'Refused', t.refused),
        ),
        rowErrors(refused, 'Refused rows'),
        h(
          'div',
          { class: 'form-actions' },
          h('a', { class: 'btn btn-primary', href: '#/leads', 'data-testid': 'import-view-leads' }, 'View leads'),
        ),
      ),
    );
    outcome.scrollIntoView({ block: 'nearest' });
  }
}

const cellText = (lead, name) => {
  const value = name === 'email' ? lead.emails : name === 'phone' ? lead.phones : lead[name];
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  return value || '—';
};

/** Row errors as "Row 3, column “E-mail”: message". */
function rowErrors(errors, title) {
  if (!errors || errors.length === 0) return null;
  return h(
    'div',
    { class: 'alert alert-error row-errors', 'data-testid': 'import-errors' },
    h('strong', null, title),
    h(
      'ul',
      null,
      errors.map((e) =>
        h(
          'li',
          { 'data-testid': 'import-row-error', 'data-row': String(e.row), 'data-column': e.column },
          `Row ${e.row}, column “${e.column}”: ${e.message}`,
        ),
      ),
    ),
  );
}
