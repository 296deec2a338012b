/** Leads over HTTP on the real stack: CSV import and re-import, dedupe, row errors, lists, the ICP, roles. */
import { createLeadRepository } from '../../db/repositories/lead.repository';
import { startTestStack, type ApiResponse, type TestStack } from '../support/harness';

let stack: TestStack;
let other: TestStack;

beforeAll(async () => {
  [stack, other] = await Promise.all([
    startTestStack('leads', { workers: [] }),
    startTestStack('leads-other', { workers: [] }),
  ]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), other?.stop()]);
});

const CITIES = ['Roma', 'Milano', 'Torino', 'Napoli', 'Bologna'];

/** 50 businesses in Italian headers, semicolon separated, as an Italian spreadsheet exports them. */
function farmCsv(): string {
  const lines = ['Ragione sociale;Sito web;E-mail;Telefono;Città'];
  for (let i = 1; i <= 50; i += 1)
    lines.push(
      `Azienda ${String(i).padStart(2, '0')};https://www.azienda${i}.example.it/;info@azienda${i}.example.it;+39 06 100 ${1000 + i};${CITIES[i % 5]}`,
    );
  return `${lines.join('\n')}\n`;
}

const importCsv = (csv: string, query = '', key?: string) =>
  stack.request('POST', `/api/v1/leads/import${query}`, undefined, {
    raw: csv,
    headers: { 'content-type': 'text/csv' },
    ...(key ? { key } : {}),
  });

