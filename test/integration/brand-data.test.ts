/** The data a brand report rests on, over HTTP: diagnosis, KPIs, logo, knowledge documents; workspace isolation. */
import { STEP_IDS } from '../../lib/diagnosis/questionnaire';
import { allAnswers, stepAnswers } from '../support/diagnosis-answers';
import { startTestStack, waitFor, type TestStack } from '../support/harness';

let a: TestStack;
let b: TestStack;
let brand: { id: string; slug: string };

beforeAll(async () => {
  a = await startTestStack('brand-data-a', { workers: ['main', 'browser'] });
  b = await startTestStack('brand-data-b', { workers: [] });
  brand = await a.brand({ name: 'Aurora Skincare' });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('diagnosis', () => {
  it('serves the five-step questionnaire', async () => {
    const res = await a.request('GET', '/api/v1/diagnosis/questionnaire');
    expect(res.status).toBe(200);
    expect(res.body.steps.map((s: { id: string }) => s.id)).toEqual([...STEP_IDS]);
    expect(res.body.dimensions).toHaveLength(7);
  });

  it('validates each step, names the question at fault, saves drafts, resumes and completes', async () => {
    const created = await a.request('POST', `/api/v1/brands/${brand.id}/diagnoses`, {});
    expect(created.status).toBe(201);
    const url = `/api/v1/brands/${brand.id}/diagnoses/${created.body.id}`;

    const bad = await a.request('PUT', `${url}/steps/identity`, {
      answers: { ...stepAnswers('identity'), 'identity.clarity': 9, 'identity.values': 'sometimes' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'answers.identity.clarity', question: 'identity.clarity', message: 'Expected an integer from 1 to 5' },
        expect.objectContaining({ field: 'answers.identity.values', question: 'identity.values' }),
      ]),
    );
    // Nothing of a refused step is kept.
    expect((await a.request('GET', url)).body.answers).toEqual({});

    const missing = await a.request('PUT', `${url}/steps/target`, { answers: { 'target.definition': 3 } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { question: string }) => e.question)).toContain('target.personas');

    const draft = await a.request('PUT', `${url}/steps/target`, {
      answers: { 'target.definition': 3 },
      partial: true,
    });
    expect(draft.status).toBe(200);
    expect(draft.body.answers).toEqual({ 'target.definition': 3 });
    expect(draft.body.completedSteps).toEqual([]);

    const early = await a.request('POST', `${url}/complete`);
    expect(early.status).toBe(400);

    const answers = allAnswers({ market: 0.25 });
    for (const step of STEP_IDS) {
      const saved = await a.request('PUT', `${url}/steps/${step}`, { answers: answers[step] });
      expect(saved.status).toBe(200);
    }
    const done = await a.request('POST', `${url}/complete`);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('complete');
    expect(done.body.scores.dimensions).toHaveLength(7);
    expect(done.body.scores.overall).toBeGreaterThan(0);

    const frozen = await a.request('PUT', `${url}/steps/identity`, { answers: answers.identity });
    expect(frozen.status).toBe(409);

    const list = await a.request('GET', `/api/v1/brands/${brand.id}/diagnoses`);
    expect(list.body.items[0]).toMatchObject({
      id: created.body.id,
      status: 'complete',
      overall: done.body.scores.overall,
    });
    expect(list.body.items[0].answers).toBeUndefined();

    const copy = await a.request('POST', `/api/v1/brands/${brand.id}/diagnoses`, { copyFrom: created.body.id });
    expect(copy.body).toMatchObject({ status: 'draft', completedSteps: [] });
    expect(copy.body.answers).toEqual(done.body.answers);
    expect((await a.request('DELETE', `/api/v1/brands/${brand.id}/diagnoses/${copy.body.id}`)).status).toBe(204);
  });

  it('refuses unknown steps and questions', async () => {
    const d = (await a.request('POST', `/api/v1/brands/${brand.id}/diagnoses`, {})).body;
    const step = await a.request('PUT', `/api/v1/brands/${brand.id}/diagnoses/${d.id}/steps/finance`, { answers: {} });
    expect(step.status).toBe(400);
    expect(step.body.errors[0].field).toBe('step');
    const unknown = await a.request('PUT', `/api/v1/brands/${brand.id}/diagnoses/${d.id}/steps/identity`, {
      answers: { 'identity.shoeSize': 3 },
      partial: true,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ question: 'identity.shoeSize', message: 'Unknown question' });
  });
});

