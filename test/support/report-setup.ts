/** A brand ready for a report, made through the API as a user would: document, KPIs, completed diagnosis. */
import { STEP_IDS, type StepId } from '../../lib/diagnosis/questionnaire';
import { allAnswers } from './diagnosis-answers';
import { waitFor, type TestStack } from './harness';

export const BRAND_BOOK = `# Aurora brand book

## Tone of voice
Aurora speaks like a dermatologist friend: calm, precise and kind. We explain ingredients plainly and never promise miracles.

## Audience
Our buyers are women aged 28 to 45 with sensitive skin who read labels and compare serums before they buy.

## Competitors
Drugstore brands win on price; clinical brands win on trust. Aurora sits between them with dermatologist-tested formulas at mid-range prices.

## Channels
Instagram and our newsletter bring most first purchases; trade fairs bring pharmacy partners.
`;

export const KPI_CSV = `period,followers,engagement_rate,views,posts
2026-09-07,8200,3.1%,41000,3
2026-09-14,8350,3.4%,44500,4
2026-09-21,8600,3.0%,39800,2
2026-09-28,8900,3.8%,52000,5
`;

export interface ReportBrand {
  brand: { id: string; name: string; slug: string };
  diagnosisId: string;
  documentId: string;
}

export async function prepareReportBrand(
  stack: TestStack,
  options: { name?: string; strength?: Partial<Record<StepId, number>> } = {},
): Promise<ReportBrand> {
  const brand = await stack.brand({
    name: options.name ?? 'Aurora Skincare',
    slogan: 'Calm skin, clear science',
    category: 'Skincare',
    keywords: ['sensitive skin', 'dermatologist tested', 'serum', 'niacinamide', 'fragrance free'],
    colors: { primary: '#5b2a86', secondary: '#f2a65a' },
  });
  const base = `/api/v1/brands/${brand.id}`;

  const doc = await stack.request('POST', `${base}/documents?filename=aurora-brand-book.md`, undefined, {
    raw: BRAND_BOOK,
    headers: { 'content-type': 'text/markdown' },
  });
  if (doc.status !== 202) throw new Error(`upload: ${doc.status} ${JSON.stringify(doc.body)}`);

  const kpis = await stack.request('POST', `${base}/kpis/import`, undefined, {
    raw: KPI_CSV,
    headers: { 'content-type': 'text/csv' },
  });
  if (kpis.status !== 200) throw new Error(`kpis: ${kpis.status} ${JSON.stringify(kpis.body)}`);

  const diagnosis = (await stack.request('POST', `${base}/diagnoses`, {})).body;
  const answers = allAnswers(options.strength ?? { market: 0.25, channels: 0.5 });
  for (const step of STEP_IDS) {
    const saved = await stack.request('PUT', `${base}/diagnoses/${diagnosis.id}/steps/${step}`, {
      answers: answers[step],
    });
    if (saved.status !== 200) throw new Error(`step ${step}: ${saved.status} ${JSON.stringify(saved.body)}`);
  }
  const done = await stack.request('POST', `${base}/diagnoses/${diagnosis.id}/complete`);
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body)}`);

  await waitFor('the brand book to be indexed', async () => {
    const d = await stack.request('GET', `${base}/documents/${doc.body.id}`);
    return d.body.status === 'indexed';
  });
  return { brand, diagnosisId: diagnosis.id, documentId: doc.body.id };
}
