/**
 * A realistic `ReportDocument` for "Aurora Skincare", built with the real scoring, KPI and clustering code, so the
 * template, the PDF activity and the workflow tests all exercise the shapes production produces.
 */
import { clusterKeywords } from '../../lib/analytics/clustering';
import type { Answers } from '../../lib/diagnosis/questionnaire';
import { recommendationsFor, RECOMMENDATION_RULES, scoreDiagnosis } from '../../lib/diagnosis/scoring';
import { summarizeKpis } from '../../lib/report/kpi-summary';
import type {
  EvidenceRef,
  KpiRecord,
  ReportAnalysis,
  ReportBrand,
  ReportDocument,
  ReportPassage,
  ReportRecommendation,
  ReportScores,
} from '../../lib/report/types';

/** Strong identity and audience work, thin content planning (the weak dimension), modest measurement. */
export const SAMPLE_ANSWERS: Answers = {
  'identity.clarity': 5,
  'identity.mission':
    'We make gentle, dermatologist-tested skincare from Nordic botanicals so that people with sensitive skin can trust every ingredient on the label.',
  'identity.values': 'lived',
  'identity.visual': 4,
  'identity.guidelines': 'basic',
  'identity.promise':
    'Calm, healthy skin in four weeks with fragrance-free formulas that are tested on sensitive skin and fully traceable.',
  'target.definition': 4,
  'target.personas': 'one',
  'target.research': 'yearly',
  'target.persona':
    'Women aged 28 to 45 with sensitive or reactive skin who read ingredient lists, buy online and in pharmacies, and trust dermatologists more than influencers.',
  'target.fit': 4,
  'target.journey': ['search', 'social', 'resellers'],
  'market.awareness': 3,
  'market.competitors':
    'La Roche-Posay and Avène in pharmacies, The Ordinary online, and several small Scandinavian clean beauty brands.',
  'market.monitoring': ['pricing', 'reviews'],
  'market.position': 'niche',
  'market.differentiation': 4,
  'channels.active': ['website', 'instagram', 'newsletter'],
  'channels.fit': 3,
  'channels.frequency': 'monthly',
  'channels.calendar': 'ideas',
  'channels.consistency': 2,
  'channels.best': 'Short routine videos.',
  'performance.goals': 'yearly',
  'performance.kpis': ['followers', 'engagement', 'traffic'],
  'performance.review': 'quarterly',
  'performance.results': 3,
};

const week = (period: string, followers: number, engagementRate: number | null, views: number, posts: number) =>
  ({ period, followers, engagementRate, views, posts, source: 'manual' }) satisfies KpiRecord;

/** Six weekly periods; one week without an engagement figure. */
export const SAMPLE_KPIS: KpiRecord[] = [
  week('2025-01-06', 11_840, 0.031, 48_200, 3),
  week('2025-01-13', 12_110, null, 51_900, 4),
  week('2025-01-20', 12_460, 0.036, 55_400, 2),
  week('2025-01-27', 12_790, 0.034, 60_100, 5),
  week('2025-02-03', 13_240, 0.039, 66_800, 4),
  week('2025-02-10', 13_650, 0.042, 71_300, 3),
];

const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#2F6F62"/>' +
  '<path d="M14 40c8-14 28-14 36 0" fill="none" stroke="#F3C677" stroke-width="5" stroke-linecap="round"/>' +
  '<circle cx="32" cy="24" r="6" fill="#F3C677"/></svg>';

export const SAMPLE_BRAND: ReportBrand = {
  id: 'brand-aurora',
  name: 'Aurora Skincare',
  slug: 'aurora-skincare',
  slogan: 'Nordic calm for sensitive skin',
  mission: 'Gentle, dermatologist-tested skincare from Nordic botanicals for people with sensitive skin.',
  vision: 'The most trusted name in sensitive skincare in Northern Europe by 2030.',
  category: 'Cosmetics & personal care',
  keywords: ['sensitive skin', 'fragrance-free', 'nordic botanicals', 'dermatologist tested', 'skin barrier'],
  colors: { primary: '#2F6F62', secondary: '#1E3A5F', accent: '#F3C677' },
  fontFamily: null,
  logoDataUrl: `data:image/svg+xml;base64,${Buffer.from(LOGO_SVG).toString('base64')}`,
};

const passage = (documentId: string, title: string, heading: string | null, text: string, score: number) =>
  ({ documentId, title, heading, text, score }) satisfies ReportPassage;