async function allLeads(query = '', s = stack) {
  const items: { id: string; [k: string]: unknown }[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '';
    const res: ApiResponse = await s.request(
      'GET',
      `/api/v1/leads?limit=7${sep}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('CSV import', () => {
  it('imports 50 leads, and a second import of the same file merges them and adds sources', async () => {
    const first = await importCsv(farmCsv(), '?fileName=farm.csv');
    expect(first.status).toBe(200);
    expect(first.body.totals).toEqual({ rows: 50, created: 50, merged: 0, refused: 0 });
    expect(first.body.mapping).toMatchObject({ companyName: 'Ragione sociale', website: 'Sito web', city: 'Città' });

    const second = await importCsv(farmCsv(), '?fileName=farm-again.csv');
    expect(second.body.totals).toEqual({ rows: 50, created: 0, merged: 50, refused: 0 });
    expect(second.body.rows.map((r: { leadId: string }) => r.leadId)).toEqual(
      first.body.rows.map((r: { leadId: string }) => r.leadId),
    );

    const leads = await allLeads('source=import');
    expect(leads).toHaveLength(50);
    const lead = await stack.request('GET', `/api/v1/leads/${first.body.rows[2].leadId}`);
    expect(lead.status).toBe(200);
    expect(lead.body).toMatchObject({
      companyName: 'Azienda 03',
      domain: 'azienda3.example.it',
      emails: ['info@azienda3.example.it'],
      phones: ['+39061001003'],
      city: 'Napoli',
      status: 'new',
      fieldSources: { companyName: { source: 'import', reference: 'farm.csv#4' } },
    });
    expect(lead.body.sources.map((s: { reference: string; row: number; outcome: string }) => s)).toEqual([
      expect.objectContaining({ kind: 'import', reference: 'farm-again.csv', row: 4, outcome: 'merged' }),
      expect.objectContaining({ kind: 'import', reference: 'farm.csv', row: 4, outcome: 'created' }),
    ]);
  });

  it('merges two imports of one file running at once, rows in opposite orders, into one lead per row', async () => {
    const rows = Array.from(
      { length: 150 },
      (_, i) => `Parallel ${i},parallel${i}.example.org,a@parallel${i}.example.org`,
    );
    const [one, two] = await Promise.all([
      importCsv(`Company,Website,Email\n${rows.join('\n')}\n`, '?fileName=one.csv'),
      importCsv(`Company,Website,Email\n${[...rows].reverse().join('\n')}\n`, '?fileName=two.csv'),
    ]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.body.totals.created + two.body.totals.created).toBe(150);
    expect(one.body.totals.merged + two.body.totals.merged).toBe(150);
    expect(await allLeads('q=parallel')).toHaveLength(150);
  });

  it('previews the mapping and reports bad rows by row and column, and imports the good ones', async () => {
    const csv = 'Company,Site,Mail\nGood Co,good-co.example.com,\nBad Co,http://192.168.1.1,nope\nNo Key Co,,\n';
    const preview = await stack.request('POST', '/api/v1/leads/import/preview?limit=1', undefined, {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ totalRows: 3, validRows: 1, refusedRows: 2 });
    expect(preview.body.rows).toEqual([
      { row: 2, lead: expect.objectContaining({ domain: 'good-co.example.com' }), errors: [] },
    ]);
    expect(preview.body.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'Site', field: 'website' }),
      expect.objectContaining({ row: 3, column: 'Mail', field: 'email' }),
      expect.objectContaining({ row: 4, column: 'Mail', field: 'email' }),
    ]);
    expect((await stack.request('GET', '/api/v1/leads?q=good-co')).body.items).toHaveLength(0);

    const done = await importCsv(csv);
    expect(done.body.totals).toEqual({ rows: 3, created: 1, merged: 0, refused: 2 });
    expect(done.body.rows[1]).toEqual({ row: 3, outcome: 'refused', errors: preview.body.errors.slice(0, 2) });
  });

  it('takes a mapping override and refuses one naming no column', async () => {
    const csv = 'Nome,Contatto\nStudio Verdi,verdi@studio-verdi.example.org\n';
    const bad = await importCsv(csv, '?map.email=Posta');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(bad.body.errors).toEqual([{ field: 'map.email', message: expect.stringContaining('Contatto') }]);
    const ok = await importCsv(csv, '?map.email=Contatto');
    expect(ok.body.totals.created).toBe(1);
  });

  it('refuses a body that is not CSV, and one with no key column', async () => {
    const none = await stack.request('POST', '/api/v1/leads/import', undefined, {
      raw: 'Name,City\nX,Roma\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].field).toBe('map.website');
    const empty = await stack.request('POST', '/api/v1/leads/import', { csv: 'a' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('body');
  });
});

describe('POST /leads', () => {
  it('merges on email when there is no domain match, keeping existing values', async () => {
    const first = await stack.request('POST', '/api/v1/leads', {
      companyName: 'Forno Bianchi',
      emails: ['Ordini@forno-bianchi.example.it'],
    });
    expect(first.status).toBe(201);
    expect(first.body.outcome).toBe('created');
    const second = await stack.request('POST', '/api/v1/leads', {
      companyName: 'FORNO BIANCHI SRL',
      website: 'forno-bianchi.example.it',
      emails: ['ordini@forno-bianchi.example.it', 'info@forno-bianchi.example.it'],
      city: 'Bologna',
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      id: first.body.id,
      outcome: 'merged',
      companyName: 'Forno Bianchi',
      domain: 'forno-bianchi.example.it',
      emails: ['ordini@forno-bianchi.example.it', 'info@forno-bianchi.example.it'],
      city: 'Bologna',
    });
    const lead = await stack.request('GET', `/api/v1/leads/${first.body.id}`);
    expect(lead.body.sources.map((s: { kind: string }) => s.kind)).toEqual(['api', 'api']);
  });

  it('takes a bulk array, and refuses it whole naming the item at fault', async () => {
    const bad = await stack.request('POST', '/api/v1/leads', [
      { website: 'bulk-one.example.com' },
      { website: 'localhost:8080' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: '1.website', message: expect.stringContaining('local host') }]);
    expect((await stack.request('GET', '/api/v1/leads?q=bulk-one')).body.items).toHaveLength(0);
    const ok = await stack.request('POST', '/api/v1/leads', [
      { website: 'bulk-one.example.com' },
      { website: 'https://www.bulk-one.example.com/x' },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['created', 'merged']);
  });

  it('refuses a brand of another workspace, naming the item', async () => {
    const foreign = await other.brand({ name: 'Foreign brand' });
    const res = await stack.request('POST', '/api/v1/leads', [
      { website: 'brand-check.example.com' },
      { website: 'brand-check-2.example.com', brandId: foreign.id },
    ]);
    expect(res.status).toBe(404);
    expect(res.body.errors).toEqual([{ field: '1.brandId', message: 'no such brand in this workspace' }]);
  });

  it('dedupes concurrent upserts of one lead into one row with every source', async () => {
    const repo = createLeadRepository(stack.db);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        repo.upsert(stack.workspaceId, {
          brandId: null,
          fields:
            i % 2
              ? { domain: 'race.example.net', emails: ['r0@race.example.net', `r${i}@race.example.net`] }
              : { emails: ['r0@race.example.net'] },
          source: { kind: 'import', reference: `race-${i}.csv`, row: 2 },
        }),
      ),
    );
    expect(new Set(results.map((r) => r.lead.id)).size).toBe(1);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    const lead = await repo.get(stack.workspaceId, results[0].lead.id);
    expect(lead!.sources).toHaveLength(12);
    expect(lead!.emails).toHaveLength(7);
  });
});

describe('lists', () => {
  it('filters by search, city, status, score range and source', async () => {
    expect((await allLeads('city=roma&source=import')).length).toBe(10);
    expect((await allLeads('q=azienda1')).map((l) => l.companyName).sort()).toEqual(
      ['Azienda 01', ...Array.from({ length: 10 }, (_, i) => `Azienda ${10 + i}`)].sort(),
    );
    const repo = createLeadRepository(stack.db);
    const [one, two] = await allLeads('q=azienda2&sort=companyName&order=asc');
    await repo.updateState(stack.workspaceId, one.id, { status: 'qualified', score: 80 });
    await repo.updateState(stack.workspaceId, two.id, { status: 'disqualified', score: 20 });
    expect((await allLeads('minScore=50')).map((l) => l.id)).toEqual([one.id]);
    expect((await allLeads('maxScore=50')).map((l) => l.id)).toEqual([two.id]);
    expect((await allLeads('status=qualified')).map((l) => l.id)).toEqual([one.id]);
    expect((await allLeads('source=api')).map((l) => l.domain).sort()).toEqual([
      'bulk-one.example.com',
      'forno-bianchi.example.it',
    ]);
  });

  it('sorts and pages without gaps or repeats in every order', async () => {
    const everything = await allLeads();
    for (const query of ['sort=companyName&order=asc', 'sort=score&order=desc', 'sort=createdAt&order=asc']) {
      const paged = await allLeads(query);
      expect(paged.map((l) => l.id).sort()).toEqual(everything.map((l) => l.id).sort());
    }
    const byName = await allLeads('q=azienda&sort=companyName&order=asc');
    expect(byName.map((l) => l.companyName)).toEqual([...byName.map((l) => l.companyName as string)].sort());
    const byScore = await allLeads('sort=score&order=desc');
    expect(byScore[0].score).toBe(80);
  });

  it('refuses a cursor of another sort order and a forged one', async () => {
    const page = await stack.request('GET', '/api/v1/leads?limit=2&sort=score');
    const res = await stack.request('GET', `/api/v1/leads?limit=2&sort=companyName&cursor=${page.body.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('cursor');
    expect((await stack.request('GET', '/api/v1/leads?cursor=abc')).status).toBe(400);
  });

  it('keeps workspaces apart: another workspace sees none of these leads and gets 404 for one', async () => {
    const [lead] = await allLeads();
    expect(await allLeads('', other)).toEqual([]);
    expect((await other.request('GET', `/api/v1/leads/${lead.id}`)).status).toBe(404);
  });
});

