/**
 * The evidence a report cites and the labels it reads by: built from the analysis input only, so the numbers and
 * labels in a report are always the real ones, whoever wrote the prose (the offline analyst or a model).
 */
import { DIMENSIONS, QUESTIONS } from '../../lib/diagnosis/questionnaire';
import { type EvidenceRef, type KpiMetric, type ReportPassage } from '../../lib/report/types';
import { formatScore } from '../../lib/report/format';
import { clipAtWord } from '../../lib/prose';
import { type DimensionScore } from '../../lib/diagnosis/scoring';
import { type AnalysisInput } from './analyst.port';
import { QUESTION_LABELS } from './phrasebooks/question-labels.data';

export const KPI_LABELS: Record<KpiMetric, string> = {
  followers: 'Followers',
  engagementRate: 'Engagement rate',
  views: 'Views',
  posts: 'Posts',
};

// ---------------------------------------------------------------------------------------------------------------
// Formatting: labels carry the number they cite, with ASCII signs so the number can be found in the text.

export function formatSigned(value: number): string {
  const s = formatScore(Math.abs(value));
  return value > 0 ? `+${s}` : value < 0 ? `-${s}` : s;
}

/** 12345 → "12,345"; decimals kept as they are. */
function formatCount(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function formatKpi(metric: KpiMetric, value: number): string {
  if (metric === 'engagementRate') return `${Number((value * 100).toFixed(2))}%`;
  return formatCount(value);
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

/** The dimension's passages, best first (ties keep retrieval order). */
export function passagesFor(input: AnalysisInput, dimension: string): ReportPassage[] {
  return [...(input.passages[dimension] ?? [])].sort((a, b) => b.score - a.score);
}

export function passageKey(p: ReportPassage): string {
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

export type Scored = DimensionScore & { score: number };

/** Scored dimensions in DIMENSIONS order. */
export function scoredDimensions(input: AnalysisInput): Scored[] {
  return input.scores.diagnosis.dimensions.filter((d): d is Scored => typeof d.score === 'number');
}