export const SAMPLE_PASSAGES: Record<string, ReportPassage[]> = {
  identity: [
    passage(
      'doc-brand-book',
      'Aurora Brand Book',
      'Our promise',
      'Aurora promises calm, healthy skin without compromise: every formula is fragrance-free, tested on sensitive skin under dermatological control and made with traceable Nordic botanicals such as cloudberry, oat and birch sap.',
      0.82,
    ),
    passage(
      'doc-brand-book',
      'Aurora Brand Book',
      'Tone of voice',
      'We speak like a calm, knowledgeable friend: plain words, no exaggerated claims, always explaining why an ingredient is there.',
      0.71,
    ),
  ],
  positioning: [],
  audience: [
    passage(
      'doc-survey',
      'Customer survey 2024',
      'Key findings',
      '68% of respondents chose Aurora because of the short ingredient list; 41% first heard of the brand from a pharmacist; most asked for more guidance on building a routine.',
      0.77,
    ),
  ],
  competition: [],
  content: [
    passage(
      'doc-content-plan',
      'Content plan 2025',
      'Status',
      'Posts are planned week by week from a shared list of ideas; there is no editorial calendar and launches are announced on Instagram only when the product ships.',
      0.8,
    ),
    passage(
      'doc-content-plan',
      'Content plan 2025',
      'What worked',
      'Short routine videos with a dermatologist reached three times the usual audience in November.',
      0.66,
    ),
  ],
  channels: [],
  performance: [],
};

function buildScores(): ReportScores {
  const diagnosis = scoreDiagnosis(SAMPLE_ANSWERS);
  const kpis = summarizeKpis(SAMPLE_KPIS);
  const texts = [...SAMPLE_BRAND.keywords, ...Object.values(SAMPLE_PASSAGES).flatMap((ps) => ps.map((p) => p.text))];
  const clusters = clusterKeywords(texts, { seed: 42, k: 2 });
  const recommendations = recommendationsFor(diagnosis, {
    popularityIndex: kpis.popularityIndex,
    trendScore: kpis.trendScore,
  });
  return { diagnosis, kpis, clusters, recommendations };
}

/** Hand-written detail for the rules the sample answers fire; others get a generic paragraph. */
const DETAILS: Record<string, string> = {
  'content.unify-tone-of-voice':
    'Turn the brand book’s tone of voice into a one-page checklist and a small set of post templates, and use them on Instagram, the newsletter and the website alike.',
  'content.define-content-pillars':
    'Build the calendar around three pillars the customers asked for: routines for sensitive skin, the story of each Nordic ingredient, and dermatologist answers to real questions.',
  'content.plan-editorial-calendar':
    'Plan a quarter ahead: one launch or campaign per month, two routine videos a week, and a monthly newsletter that collects the best pieces.',
  'content.raise-publishing-frequency':
    'Move from a few posts a month to at least two a week on Instagram, reusing the routine videos that performed best in November.',
  'competition.map-competitors':
    'Compare Aurora with the pharmacy brands and the online challengers on price per ml, claims, ingredients and channels, and keep the map in the shared drive.',
  'competition.set-up-market-monitoring':
    'Add launches, search trends and trade press to the monthly watch list; today only prices and reviews are followed.',
  'audience.run-customer-research':
    'Repeat the survey every quarter with ten short interviews, and feed the answers back into the persona and the content pillars.',
  'audience.build-buyer-personas':
    'Add a second persona for pharmacists, who introduce 41% of new customers to the brand.',
  'performance.track-business-kpis':
    'Track enquiries, conversion and revenue from the newsletter and the web shop alongside followers and engagement.',
  'performance.set-measurable-goals':
    'Turn the yearly targets into quarterly goals with one owner each, starting with newsletter sign-ups and web shop conversion.',
  'channels.grow-audience-reach':
    'Partner with two dermatologists and a pharmacy chain for joint routine videos, and put a small paid budget behind the best-performing ones.',
  'channels.map-customer-journey':
    'Ask new customers where they first heard of Aurora and where they compared products before buying.',
};

