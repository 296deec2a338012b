/**
 * A CSV of leads: its columns mapped to lead fields (guessed from English and Italian headers, overridable), and
 * each row turned into a lead or into errors that name the row and the column. Row numbers count the header as row 1,
 * as a spreadsheet shows them.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { ValidationError } from '../errors';
import type { LeadFields } from './lead-fields';
import { normalizeLead, type NormalizeOptions, type RawLead } from './lead-input';
import { splitList } from './normalize';

export const IMPORT_FIELDS = [
  'companyName',
  'website',
  'email',
  'phone',
  'address',
  'city',
  'country',
  'category',
  'description',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** Each field's column header, or null when the field is not imported. */
export type ColumnMapping = Record<ImportField, string | null>;

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;

/** Header words per field, compared without case, accents or punctuation. */
const HEADER_NAMES: Record<ImportField, string[]> = {
  companyName: [
    'company',
    'company name',
    'business',
    'business name',
    'organisation',
    'organization',
    'name',
    'account',
    'azienda',
    'nome azienda',
    'ragione sociale',
    'denominazione',
    'societa',
    'impresa',
    'ditta',
    'nome',
  ],
  website: [
    'website',
    'web site',
    'site',
    'url',
    'web',
    'homepage',
    'domain',
    'sito',
    'sito web',
    'sito internet',
    'dominio',
  ],
  email: ['email', 'e mail', 'mail', 'email address', 'emails', 'posta elettronica', 'indirizzo email', 'pec'],
  phone: [
    'phone',
    'telephone',
    'tel',
    'phone number',
    'mobile',
    'phones',
    'telefono',
    'cellulare',
    'numero di telefono',
    'cell',
  ],
  address: ['address', 'street', 'street address', 'indirizzo', 'via', 'sede'],
  city: ['city', 'town', 'citta', 'comune', 'localita'],
  country: ['country', 'nation', 'paese', 'nazione', 'stato'],
  category: ['category', 'industry', 'sector', 'type', 'categoria', 'settore', 'tipologia', 'attivita'],
  description: ['description', 'notes', 'note', 'about', 'descrizione'],
};

export const headerKey = (header: string) =>
  header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

export interface ParsedCsv {
  headers: string[];
  rows: string[][];
}

const bodyError = (detail: string, message: string) =>
  new ValidationError(detail, { errors: [{ field: 'body', message }] });

/** Semicolons are what spreadsheets in Italian (and most of Europe) write; the header line tells which. */
function guessDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (d: string) => header.split(d).length;
  return [',', ';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

export function readLeadCsv(text: string): ParsedCsv {
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES)
    throw bodyError(`At most ${MAX_IMPORT_BYTES} bytes per import`, 'too large');
  let records: string[][];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      delimiter: guessDelimiter(text),
      to_line: MAX_IMPORT_ROWS + 2,
    });
  } catch (err) {
    throw bodyError(`The CSV cannot be read: ${(err as Error).message}`, 'not valid CSV');
  }
  const [headers, ...rows] = records;
  if (!headers || headers.every((h) => !h)) throw bodyError('The CSV has no header row', 'no header row');
  if (rows.length === 0) throw bodyError('The CSV has no rows', 'no data rows');
  if (rows.length > MAX_IMPORT_ROWS)
    throw bodyError(`At most ${MAX_IMPORT_ROWS} rows per import`, `more than ${MAX_IMPORT_ROWS} rows`);
  return { headers, rows };
}

/** The guessed mapping with the caller's choices over it; a choice naming no column is a 400 on `map.<field>`. */
export function resolveMapping(headers: string[], override: Partial<Record<ImportField, string>> = {}): ColumnMapping {
  const keys = headers.map(headerKey);
  const mapping = {} as ColumnMapping;
  const taken = new Set<number>();
  for (const field of IMPORT_FIELDS) {
    const chosen = override[field];
    if (chosen === undefined) continue;
    if (chosen === '') {
      mapping[field] = null;
      continue;
    }
    const index = keys.indexOf(headerKey(chosen));
    if (index < 0)
      throw new ValidationError(`No column is called ${JSON.stringify(chosen)}`, {
        errors: [{ field: `map.${field}`, message: `not a column of the CSV (columns: ${headers.join(', ')})` }],
      });
    mapping[field] = headers[index];
    taken.add(index);
  }
  for (const field of IMPORT_FIELDS) {
    if (field in mapping) continue;
    const index = keys.findIndex((k, i) => !taken.has(i) && HEADER_NAMES[field].includes(k));
    mapping[field] = index < 0 ? null : headers[index];
    if (index >= 0) taken.add(index);
  }
  return mapping;
}

export interface RowError {
  row: number;
  column: string;
  field: ImportField;
  message: string;
}

export interface MappedRow {
  row: number;
  fields: Partial<LeadFields>;
  errors: RowError[];
}

const RAW_TO_IMPORT: Partial<Record<keyof RawLead, ImportField>> = { emails: 'email', phones: 'phone' };

export function mapRows(csv: ParsedCsv, mapping: ColumnMapping, options: NormalizeOptions = {}): MappedRow[] {
  const index = Object.fromEntries(
    IMPORT_FIELDS.map((f) => [f, mapping[f] === null ? -1 : csv.headers.indexOf(mapping[f])]),
  ) as Record<ImportField, number>;
  return csv.rows.map((cells, i) => {
    const row = i + 2;
    const cell = (field: ImportField) => (index[field] < 0 ? '' : (cells[index[field]] ?? ''));
    const { fields, errors } = normalizeLead(
      {
        companyName: cell('companyName'),
        website: cell('website'),
        emails: splitList(cell('email')),
        phones: splitList(cell('phone')),
        address: cell('address'),
        city: cell('city'),
        country: cell('country'),
        category: cell('category'),
        description: cell('description'),
      },
      options,
    );
    return {
      row,
      fields,
      errors: errors.map((e) => {
        const field = RAW_TO_IMPORT[e.field] ?? (e.field as ImportField);
        return { row, column: mapping[field] ?? `(${field}: no column)`, field, message: e.message };
      }),
    };
  });
}
