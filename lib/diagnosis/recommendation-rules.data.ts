/** The recommendation catalogue `recommendationsFor` (scoring.ts) fires from: codes, conditions and one-line titles. */
import type { DimensionId } from './questionnaire';

/** KPI scores a recommendation may rest on (from lib/analytics/kpi). */
export interface KpiSignals {
  popularityIndex?: number | null;
  trendScore?: number | null;
}

export interface RecommendationRule {
  code: string;
  dimension: DimensionId;
  /** One line for the writer to expand; the report's prose comes from the writer, not from here. */
  title: string;
  /** `fix` fires on a weakness; `grow` always applies and only tops the list up to 5. */
  kind: 'fix' | 'grow';
  /**
   * What it rests on and when it fires:
   * - no `question`/`kpi`: the dimension score is below `below`
   * - `question`: the dimension is below `dimensionBelow` (default fair, 80) and that answer's score below `below`
   * - `kpi`: that KPI is below `below` (trendScore is −100..100, the others 0–100)
   */
  question?: string;
  kpi?: keyof KpiSignals;
  below: number;
  dimensionBelow?: number;
}

export const RECOMMENDATION_RULES: readonly RecommendationRule[] = [
  // identity
  {
    code: 'identity.articulate-brand-platform',
    dimension: 'identity',
    kind: 'fix',
    below: 60,
    title: 'Write a one-page brand platform: purpose, promise, values, personality.',
  },
  {
    code: 'identity.write-brand-guidelines',
    dimension: 'identity',
    kind: 'fix',
    question: 'identity.guidelines',
    below: 70,
    title: 'Turn logo, colours, type and tone of voice into a shared brand guide.',
  },
  {
    code: 'identity.align-visual-identity',
    dimension: 'identity',
    kind: 'fix',
    question: 'identity.visual',
    below: 60,
    title: 'Audit every touchpoint and bring the visual identity into line.',
  },
  {
    code: 'identity.codify-values',
    dimension: 'identity',
    kind: 'fix',
    question: 'identity.values',
    below: 70,
    title: 'Write the brand values down and show how each one guides decisions.',
  },
  {
    code: 'identity.tell-brand-story',
    dimension: 'identity',
    kind: 'grow',
    below: 101,
    title: 'Build a storytelling series from the brand’s origin, craft and values.',
  },
  // positioning
  {
    code: 'positioning.sharpen-value-proposition',
    dimension: 'positioning',
    kind: 'fix',
    below: 60,
    title: 'Sharpen the value proposition against the two or three alternatives buyers compare.',
  },
  {
    code: 'positioning.prove-differentiation',
    dimension: 'positioning',
    kind: 'fix',
    question: 'market.differentiation',
    below: 60,
    title: 'Back the point of difference with proof: tests, certifications, case studies.',
  },
  {
    code: 'positioning.close-product-fit-gaps',
    dimension: 'positioning',
    kind: 'fix',
    question: 'target.fit',
    below: 60,
    title: 'Close the gaps between the products and the target customer’s main problem.',
  },
  {
    code: 'positioning.own-a-category-claim',
    dimension: 'positioning',
    kind: 'grow',
    below: 101,
    title: 'Claim one attribute of the category and repeat it everywhere.',
  },
  // audience
  {
    code: 'audience.define-target-segments',
    dimension: 'audience',
    kind: 'fix',
    below: 60,
    title: 'Define target segments by sector, role, company size and need.',
  },
  {
    code: 'audience.build-buyer-personas',
    dimension: 'audience',
    kind: 'fix',
    question: 'target.personas',
    below: 60,
    title: 'Document two to four buyer personas from real customer conversations.',
  },
  {
    code: 'audience.run-customer-research',
    dimension: 'audience',
    kind: 'fix',
    question: 'target.research',
    below: 60,
    title: 'Interview customers every quarter and log what they say.',
  },
  {
    code: 'audience.deepen-customer-insight',
    dimension: 'audience',
    kind: 'grow',
    below: 101,
    title: 'Feed reviews and sales notes back into the personas continuously.',
  },
  // competition
  {
    code: 'competition.map-competitors',
    dimension: 'competition',
    kind: 'fix',
    below: 60,
    title: 'Build a competitor map: offers, prices, messages, channels.',
  },
  {
    code: 'competition.set-up-market-monitoring',
    dimension: 'competition',
    kind: 'fix',
    question: 'market.monitoring',
    below: 50,
    title: 'Track launches, prices and trends of the market every month.',
  },
  {
    code: 'competition.clarify-market-position',
    dimension: 'competition',
    kind: 'fix',
    question: 'market.position',
    below: 50,
    title: 'Size the market and state where the brand stands in it.',
  },
  {
    code: 'competition.benchmark-quarterly',
    dimension: 'competition',
    kind: 'grow',
    below: 101,
    title: 'Benchmark against the main competitors every quarter.',
  },
  // content
  {
    code: 'content.define-content-pillars',
    dimension: 'content',
    kind: 'fix',
    below: 60,
    title: 'Define three to five content pillars tied to the brand promise.',
  },
  {
    code: 'content.plan-editorial-calendar',
    dimension: 'content',
    kind: 'fix',
    question: 'channels.calendar',
    below: 70,
    title: 'Plan content in an editorial calendar tied to launches and campaigns.',
  },
  {
    code: 'content.raise-publishing-frequency',
    dimension: 'content',
    kind: 'fix',
    question: 'channels.frequency',
    below: 70,
    title: 'Publish at least weekly on the priority channels.',
  },
  {
    code: 'content.unify-tone-of-voice',
    dimension: 'content',
    kind: 'fix',
    question: 'channels.consistency',
    below: 60,
    title: 'Use one tone of voice and one visual template across channels.',
  },
  {
    code: 'content.repurpose-best-performers',
    dimension: 'content',
    kind: 'grow',
    below: 101,
    title: 'Turn the best-performing pieces into series across formats.',
  },
  // channels
  {
    code: 'channels.focus-priority-channels',
    dimension: 'channels',
    kind: 'fix',
    below: 60,
    title: 'Pick the two or three channels where the target customer looks, and commit to them.',
  },
  {
    code: 'channels.expand-channel-presence',
    dimension: 'channels',
    kind: 'fix',
    question: 'channels.active',
    below: 60,
    title: 'Add the missing owned channels: website content and a newsletter first.',
  },
  {
    code: 'channels.map-customer-journey',
    dimension: 'channels',
    kind: 'fix',
    question: 'target.journey',
    below: 50,
    title: 'Map where customers look for information before they buy.',
  },
  {
    code: 'channels.grow-audience-reach',
    dimension: 'channels',
    kind: 'fix',
    kpi: 'popularityIndex',
    below: 40,
    title: 'Grow reach: collaborations, paid amplification and search on the priority channels.',
  },
  {
    code: 'channels.test-new-channel',
    dimension: 'channels',
    kind: 'grow',
    below: 101,
    title: 'Test one new channel for a quarter with a clear success metric.',
  },
  // performance
  {
    code: 'performance.build-kpi-dashboard',
    dimension: 'performance',
    kind: 'fix',
    below: 60,
    title: 'Set up a KPI dashboard that the team reviews together.',
  },
  {
    code: 'performance.set-measurable-goals',
    dimension: 'performance',
    kind: 'fix',
    question: 'performance.goals',
    below: 70,
    title: 'Set quarterly, measurable marketing goals with an owner each.',
  },
  {
    code: 'performance.track-business-kpis',
    dimension: 'performance',
    kind: 'fix',
    question: 'performance.kpis',
    below: 60,
    title: 'Track leads, conversion and attributed revenue, not only followers.',
  },
  {
    code: 'performance.review-monthly',
    dimension: 'performance',
    kind: 'fix',
    question: 'performance.review',
    below: 70,
    title: 'Review results monthly and move budget to what works.',
  },
  {
    code: 'performance.reverse-declining-trend',
    dimension: 'performance',
    kind: 'fix',
    kpi: 'trendScore',
    below: -10,
    title: 'Find the cause of the declining trend and act on it first.',
  },
  {
    code: 'performance.run-ab-tests',
    dimension: 'performance',
    kind: 'grow',
    below: 101,
    title: 'Run A/B tests on the best channel to compound gains.',
  },
];