describe('KPIs', () => {
  it('records periods by hand and summarises them', async () => {
    const put = await a.request('PUT', `/api/v1/brands/${brand.id}/kpis/2026-01-05`, {
      followers: 1000,
      engagementRate: 0.05,
      views: 20000,
      posts: 3,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ period: '2026-01-05', followers: 1000, source: 'manual' });
    const bad = await a.request('PUT', `/api/v1/brands/${brand.id}/kpis/2026-02-30`, { followers: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['period']);
    const negative = await a.request('PUT', `/api/v1/brands/${brand.id}/kpis/2026-01-12`, { engagementRate: 4 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors[0].field).toBe('engagementRate');
  });

  it('imports CSV all or nothing, naming the row and column at fault', async () => {
    const csv = (text: string) =>
      a.request('POST', `/api/v1/brands/${brand.id}/kpis/import`, undefined, {
        raw: text,
        headers: { 'content-type': 'text/csv' },
      });
    const bad = await csv('period,followers,engagement_rate\n2026-01-12,1100,4.1%\n2026-01-19,lots,0.04\n');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'row 3.followers', message: 'must be a whole number ≥ 0' }]);
    expect((await a.request('GET', `/api/v1/brands/${brand.id}/kpis`)).body.items).toHaveLength(1);

    const ok = await csv(
      'Period,Followers,Engagement Rate,Views,Posts\n2026-01-12,"1,100",4.1%,25000,4\n2026-01-19,1250,0.045,,5\n',
    );
    expect(ok.status).toBe(200);
    expect(ok.body.imported).toBe(2);
    const list = await a.request('GET', `/api/v1/brands/${brand.id}/kpis`);
    expect(list.body.items.map((k: { period: string }) => k.period)).toEqual([
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
    ]);
    expect(list.body.items[1]).toMatchObject({ followers: 1100, engagementRate: 0.041, views: 25000, source: 'csv' });
    expect(list.body.items[2].views).toBeNull();
    expect(list.body.summary.latest.period).toBe('2026-01-19');
    expect(list.body.summary.trendScore).toBeGreaterThan(0);
    expect(list.body.summary.popularityIndex).toBeGreaterThan(0);
  });

  it('collects posts and page views per week from the local channel', async () => {
    const res = await a.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: { brandId: brand.id, platform: 'linkedin', postType: 'educational', approval: { required: false } },
    });
    expect(res.status).toBe(201);
    const post = await waitFor(
      'the published post',
      async () => {
        const run = await a.request('GET', `/api/v1/runs/${encodeURIComponent(res.body.id)}`);
        return run.body.status === 'completed' ? run.body.result : null;
      },
      60_000,
    );
    // Three visitors (unique per day: another user agent is another visitor here).
    for (let i = 0; i < 3; i++)
      expect(
        (await fetch(post.url, { headers: { 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Visitor/${i}` } })).status,
      ).toBe(200);
    const collected = await a.request('POST', `/api/v1/brands/${brand.id}/kpis/collect`);
    expect(collected.status).toBe(200);
    expect(collected.body.collected).toBe(1);
    expect(collected.body.items[0]).toMatchObject({ posts: 1, views: 3 });
  });
});

describe('logo', () => {
  it('stores an image, serves it, and refuses other types', async () => {
    const put = await a.request('PUT', `/api/v1/brands/${brand.id}/logo`, undefined, {
      raw: PNG_1X1,
      headers: { 'content-type': 'image/png' },
    });
    expect(put.status).toBe(200);
    expect(put.body.logoUrl).toMatch(new RegExp(`^/api/v1/brands/${brand.id}/logo\\?v=`));
    const got = await fetch(`${a.baseUrl}/api/v1/brands/${brand.id}/logo`, {
      headers: { authorization: `Bearer ${a.keys.viewer}` },
    });
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer())).toEqual(PNG_1X1);
    const gif = await a.request('PUT', `/api/v1/brands/${brand.id}/logo`, undefined, {
      raw: Buffer.from('GIF89a'),
      headers: { 'content-type': 'image/gif' },
    });
    expect(gif.status).toBe(400);
    // Logos are not public files.
    expect((await fetch(`${a.baseUrl}/files/brands/${brand.id}/logo.png`)).status).toBe(404);
  });
});

describe('knowledge documents', () => {
  it('uploads, indexes through a workflow, serves the original, re-indexes and deletes', async () => {
    const md = '# Brand book\n\n## Tone of voice\n\nAurora speaks like a dermatologist friend: calm, precise, kind.\n';
    const up = await a.request('POST', `/api/v1/brands/${brand.id}/documents?filename=brand-book.md`, undefined, {
      raw: md,
      headers: { 'content-type': 'text/markdown' },
    });
    expect(up.status).toBe(202);
    expect(up.body).toMatchObject({ title: 'brand-book', sourceType: 'markdown', status: 'pending' });
    const url = `/api/v1/brands/${brand.id}/documents/${up.body.id}`;
    const indexed = await waitFor('indexing', async () => {
      const doc = (await a.request('GET', url)).body;
      return doc.status === 'indexed' ? doc : null;
    });
    expect(indexed.chunkCount).toBeGreaterThan(0);
    expect(indexed.embeddingProvider).toMatch(/^lexical:/);
    expect(indexed.fileKey).toBeUndefined();

    const original = await a.request('GET', `${url}/original`);
    expect(original.body).toBe(md);
    expect(original.headers.get('content-disposition')).toContain('brand-book.md');

    expect((await a.request('POST', `${url}/reindex`)).status).toBe(202);
    const empty = await a.request('POST', `/api/v1/brands/${brand.id}/documents?filename=x.pdf`, undefined, {
      raw: '',
      headers: { 'content-type': 'application/pdf' },
    });
    expect(empty.status).toBe(400);
    const exe = await a.request('POST', `/api/v1/brands/${brand.id}/documents?filename=x.exe`, undefined, {
      raw: 'MZ',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(exe.status).toBe(400);

    await waitFor('re-index to finish', async () => (await a.request('GET', url)).body.status === 'indexed');
    expect((await a.request('DELETE', url)).status).toBe(204);
    expect((await a.request('GET', url)).status).toBe(404);
    expect((await a.request('GET', `/api/v1/brands/${brand.id}/documents`)).body.items).toEqual([]);
  });
});

describe('workspace isolation', () => {
  it("answers 404 for another workspace's brand everywhere", async () => {
    const d = (await a.request('POST', `/api/v1/brands/${brand.id}/diagnoses`, {})).body;
    for (const [method, path] of [
      ['GET', `/api/v1/brands/${brand.id}/kpis`],
      ['PUT', `/api/v1/brands/${brand.id}/kpis/2026-01-05`],
      ['GET', `/api/v1/brands/${brand.id}/diagnoses`],
      ['POST', `/api/v1/brands/${brand.id}/diagnoses`],
      ['GET', `/api/v1/brands/${brand.id}/diagnoses/${d.id}`],
      ['GET', `/api/v1/brands/${brand.id}/documents`],
      ['GET', `/api/v1/brands/${brand.id}/reports`],
      ['GET', `/api/v1/brands/${brand.id}/logo`],
    ] as const) {
      const res = await b.request(
        method,
        path,
        method === 'PUT' ? { followers: 1 } : method === 'POST' ? {} : undefined,
      );
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    const run = await b.request('POST', '/api/v1/runs', { automation: 'brand-report', input: { brandId: brand.id } });
    expect(run.status).toBe(404);
    expect(run.body.errors[0].field).toBe('input.brandId');
  });

  it('needs a completed diagnosis to start a report', async () => {
    const fresh = await a.brand({ name: 'No Diagnosis Yet' });
    const run = await a.request('POST', '/api/v1/runs', { automation: 'brand-report', input: { brandId: fresh.id } });
    expect(run.status).toBe(400);
    expect(run.body.errors).toEqual([
      { field: 'input.diagnosisId', message: 'complete a diagnosis of the brand first' },
    ]);
  });
});