function buildAnalysis(scores: ReportScores): ReportAnalysis {
  const dims = scores.diagnosis.dimensions;
  const dimEvidence = (id: string): EvidenceRef => {
    const d = dims.find((x) => x.id === id)!;
    return { kind: 'dimension', id, value: d.score ?? undefined, label: `${d.label} ${d.score}/100` };
  };
  const passageEvidence = (dimension: string, index: number): EvidenceRef => {
    const p = SAMPLE_PASSAGES[dimension][index];
    return { kind: 'passage', id: p.documentId, label: `${p.title} › ${p.heading}` };
  };
  const kpi = scores.kpis;
  const recommendations: ReportRecommendation[] = scores.recommendations.slice(0, 6).map((r) => {
    const rule = RECOMMENDATION_RULES.find((x) => x.code === r.code)!;
    const evidence: EvidenceRef[] = [dimEvidence(r.dimension)];
    if (r.basis.kind === 'question') {
      evidence.push({
        kind: 'question',
        id: r.basis.id,
        value: r.basis.score,
        label: `Answer ${r.basis.id} ${r.basis.score}/100`,
      });
    }
    if (r.basis.kind === 'kpi') {
      const label =
        r.basis.id === 'trendScore' ? `Trend score ${r.basis.score}` : `Popularity index ${r.basis.score}/100`;
      evidence.push({ kind: 'kpi', id: r.basis.id, value: r.basis.score, label });
    }
    if (r.dimension === 'content') evidence.push(passageEvidence('content', 0));
    return {
      priority: r.priority,
      title: rule.title,
      detail:
        DETAILS[r.code] ??
        `${rule.title} Start with the smallest useful version this quarter and review it at the next report.`,
      dimension: r.dimension,
      code: r.code,
      evidence,
    };
  });
  const followers = kpi.deltas.find((d) => d.metric === 'followers');
  return {
    summary:
      `Aurora Skincare has a clear, credible identity: the team states the brand promise in one sentence and the values guide decisions. ` +
      `Its overall diagnosis score is ${scores.diagnosis.overall}/100.\n\n` +
      `The weak spot is content: posts are planned week by week without a calendar and the tone varies between channels, ` +
      `so the audience that grows by about ${followers?.percent ?? 0}% a week sees an inconsistent brand. ` +
      `Fixing content planning first will make the strong identity visible where customers look.`,
    strengths: [
      {
        text: 'A clearly articulated promise and lived values give every message a solid base.',
        evidence: [dimEvidence('identity'), passageEvidence('identity', 0)],
      },
      {
        text: 'Customers choose Aurora for its short ingredient list, which matches the brand promise.',
        evidence: [dimEvidence('audience'), passageEvidence('audience', 0)],
      },
    ],
    weaknesses: [
      {
        text: 'No editorial calendar: content is planned week by week and launches are announced late.',
        evidence: [dimEvidence('content'), passageEvidence('content', 0)],
      },
      { text: 'Competitors are watched only on price and reviews.', evidence: [dimEvidence('competition')] },
    ],
    opportunities: [
      {
        text: 'Routine videos with a dermatologist reached three times the usual audience.',
        evidence: [passageEvidence('content', 1)],
      },
      {
        text: 'Followers are growing steadily week after week.',
        evidence: [
          { kind: 'kpi', id: 'trendScore', value: kpi.trendScore ?? undefined, label: `Trend score ${kpi.trendScore}` },
        ],
      },
    ],
    threats: [
      {
        text: 'Pharmacy brands with larger budgets claim the same sensitive-skin territory.',
        evidence: [dimEvidence('positioning')],
      },
    ],
    recommendations,
    provenance: [
      {
        section: 'summary',
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1850,
        outputTokens: 412,
        costUsd: 0.00052,
      },
      {
        section: 'swot',
        provider: 'offline',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        fallbackReason: 'openai: 429 Too Many Requests',
      },
      {
        section: 'recommendations',
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 2630,
        outputTokens: 918,
        costUsd: 0.00095,
      },
    ],
  };
}

export interface ReportDocumentOverrides extends Partial<Omit<ReportDocument, 'brand' | 'scores' | 'analysis'>> {
  brand?: Partial<ReportBrand>;
  scores?: Partial<ReportScores>;
  analysis?: Partial<ReportAnalysis>;
}

/** The sample report; `brand`, `scores` and `analysis` overrides are merged one level deep, the rest replaced. */
export function sampleReportDocument(overrides: ReportDocumentOverrides = {}): ReportDocument {
  const scores = buildScores();
  const analysis = buildAnalysis(scores);
  const { brand, scores: scoreOverrides, analysis: analysisOverrides, ...rest } = overrides;
  return {
    reportId: 'report-aurora-0001',
    title: 'Aurora Skincare — brand diagnosis report',
    generatedAt: '2025-02-14T09:30:00.000Z',
    language: 'en',
    passages: structuredClone(SAMPLE_PASSAGES),
    ...rest,
    brand: { ...structuredClone(SAMPLE_BRAND), ...brand },
    scores: { ...scores, ...scoreOverrides },
    analysis: { ...analysis, ...analysisOverrides },
  };
}
