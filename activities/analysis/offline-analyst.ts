/**
 * The embedded analyst: no account, no key, no network. It derives the SWOT, the summary and the recommendations
 * from the scores with explicit rules, so every statement can be traced to the number or passage it rests on:
 *
 *   strengths       dimensions in band strong/fair, highest first (led by their best answer); strong KPIs
 *                   (popularity index ≥ 60, follower trend ≥ +10, metrics up ≥ 5 % on the previous period);
 *                   when there is none, the highest dimension as a relative strength
 *   weaknesses      the diagnosis' weakest dimensions (below 60, lowest first; else the single lowest), each citing
 *                   its two lowest answers
 *   opportunities   the `grow` rules of the strongest dimensions, the keyword clusters (content themes) and
 *                   knowledge-base passages that already address a weak dimension
 *   threats         a negative follower trend, KPIs down on the previous period, a popularity index below 40,
 *                   critical competition or performance; else the lower of those two dimensions
 *   recommendations `recommendationsFor(scores, KPIs)`: each code expanded to its rule's title and a paragraph built
 *                   from the score it rests on, a first step, the brand's facts and the dimension's best passage
 *
 * Deterministic: the same input always gives the same analysis (no clock, no randomness), so tests can pin it.
 * English only: translating is the model's job; the offline text is the always-available floor.
 */
import { type DimensionId, DIMENSIONS, QUESTIONS } from '../../lib/diagnosis/questionnaire';
import {
  bandOf,
  type DimensionScore,
  type QuestionScore,
  type Recommendation,
  RECOMMENDATION_RULES,
  recommendationsFor,
} from '../../lib/diagnosis/scoring';
import {
  ANALYSIS_SECTIONS,
  type EvidenceRef,
  type Finding,
  type KpiMetric,
  type ReportPassage,
  type ReportRecommendation,
  type SectionProvenance,
} from '../../lib/report/types';
import { clipAtWord } from '../text/offline-writer';
import { type AnalysisContent, type AnalysisInput, type Analyst, type AnalystOutput } from './analyst.port';
import { formatScore } from '../../lib/report/format';

/** Findings per SWOT quadrant: a report page, not an inventory. */
const MAX_FINDINGS = 5;
/** Follower trend (−100…100) beyond which it counts as growing or declining, as the `reverse-declining-trend` rule. */
const TREND_MOVE = 10;
/** A KPI change (percent on the previous period) worth a strength. */
const NOTABLE_GAIN_PERCENT = 5;
/** Popularity index below this is low reach (the `channels.grow-audience-reach` rule's threshold). */
const LOW_POPULARITY = 40;

/** Short names for the questions, so evidence reads "Buyer personas 0/100" instead of the whole prompt. */
const QUESTION_LABELS: Record<string, string> = {
  'identity.clarity': 'Clarity of what the brand stands for',
  'identity.mission': 'Mission statement',
  'identity.values': 'Brand values',
  'identity.visual': 'Visual consistency',
  'identity.guidelines': 'Brand guidelines',
  'identity.promise': 'Stated difference from alternatives',
  'target.definition': 'Target definition',
  'target.personas': 'Buyer personas',
  'target.research': 'Customer research',
  'target.persona': 'Primary customer description',
  'target.fit': 'Product fit with the customer’s problem',
  'target.journey': 'Known customer journey',
  'market.awareness': 'Competitor knowledge',
  'market.competitors': 'Named competitors',
  'market.monitoring': 'Market monitoring',
  'market.position': 'Market position',
  'market.differentiation': 'Perceived differentiation',
  'channels.active': 'Active channels',
  'channels.fit': 'Channel fit',
  'channels.frequency': 'Publishing frequency',
  'channels.calendar': 'Content planning',
  'channels.consistency': 'Cross-channel consistency',
  'channels.best': 'Known best content',
  'performance.goals': 'Measurable goals',
  'performance.kpis': 'Tracked metrics',
  'performance.review': 'Results review',
  'performance.results': 'Satisfaction with results',
  'performance.obstacle': 'Named obstacle',
};

