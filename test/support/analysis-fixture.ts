/**
 * A small, hand-checked `AnalysisInput` for the analyst tests, built with the same lib functions the report's
 * scoring step uses (scoreDiagnosis, summarizeKpis, clusterKeywords, recommendationsFor).
 *
 * Dimension scores of `FIXTURE_ANSWERS` (weighted means of the answer scores):
 *   identity 89.61 strong · positioning 72.5 fair · audience 50 weak · competition 33.18 critical
 *   content 32.5 critical · channels 69.44 fair · performance 59.17 weak
 * KPIs: four weekly periods with followers, views, engagement and posts all falling.
 */
import { type AnalysisInput } from '../../activities/analysis/analyst.port';
import { clusterKeywords } from '../../lib/analytics/clustering';
import { type Answers } from '../../lib/diagnosis/questionnaire';
import { recommendationsFor, scoreDiagnosis } from '../../lib/diagnosis/scoring';
import { summarizeKpis } from '../../lib/report/kpi-summary';
import { type KpiRecord, type ReportBrand, type ReportPassage, type ReportScores } from '../../lib/report/types';

/** A text of n distinct words, for exact completeness scores. */
const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

export const FIXTURE_BRAND: ReportBrand = {
  id: 'brand-bluebird',
  name: 'Bluebird Roasters',
  slug: 'bluebird-roasters',
  slogan: 'Coffee, done right',
  mission: 'Roast traceable specialty coffee for cafés that care about origin.',
  vision: null,
  category: 'Specialty coffee',
  keywords: ['specialty coffee', 'fair trade', 'espresso blends'],
  colors: { primary: '#1d4ed8', secondary: '#f59e0b' },
  fontFamily: null,
  logoDataUrl: null,
};

export const FIXTURE_ANSWERS: Answers = {
  'identity.clarity': 5, // 100, w2
  'identity.mission': words(25), // 100, w1
  'identity.values': 'lived', // 100, w1
  'identity.visual': 4, // 75, w1.5
  'identity.guidelines': 'basic', // 70, w1
  'identity.promise': words(20, 'p'), // 100, w1.5 → positioning
  'target.definition': 3, // 50, w2
  'target.personas': 'one', // 60, w1.5
  'target.research': 'yearly', // 40, w1.5
  'target.persona': words(20, 'c'), // 50, w1.5
  'target.fit': 4, // 75, w1.5 → positioning
  'target.journey': ['search', 'social'], // 50, w1 → channels
  'market.awareness': 2, // 25, w2
  'market.competitors': words(15, 'm'), // 50, w1
  'market.monitoring': ['reviews'], // 25, w1.5
  'market.position': 'newcomer', // 45, w1
  'market.differentiation': 3, // 50, w2 → positioning
  'channels.active': ['website', 'linkedin', 'instagram', 'newsletter'], // 75, w2
  'channels.fit': 4, // 75, w1.5
  'channels.frequency': 'monthly', // 35, w1.5 → content
  'channels.calendar': 'ideas', // 40, w1 → content
  'channels.consistency': 2, // 25, w1.5 → content
  'performance.goals': 'yearly', // 70, w2
  'performance.kpis': ['followers', 'engagement', 'traffic'], // 40, w1.5
  'performance.review': 'quarterly', // 70, w1.5
  'performance.results': 3, // 50, w1
};

export const FIXTURE_KPIS: KpiRecord[] = [
  { period: '2025-03-03', followers: 1500, engagementRate: 0.031, views: 5200, posts: 3, source: 'manual' },
  { period: '2025-03-10', followers: 1460, engagementRate: 0.029, views: 4800, posts: 2, source: 'manual' },
  { period: '2025-03-17', followers: 1420, engagementRate: 0.028, views: 4500, posts: 2, source: 'manual' },
  { period: '2025-03-24', followers: 1380, engagementRate: 0.026, views: 4100, posts: 1, source: 'manual' },
];

export const TONE_OF_VOICE: ReportPassage = {
  documentId: 'doc-brandbook',
  title: 'Brand book',
  heading: 'Tone of voice',
  text: 'We speak like a roaster at the counter: warm, precise and never pompous. Every post names the origin of the beans.',
  score: 0.81,
};

export const FIXTURE_PASSAGES: Record<string, ReportPassage[]> = {
  identity: [
    {
      documentId: 'doc-brandbook',
      title: 'Brand book',
      heading: 'Our story',
      text: 'Bluebird started in a garage with a ten-kilo roaster and a list of farms we had visited ourselves.',
      score: 0.77,
    },
  ],
  content: [TONE_OF_VOICE],
  competition: [
    {
      documentId: 'doc-market',
      title: 'Market notes',
      heading: 'Competitors',
      text: 'The three chains we meet at trade fairs compete on price; none of them publishes origin data.',
      score: 0.64,
    },
  ],
  audience: [
    {
      documentId: 'doc-market',
      title: 'Market notes',
      heading: null,
      text: 'Most wholesale orders come from independent cafés with two to five staff.',
      score: 0.58,
    },
  ],
};

export function buildScores(
  answers: Answers = FIXTURE_ANSWERS,
  kpis: KpiRecord[] = FIXTURE_KPIS,
  texts: string[] = [
    ...FIXTURE_BRAND.keywords,
    ...Object.values(FIXTURE_PASSAGES)
      .flat()
      .map((p) => p.text),
  ],
): ReportScores {
  const diagnosis = scoreDiagnosis(answers);
  const summary = summarizeKpis(kpis);
  return {
    diagnosis,
    kpis: summary,
    clusters: clusterKeywords(texts, { seed: 42 }),
    recommendations: recommendationsFor(diagnosis, {
      popularityIndex: summary.popularityIndex,
      trendScore: summary.trendScore,
    }),
  };
}

export function analysisInput(overrides: Partial<AnalysisInput> = {}): AnalysisInput {
  return {
    language: 'en',
    brand: FIXTURE_BRAND,
    scores: buildScores(),
    passages: FIXTURE_PASSAGES,
    ...overrides,
  };
}