describe('ideal customer profile', () => {
  it('serves the defaults, then round-trips a saved profile per workspace and per brand', async () => {
    const initial = await stack.request('GET', '/api/v1/lead-profile');
    expect(initial.body).toMatchObject({ brandId: null, updatedAt: null, profile: { qualifyAt: 60 } });
    const saved = await stack.request('PUT', '/api/v1/lead-profile', {
      categories: ['Bakery', 'bakery'],
      cities: ['Bologna'],
      mustHave: { email: true },
      weights: { category: 50 },
    });
    expect(saved.status).toBe(200);
    const read = await stack.request('GET', '/api/v1/lead-profile');
    expect(read.body.profile).toEqual(saved.body.profile);
    expect(read.body.profile).toMatchObject({
      categories: ['bakery'],
      mustHave: { email: true, phone: false },
      weights: { category: 50, web: 10 },
    });
    const brand = await stack.brand({ name: 'Lead Brand' });
    await stack.request('PUT', `/api/v1/lead-profile?brandId=${brand.id}`, { keywords: ['sourdough'] });
    expect((await stack.request('GET', `/api/v1/lead-profile?brandId=${brand.id}`)).body.profile.keywords).toEqual([
      'sourdough',
    ]);
    expect((await stack.request('GET', '/api/v1/lead-profile')).body.profile.keywords).toEqual([]);
    expect((await other.request('GET', `/api/v1/lead-profile?brandId=${brand.id}`)).status).toBe(404);
  });

  it('names the field at fault', async () => {
    const res = await stack.request('PUT', '/api/v1/lead-profile', { weights: { category: 150 }, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body', 'weights.category']);
  });
});

describe('OpenAPI', () => {
  it('documents every lead route', async () => {
    const doc = (await stack.request('GET', '/api/v1/openapi.json', undefined, { key: null })).body;
    for (const [path, method] of [
      ['/leads', 'get'],
      ['/leads', 'post'],
      ['/leads/{id}', 'get'],
      ['/leads/import/preview', 'post'],
      ['/leads/import', 'post'],
      ['/lead-profile', 'get'],
      ['/lead-profile', 'put'],
    ])
      expect({ path, method, documented: !!doc.paths[path]?.[method] }).toEqual({ path, method, documented: true });
    expect(doc.paths['/leads/import'].post.parameters.map((p: { name: string }) => p.name)).toContain('map.email');
  });
});

describe('roles', () => {
  it('lets a viewer read and refuses its writes; an editor writes', async () => {
    const viewer = stack.keys.viewer;
    expect((await stack.request('GET', '/api/v1/leads', undefined, { key: viewer })).status).toBe(200);
    expect((await stack.request('GET', '/api/v1/lead-profile', undefined, { key: viewer })).status).toBe(200);
    expect(
      (await stack.request('POST', '/api/v1/leads', { website: 'viewer.example.com' }, { key: viewer })).status,
    ).toBe(403);
    expect((await stack.request('PUT', '/api/v1/lead-profile', {}, { key: viewer })).status).toBe(403);
    expect((await importCsv('Website\nviewer.example.com\n', '', viewer)).status).toBe(403);
    const editor = stack.keys.editor;
    expect(
      (await stack.request('POST', '/api/v1/leads', { website: 'editor.example.com' }, { key: editor })).status,
    ).toBe(201);
    expect((await importCsv('Website\neditor2.example.com\n', '', editor)).status).toBe(200);
  });
});