const KPI_LABELS: Record<KpiMetric, string> = {
  followers: 'Followers',
  engagementRate: 'Engagement rate',
  views: 'Views',
  posts: 'Posts',
};

/** A concrete first step per rule: what turns the rule's one-line title into something a team can start on. */
const FIRST_STEPS: Record<string, string> = {
  'identity.articulate-brand-platform':
    'Agree on one sentence the whole team uses for what the brand stands for, then derive the promise, values and personality from it.',
  'identity.write-brand-guidelines':
    'Collect logo files, colour codes, typefaces and three examples of the right tone of voice in one document everyone can reach.',
  'identity.align-visual-identity':
    'List every touchpoint (packaging, website, social profiles, trade-fair material) and fix those that use outdated logos, colours or fonts.',
  'identity.codify-values': 'Pick three to five values and write down, for each, one decision it has already shaped.',
  'identity.tell-brand-story': 'Plan a short series on the origin, the craft and the people behind the products.',
  'positioning.sharpen-value-proposition':
    'Write down what buyers compare the brand with and the one reason to choose it, in the customer’s own words.',
  'positioning.prove-differentiation':
    'Gather the proof that already exists (tests, certifications, customer results) and put it next to every claim.',
  'positioning.close-product-fit-gaps':
    'Ask recent customers which problem they bought for and where the products fall short of solving it.',
  'positioning.own-a-category-claim':
    'Choose the attribute the brand can credibly own and make it the first line of the website, catalogue and profiles.',
  'audience.define-target-segments':
    'Describe the best existing customers by sector, role, company size and need, and aim at their look-alikes.',
  'audience.build-buyer-personas':
    'Base each persona on at least three real conversations: goals, objections and where they look for information.',
  'audience.run-customer-research':
    'Schedule a handful of customer interviews each quarter and keep the notes in one shared place.',
  'audience.deepen-customer-insight':
    'Go through reviews, support questions and sales notes every month and update the personas with what changed.',
  'competition.map-competitors':
    'Start with the three competitors buyers mention most and compare offer, price, message and channels in one table.',
  'competition.set-up-market-monitoring':
    'Give one person the job of checking competitor launches, prices and search trends once a month.',
  'competition.clarify-market-position':
    'Estimate the size of the market and the brand’s share of it, even roughly, and state the position it aims for.',
  'competition.benchmark-quarterly': 'Repeat the competitor comparison every quarter and note what moved.',
  'content.define-content-pillars':
    'Pick three to five recurring themes that prove the brand promise and plan every piece under one of them.',
  'content.plan-editorial-calendar':
    'Plan a quarter ahead around launches, trade fairs and seasonal moments, with one owner per slot.',
  'content.raise-publishing-frequency':
    'Commit to a weekly slot on the priority channels and produce content a month ahead in batches.',
  'content.unify-tone-of-voice':
    'Write down the tone of voice with do and don’t examples, and build one template per channel.',
  'content.repurpose-best-performers':
    'Take the best-performing pieces of the last quarter and turn each into a short series in other formats.',
  'channels.focus-priority-channels':
    'Choose the two or three channels the target customer actually uses and pause the rest.',
  'channels.expand-channel-presence':
    'Add the owned channels that are missing, starting with website content and a newsletter.',
  'channels.map-customer-journey':
    'Ask customers where they looked before buying and check that the brand is present at each of those points.',
  'channels.grow-audience-reach':
    'Combine collaborations, a modest paid budget and search optimisation on the priority channels.',
  'channels.test-new-channel':
    'Pick one channel the brand does not use yet, set a success metric and run it for one quarter.',
  'performance.build-kpi-dashboard':
    'Put the few numbers that matter on one dashboard and review it together on a fixed date.',
  'performance.set-measurable-goals': 'Set three quarterly goals, each with a number, a deadline and an owner.',
  'performance.track-business-kpis':
    'Track enquiries, conversion and revenue from marketing alongside reach and followers.',
  'performance.review-monthly': 'Hold a monthly review of results and move time and budget to what worked.',
  'performance.reverse-declining-trend':
    'Compare the periods before and after the decline (posting rhythm, content, channels) to find the cause.',
  'performance.run-ab-tests':
    'Test one variable at a time (headline, format, timing) on the best channel and keep the winner.',
};

