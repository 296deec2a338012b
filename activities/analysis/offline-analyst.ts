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
 *                   (offline-recommendations.ts)
 *
 * Deterministic: the same input always gives the same analysis (no clock, no randomness), so tests can pin it.
 * English only: translating is the model's job; the offline text is the always-available floor.
 */
import { type DimensionId } from '../../lib/diagnosis/questionnaire';
import { bandOf, type QuestionScore, RECOMMENDATION_RULES } from '../../lib/diagnosis/scoring';
import {
  ANALYSIS_SECTIONS,
  type EvidenceRef,
  type Finding,
  type ReportPassage,
  type ReportRecommendation,
  type SectionProvenance,
} from '../../lib/report/types';
import { formatScore } from '../../lib/report/format';
import { list, lowerFirst } from '../../lib/prose';
import { type AnalysisContent, type AnalysisInput, type Analyst, type AnalystOutput } from './analyst.port';
import {
  allPassages,
  dimensionEvidence,
  formatKpi,
  formatSigned,
  KPI_LABELS,
  metricEvidence,
  passageEvidence,
  passageKey,
  passageLabel,
  passagesFor,
  popularityEvidence,
  questionEvidence,
  questionLabel,
  type Scored,
  scoredDimensions,
  trendEvidence,
} from './evidence';
import { recommendations } from './offline-recommendations';

/** Findings per SWOT quadrant: a report page, not an inventory. */
const MAX_FINDINGS = 5;
/** Follower trend (−100…100) beyond which it counts as growing or declining, as the `reverse-declining-trend` rule. */
const TREND_MOVE = 10;
/** A KPI change (percent on the previous period) worth a strength. */
const NOTABLE_GAIN_PERCENT = 5;
/** Popularity index below this is low reach (the `channels.grow-audience-reach` rule's threshold). */
const LOW_POPULARITY = 40;

export { formatScore };

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