// ---------------------------------------------------------------------------------------------------------------
// Formatting: labels carry the number they cite, with ASCII signs so the number can be found in the text.

export { formatScore };

function formatSigned(value: number): string {
  const s = formatScore(Math.abs(value));
  return value > 0 ? `+${s}` : value < 0 ? `-${s}` : s;
}

/** 12345 → "12,345"; decimals kept as they are. */
function formatCount(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

function formatKpi(metric: KpiMetric, value: number): string {
  if (metric === 'engagementRate') return `${Number((value * 100).toFixed(2))}%`;
  return formatCount(value);
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function lowerFirst(s: string): string {
  const [first = '', second = '', ...rest] = [...s];
  return second && second === second.toUpperCase() ? s : first.toLowerCase() + second + rest.join('');
}

/** A brand fact inside a sentence: no trailing punctuation or whitespace. */
function phrase(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/[\s.!?;:,…]+$/u, '');
}

export function questionLabel(id: string): string {
  return QUESTION_LABELS[id] ?? clipAtWord(QUESTIONS.get(id)?.prompt ?? id, 60);
}

export function dimensionLabel(id: string): string {
  return DIMENSIONS.find((d) => d.id === id)?.label ?? id;
}

// ---------------------------------------------------------------------------------------------------------------
// Evidence: built from the input only, so the values and labels a report cites are always the real ones.

export function dimensionEvidence(d: { id: string; label: string; score: number }): EvidenceRef {
  return { kind: 'dimension', id: d.id, value: d.score, label: `${d.label} ${formatScore(d.score)}/100` };
}

export function questionEvidence(q: { id: string; score: number }): EvidenceRef {
  return { kind: 'question', id: q.id, value: q.score, label: `${questionLabel(q.id)} ${formatScore(q.score)}/100` };
}

export function popularityEvidence(value: number): EvidenceRef {
  return { kind: 'kpi', id: 'popularityIndex', value, label: `Popularity index ${formatScore(value)}/100` };
}

export function trendEvidence(value: number): EvidenceRef {
  return { kind: 'kpi', id: 'trendScore', value, label: `Follower trend ${formatSigned(value)} (-100 to 100)` };
}

/** The latest value of a metric, with its change on the previous period when there is one. */
export function metricEvidence(metric: KpiMetric, current: number, percent: number | null = null): EvidenceRef {
  const change = percent === null ? '' : ` (${formatSigned(percent)}% on the previous period)`;
  return {
    kind: 'kpi',
    id: metric,
    value: current,
    label: `${KPI_LABELS[metric]} ${formatKpi(metric, current)}${change}`,
  };
}

export function passageLabel(p: ReportPassage): string {
  return p.heading ? `${p.title} › ${p.heading}` : p.title;
}

export function passageEvidence(p: ReportPassage): EvidenceRef {
  return { kind: 'passage', id: p.documentId, label: passageLabel(p) };
}

type Scored = DimensionScore & { score: number };

/** Scored dimensions in DIMENSIONS order. */
function scoredDimensions(input: AnalysisInput): Scored[] {
  return input.scores.diagnosis.dimensions.filter((d): d is Scored => typeof d.score === 'number');
}

/** The dimension's passages, best first (ties keep retrieval order). */
function passagesFor(input: AnalysisInput, dimension: string): ReportPassage[] {
  return [...(input.passages[dimension] ?? [])].sort((a, b) => b.score - a.score);
}

function questionsOf(input: AnalysisInput, dimension: string): QuestionScore[] {
  return input.scores.diagnosis.questions.filter((q) => q.dimension === dimension);
}

const byScoreDesc = (a: { score: number }, b: { score: number }) => b.score - a.score;
const byScoreAsc = (a: { score: number }, b: { score: number }) => a.score - b.score;

// ---------------------------------------------------------------------------------------------------------------
// SWOT

function strengths(input: AnalysisInput): Finding[] {
  const dims = scoredDimensions(input);
  const findings: Finding[] = [];
  const good = dims.filter((d) => d.band === 'strong' || d.band === 'fair').sort(byScoreDesc);
  for (const d of good.slice(0, 3)) {
    const best = [...questionsOf(input, d.id)].sort(byScoreDesc)[0];
    const lead = best ? `, led by ${lowerFirst(questionLabel(best.id))} (${formatScore(best.score)}/100)` : '';
    findings.push({
      text: `${d.label} is ${d.band} at ${formatScore(d.score)}/100${lead}.`,
      evidence: [dimensionEvidence(d), ...(best ? [questionEvidence(best)] : [])],
    });
  }

  const { popularityIndex, trendScore, deltas } = input.scores.kpis;
  if (popularityIndex !== null && popularityIndex >= 60) {
    findings.push({
      text: `The brand is visible: its popularity index is ${formatScore(popularityIndex)}/100.`,
      evidence: [popularityEvidence(popularityIndex)],
    });
  }
  if (trendScore !== null && trendScore >= TREND_MOVE) {
    findings.push({
      text: `Followers are growing: the trend score is ${formatSigned(trendScore)} on a -100 to 100 scale.`,
      evidence: [trendEvidence(trendScore)],
    });
  }
  const gains = deltas.filter(
    (d) =>
      d.direction === 'up' &&
      d.current !== null &&
      d.percent !== null &&
      d.percent >= NOTABLE_GAIN_PERCENT &&
      d.metric !== 'posts',
  );
  if (gains.length > 0) {
    findings.push({
      text: `Since the previous period, ${list(gains.map((g) => `${lowerFirst(KPI_LABELS[g.metric])} rose ${formatScore(g.percent!)}% to ${formatKpi(g.metric, g.current!)}`))}.`,
      evidence: gains.map((g) => metricEvidence(g.metric, g.current!, g.percent)),
    });
  }

  if (findings.length === 0 && dims.length > 0) {
    const top = [...dims].sort(byScoreDesc)[0];
    findings.push({
      text: `${top.label} is the relatively strongest dimension at ${formatScore(top.score)}/100: the base to build on.`,
      evidence: [dimensionEvidence(top)],
    });
  }
  return findings.slice(0, MAX_FINDINGS);
}

function weaknesses(input: AnalysisInput): Finding[] {
  const dims = scoredDimensions(input);
  const weakest = input.scores.diagnosis.weakest
    .map((id) => dims.find((d) => d.id === id))
    .filter((d): d is Scored => d !== undefined);
  return weakest.slice(0, MAX_FINDINGS).map((d) => {
    const lowest = [...questionsOf(input, d.id)].sort(byScoreAsc).slice(0, 2);
    const answers = lowest.length
      ? `; the lowest answers are ${list(lowest.map((q) => `${lowerFirst(questionLabel(q.id))} (${formatScore(q.score)}/100)`))}`
      : '';
    const state =
      d.band === 'weak' || d.band === 'critical'
        ? `${d.label} is ${d.band} at ${formatScore(d.score)}/100`
        : `${d.label} is the lowest-scoring dimension at ${formatScore(d.score)}/100, although ${d.band}`;
    return { text: `${state}${answers}.`, evidence: [dimensionEvidence(d), ...lowest.map(questionEvidence)] };
  });
}

function opportunities(input: AnalysisInput): Finding[] {
  const dims = scoredDimensions(input);
  const findings: Finding[] = [];
  const cited = new Set<string>();
  const cite = (p: ReportPassage | undefined): EvidenceRef[] => {
    if (!p) return [];
    cited.add(passageKey(p));
    return [passageEvidence(p)];
  };

  // Grow rules of the strongest dimensions: what the brand can build on.
  const ranked = [...dims].sort(byScoreDesc);
  const good = ranked.filter((d) => d.band === 'strong' || d.band === 'fair');
  for (const d of (good.length > 0 ? good : ranked).slice(0, 2)) {
    const rule = RECOMMENDATION_RULES.find((r) => r.kind === 'grow' && r.dimension === d.id);
    if (!rule) continue;
    findings.push({
      text: `Build on ${lowerFirst(d.label)} (${formatScore(d.score)}/100): ${lowerFirst(rule.title)}`,
      evidence: [dimensionEvidence(d), ...cite(passagesFor(input, d.id)[0])],
    });
  }

  // Keyword clusters: the themes the brand already talks about are ready-made content series.
  const content = dims.find((d) => d.id === 'content');
  const clusters = input.scores.clusters.clusters.filter((c) => c.label.trim() !== '');
  if (content && clusters.length > 0) {
    const themes = clusters.slice(0, 3).map((c) => `“${c.label}”`);
    const members = new Set(clusters.slice(0, 3).flatMap((c) => c.members));
    const grounded = allPassages(input)
      .filter((p) => members.has(p.text))
      .slice(0, 2);
    findings.push({
      text:
        `The brand’s keywords and documents group into ${clusters.length === 1 ? 'one theme' : `${clusters.length} themes`} ` +
        `(${list(themes)}); with content strategy at ${formatScore(content.score)}/100, each can anchor a recurring content series.`,
      evidence: [dimensionEvidence(content), ...grounded.flatMap(cite)],
    });
  }

  // Passages that already address a weak dimension: the first fixes need not start from zero.
  for (const id of input.scores.diagnosis.weakest) {
    if (findings.length >= MAX_FINDINGS) break;
    const d = dims.find((x) => x.id === id);
    const passage = passagesFor(input, id).find((p) => !cited.has(passageKey(p)));
    if (!d || !passage || (d.band !== 'weak' && d.band !== 'critical')) continue;
    findings.push({
      text:
        `The knowledge base already holds material on ${lowerFirst(d.label)} (“${passageLabel(passage)}”), ` +
        `so raising it from ${formatScore(d.score)}/100 can start from the brand’s own documents.`,
      evidence: [dimensionEvidence(d), ...cite(passage)],
    });
  }
  return findings.slice(0, MAX_FINDINGS);
}

function threats(input: AnalysisInput): Finding[] {
  const dims = scoredDimensions(input);
  const findings: Finding[] = [];
  const { popularityIndex, trendScore, deltas } = input.scores.kpis;

  if (trendScore !== null && trendScore < 0) {
    findings.push({
      text:
        `Followers are ${trendScore <= -TREND_MOVE ? 'declining' : 'slipping'} (trend ${formatSigned(trendScore)} on a -100 to 100 scale); ` +
        'left alone, the brand’s reach shrinks period after period.',
      evidence: [trendEvidence(trendScore)],
    });
  }
  const losses = deltas.filter((d) => d.direction === 'down' && d.current !== null);
  if (losses.length > 0) {
    const change = (d: (typeof losses)[number]) =>
      d.percent !== null
        ? `${lowerFirst(KPI_LABELS[d.metric])} fell ${formatScore(Math.abs(d.percent))}% to ${formatKpi(d.metric, d.current!)}`
        : `${lowerFirst(KPI_LABELS[d.metric])} fell to ${formatKpi(d.metric, d.current!)}`;
    findings.push({
      text: `Since the previous period, ${list(losses.map(change))}.`,
      evidence: losses.map((d) => metricEvidence(d.metric, d.current!, d.percent)),
    });
  }
  if (popularityIndex !== null && popularityIndex < LOW_POPULARITY) {
    findings.push({
      text:
        `Reach is low (popularity index ${formatScore(popularityIndex)}/100): better-known competitors are likely to ` +
        'reach the same buyers first.',
      evidence: [popularityEvidence(popularityIndex)],
    });
  }
  const RISKS: Partial<Record<DimensionId, string>> = {
    competition: 'competitor launches and price moves can catch the brand unprepared',
    performance: 'without measurable goals and regular reviews, budget keeps flowing to what does not work',
  };
  for (const d of dims) {
    const risk = RISKS[d.id];
    if (!risk || d.band !== 'critical') continue;
    const lowest = [...questionsOf(input, d.id)].sort(byScoreAsc)[0];
    findings.push({
      text: `${d.label} is critical at ${formatScore(d.score)}/100: ${risk}.`,
      evidence: [dimensionEvidence(d), ...(lowest ? [questionEvidence(lowest)] : [])],
    });
  }

  if (findings.length === 0) {
    const exposed = dims.filter((d) => RISKS[d.id]).sort(byScoreAsc)[0];
    if (exposed) {
      findings.push({
        text:
          `Markets move even when the brand does not: with ${lowerFirst(exposed.label)} at ${formatScore(exposed.score)}/100, ` +
          'the main external risk is competitors outpacing it while attention is elsewhere.',
        evidence: [dimensionEvidence(exposed)],
      });
    }
  }
  return findings.slice(0, MAX_FINDINGS);
}

function passageKey(p: ReportPassage): string {
  return `${p.documentId}\u0000${p.heading ?? ''}\u0000${p.text}`;
}

/** Every passage once, in dimension order then best first. */
export function allPassages(input: AnalysisInput): ReportPassage[] {
  const seen = new Set<string>();
  const out: ReportPassage[] = [];
  const order = [...DIMENSIONS.map((d) => d.id as string), ...Object.keys(input.passages).sort()];
  for (const dimension of order) {
    for (const p of passagesFor(input, dimension)) {
      const key = passageKey(p);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Recommendations

/** One sentence of brand facts that makes the step specific to this brand, when the facts support one. */
function brandContext(input: AnalysisInput, dimension: DimensionId): string {
  const b = input.brand;
  const category = b.category?.trim() ? phrase(b.category) : undefined;
  const keywords = b.keywords.map((k) => k.trim()).filter(Boolean);
  switch (dimension) {
    case 'identity':
      if (b.mission?.trim()) return `Start from the mission already on record: “${phrase(b.mission)}”.`;
      if (b.slogan?.trim()) return `Start from the slogan “${phrase(b.slogan)}”.`;
      return '';
    case 'positioning':
      return category ? `Frame it for buyers comparing offers in ${lowerFirst(category)}.` : '';
    case 'audience':
      return category ? `Start with the ${lowerFirst(category)} buyers who already order most.` : '';
    case 'competition':
      return category ? `Start with the closest competitors in ${lowerFirst(category)}.` : '';
    case 'content':
      return keywords.length ? `The brand’s keywords (${list(keywords.slice(0, 3))}) are natural starting themes.` : '';
    case 'channels':
      return keywords.length
        ? `Check which channels people interested in ${list(keywords.slice(0, 2))} already use.`
        : '';
    case 'performance':
      return '';
  }
}

function basisSentence(input: AnalysisInput, rec: Recommendation, dim: Scored | undefined): string {
  const { basis } = rec;
  if (basis.kind === 'kpi' && basis.id === 'trendScore') {
    return `Followers of ${input.brand.name} are trending down (${formatSigned(basis.score)} on a -100 to 100 scale).`;
  }
  if (basis.kind === 'kpi') {
    return `The popularity index of ${input.brand.name} is ${formatScore(basis.score)}/100: few people see what it publishes.`;
  }
  if (basis.kind === 'question') {
    const within = dim ? `, holding ${lowerFirst(dim.label)} at ${formatScore(dim.score)}/100` : '';
    return `${questionLabel(basis.id)} scores ${formatScore(basis.score)}/100${within}.`;
  }
  const label = dim?.label ?? dimensionLabel(basis.id);
  const band = bandOf(basis.score);
  return rec.kind === 'grow'
    ? `${label} scores ${formatScore(basis.score)}/100 (${band}); with the urgent gaps covered, this compounds what already works.`
    : `${label} scores ${formatScore(basis.score)}/100 (${band}) for ${input.brand.name}.`;
}

function basisEvidence(rec: Recommendation): EvidenceRef {
  const { basis } = rec;
  if (basis.kind === 'question') return questionEvidence({ id: basis.id, score: basis.score });
  if (basis.kind === 'kpi')
    return basis.id === 'trendScore' ? trendEvidence(basis.score) : popularityEvidence(basis.score);
  return dimensionEvidence({ id: basis.id, label: dimensionLabel(basis.id), score: basis.score });
}

function recommendations(input: AnalysisInput): ReportRecommendation[] {
  const dims = scoredDimensions(input);
  const { popularityIndex, trendScore } = input.scores.kpis;
  // A passage is quoted once; later recommendations on the same dimension only point to it.
  const quoted = new Set<string>();
  return recommendationsFor(input.scores.diagnosis, { popularityIndex, trendScore }).map((rec) => {
    const rule = RECOMMENDATION_RULES.find((r) => r.code === rec.code);
    const dim = dims.find((d) => d.id === rec.dimension);
    const passage = passagesFor(input, rec.dimension)[0];
    const evidence = [basisEvidence(rec)];
    if (dim && rec.basis.kind !== 'dimension') evidence.push(dimensionEvidence(dim));
    if (passage) evidence.push(passageEvidence(passage));
    let source = '';
    if (passage && quoted.has(passageKey(passage))) source = `See also “${passageLabel(passage)}”.`;
    else if (passage) {
      quoted.add(passageKey(passage));
      const quote = clipAtWord(passage.text.replace(/\s+/g, ' '), 160);
      source = `The brand’s own material already touches on it (“${passageLabel(passage)}”): “${quote}”`;
    }
    const sentences = [
      basisSentence(input, rec, dim),
      FIRST_STEPS[rec.code] ?? '',
      brandContext(input, rec.dimension),
      source,
    ];
    return {
      priority: rec.priority,
      title: rule?.title ?? rec.code,
      detail: sentences.filter(Boolean).join(' '),
      dimension: rec.dimension,
      code: rec.code,
      evidence,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

function summary(input: AnalysisInput, recs: ReportRecommendation[]): string {
  const { name } = input.brand;
  const dims = scoredDimensions(input);
  const { overall, weakest } = input.scores.diagnosis;
  const cite = (d: Scored) => `${lowerFirst(d.label)} (${formatScore(d.score)}/100)`;
  const sentences: string[] = [];
  if (overall === null || dims.length === 0) {
    sentences.push(
      `The diagnosis of ${name} has no scored answers yet, so this analysis rests on the KPIs and documents alone.`,
    );
  } else {
    sentences.push(
      `${name} scores ${formatScore(overall)}/100 overall (${bandOf(overall)}) across ${dims.length} assessed dimensions.`,
    );
    const weak = weakest.map((id) => dims.find((d) => d.id === id)).filter((d): d is Scored => d !== undefined);
    const top = [...dims].sort(byScoreDesc)[0];
    if (weak.length > 0 && weak[0].score < 60) {
      const shown = weak.slice(0, 3);
      sentences.push(
        `The weakest ${shown.length === 1 ? 'dimension is' : 'dimensions are'} ${list(shown.map(cite))}` +
          (top && !shown.includes(top) ? `; the strongest is ${cite(top)}.` : '.'),
      );
    } else if (weak.length > 0) {
      sentences.push(`Even the lowest-scoring dimension, ${cite(weak[0])}, is ${weak[0].band}.`);
    }
  }
  const { popularityIndex, trendScore } = input.scores.kpis;
  if (popularityIndex !== null) {
    const trend = trendScore !== null ? `, with a follower trend of ${formatSigned(trendScore)}` : '';
    sentences.push(`The popularity index stands at ${formatScore(popularityIndex)}/100${trend}.`);
  } else {
    sentences.push('No KPIs were recorded, so reach and growth are not assessed.');
  }
  if (recs.length > 0) {
    sentences.push(`The plan below has ${recs.length} recommendations; first comes “${recs[0].title}”`);
  }
  return sentences.join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// The analyst

export function writeOfflineAnalysis(input: AnalysisInput): AnalysisContent {
  const recs = recommendations(input);
  return {
    summary: summary(input, recs),
    strengths: strengths(input),
    weaknesses: weaknesses(input),
    opportunities: opportunities(input),
    threats: threats(input),
    recommendations: recs,
  };
}

export function offlineProvenance(): SectionProvenance[] {
  return ANALYSIS_SECTIONS.map((section) => ({
    section,
    provider: 'offline',
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  }));
}

export function createOfflineAnalyst(): Analyst {
  return {
    id: 'offline',
    // async so a bug surfaces as a rejected promise, the way every other provider fails.
    async analyse(input: AnalysisInput): Promise<AnalystOutput> {
      return { analysis: writeOfflineAnalysis(input), provenance: offlineProvenance() };
    },
    async check(): Promise<void> {},
  };
}
