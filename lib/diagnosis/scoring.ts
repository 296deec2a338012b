/**
 * Diagnosis scoring and the rule-based recommendations the offline writer turns into prose (issue 3, step 4).
 * Pure: workflows may import it. Rules and thresholds are data (recommendation-rules.data.ts), so a report can cite the rule it followed.
 */
import { round2 } from '../analytics/kpi';
import { type Answers, type DimensionId, DIMENSIONS, type Question, QUESTIONS } from './questionnaire';
import { type KpiSignals, RECOMMENDATION_RULES } from './recommendation-rules.data';

/** Score bands: below 40 critical, below 60 weak, below 80 fair, otherwise strong. */
export const BANDS = { critical: 40, weak: 60, fair: 80 } as const;
export type Band = 'critical' | 'weak' | 'fair' | 'strong';

export interface QuestionScore {
  id: string;
  dimension: DimensionId;
  weight: number;
  score: number;
}

export interface DimensionScore {
  id: DimensionId;
  label: string;
  /** 0–100, 2 decimals; null when no question of the dimension was answered. */
  score: number | null;
  band: Band | null;
  answered: number;
  questions: number;
}

export interface DiagnosisScores {
  /** In DIMENSIONS order. */
  dimensions: DimensionScore[];
  /** Answered questions only, in questionnaire order. */
  questions: QuestionScore[];
  overall: number | null;
  /** Dimensions scoring below 60, lowest first; when none does, the single lowest one. */
  weakest: DimensionId[];
}

/**
 * Score of one answer, 0–100, or null when the answer is missing or does not fit the question:
 *
 *   scale             (v − min) / (max − min) × 100          (1 → 0, 3 → 50, 5 → 100)
 *   single choice     the option's score
 *   multiple choice   min(100, Σ scores of the selected options)
 *   text              min(1, distinct words / idealWords) × 100   (completeness; '' is unanswered)
 */
export function scoreAnswer(q: Question, value: unknown): number | null {
  switch (q.type) {
    case 'scale':
      if (typeof value !== 'number' || !Number.isFinite(value)) return null;
      return ((clamp(value, q.min, q.max) - q.min) / (q.max - q.min)) * 100;
    case 'choice': {
      const selected = q.multiple ? (Array.isArray(value) ? value : null) : typeof value === 'string' ? [value] : null;
      if (!selected || selected.length === 0) return null;
      const scores = [...new Set(selected)].map((id) => q.options.find((o) => o.id === id)?.score);
      if (scores.some((s) => s === undefined)) return null;
      return Math.min(
        100,
        (scores as number[]).reduce((sum, s) => sum + s, 0),
      );
    }
    case 'text': {
      if (typeof value !== 'string' || value.trim() === '') return null;
      const words = new Set(
        value
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .filter((w) => w.length > 0),
      );
      return Math.min(1, words.size / q.idealWords) * 100;
    }
  }
}

/**
 * Scores a diagnosis (all steps' answers merged into one object keyed by question id):
 *
 *   dimension = Σ(weight_q × score_q) / Σ weight_q over its answered questions   (unanswered ones do not count)
 *   overall   = Σ(weight_d × dimension_d) / Σ weight_d over the scored dimensions (all dimension weights are 1)
 *
 * Validate with `answersSchema` first: scoring never throws and skips unknown ids and values that do not fit.
 */
export function scoreDiagnosis(answers: Answers): DiagnosisScores {
  const questions: QuestionScore[] = [];
  for (const q of QUESTIONS.values()) {
    const score = scoreAnswer(q, answers[q.id]);
    if (score !== null) questions.push({ id: q.id, dimension: q.dimension, weight: q.weight, score: round2(score) });
  }
  const all = [...QUESTIONS.values()];
  const dimensions: DimensionScore[] = DIMENSIONS.map((d) => {
    const scored = questions.filter((q) => q.dimension === d.id);
    const weight = scored.reduce((s, q) => s + q.weight, 0);
    const score = weight === 0 ? null : round2(scored.reduce((s, q) => s + q.weight * q.score, 0) / weight);
    return {
      id: d.id,
      label: d.label,
      score,
      band: score === null ? null : bandOf(score),
      answered: scored.length,
      questions: all.filter((q) => q.dimension === d.id).length,
    };
  });
  let weightSum = 0;
  let total = 0;
  for (const d of dimensions) {
    if (d.score === null) continue;
    const w = DIMENSIONS.find((x) => x.id === d.id)!.weight;
    weightSum += w;
    total += w * d.score;
  }
  const ranked = dimensions
    .filter((d): d is DimensionScore & { score: number } => d.score !== null)
    .sort((a, b) => a.score - b.score); // stable: ties keep DIMENSIONS order
  const weak = ranked.filter((d) => d.score < BANDS.weak);
  return {
    dimensions,
    questions,
    overall: weightSum === 0 ? null : round2(total / weightSum),
    weakest: (weak.length > 0 ? weak : ranked.slice(0, 1)).map((d) => d.id),
  };
}

export function bandOf(score: number): Band {
  if (score < BANDS.critical) return 'critical';
  if (score < BANDS.weak) return 'weak';
  if (score < BANDS.fair) return 'fair';
  return 'strong';
}

export * from './recommendation-rules.data';

export interface Recommendation {
  /** 1 = do first. */
  priority: number;
  code: string;
  dimension: DimensionId;
  kind: 'fix' | 'grow';
  /** The score the recommendation rests on, for the report to cite. */
  basis: { kind: 'dimension' | 'question' | 'kpi'; id: string; score: number };
}

export const MAX_RECOMMENDATIONS = 10;
export const MIN_RECOMMENDATIONS = 5;
/** So one very weak dimension cannot take the whole list. */
export const MAX_PER_DIMENSION = 3;

/**
 * 5–10 prioritised recommendation codes:
 *
 * 1. every `fix` rule whose condition holds fires (rules on an unscored dimension or unanswered question do not);
 * 2. fired rules are ordered by the score they rest on, lowest first (trendScore read as (t + 100) / 2 so it
 *    compares on 0–100), then by their dimension's score, then by catalogue order;
 * 3. at most 3 per dimension and 10 in all are kept;
 * 4. below 5, `grow` rules of the scored dimensions are added, weakest dimension first, up to 5 (same cap).
 *
 * With at least 5 scored dimensions the list always holds 5–10 entries.
 */
export function recommendationsFor(scores: DiagnosisScores, kpis: KpiSignals = {}): Recommendation[] {
  const dimensionScore = new Map(scores.dimensions.map((d) => [d.id, d.score]));
  const questionScore = new Map(scores.questions.map((q) => [q.id, q.score]));
  type Candidate = Omit<Recommendation, 'priority'> & { sortKey: number; dimScore: number; order: number };
  const fired: Candidate[] = [];
  RECOMMENDATION_RULES.forEach((rule, order) => {
    if (rule.kind !== 'fix') return;
    const dimScore = dimensionScore.get(rule.dimension) ?? null;
    let basis: Recommendation['basis'] | null = null;
    if (rule.kpi) {
      const value = kpis[rule.kpi];
      if (typeof value === 'number' && Number.isFinite(value) && value < rule.below) {
        basis = { kind: 'kpi', id: rule.kpi, score: value };
      }
    } else if (dimScore === null) {
      return;
    } else if (rule.question) {
      const q = questionScore.get(rule.question);
      if (q !== undefined && q < rule.below && dimScore < (rule.dimensionBelow ?? BANDS.fair)) {
        basis = { kind: 'question', id: rule.question, score: q };
      }
    } else if (dimScore < rule.below) {
      basis = { kind: 'dimension', id: rule.dimension, score: dimScore };
    }
    if (!basis) return;
    const sortKey = basis.id === 'trendScore' ? (basis.score + 100) / 2 : basis.score;
    fired.push({
      code: rule.code,
      dimension: rule.dimension,
      kind: 'fix',
      basis,
      sortKey,
      dimScore: dimScore ?? 100,
      order,
    });
  });
  fired.sort((a, b) => a.sortKey - b.sortKey || a.dimScore - b.dimScore || a.order - b.order);

  const picked: Omit<Recommendation, 'priority'>[] = [];
  const perDimension = new Map<DimensionId, number>();
  for (const c of fired) {
    if (picked.length >= MAX_RECOMMENDATIONS) break;
    const used = perDimension.get(c.dimension) ?? 0;
    if (used >= MAX_PER_DIMENSION) continue;
    perDimension.set(c.dimension, used + 1);
    picked.push({ code: c.code, dimension: c.dimension, kind: c.kind, basis: c.basis });
  }
  const byWeakness = scores.dimensions
    .filter((d): d is DimensionScore & { score: number } => d.score !== null)
    .sort((a, b) => a.score - b.score);
  for (const d of byWeakness) {
    if (picked.length >= MIN_RECOMMENDATIONS) break;
    if ((perDimension.get(d.id) ?? 0) >= MAX_PER_DIMENSION) continue;
    const rule = RECOMMENDATION_RULES.find((r) => r.kind === 'grow' && r.dimension === d.id);
    if (rule)
      picked.push({
        code: rule.code,
        dimension: d.id,
        kind: 'grow',
        basis: { kind: 'dimension', id: d.id, score: d.score },
      });
  }
  return picked.map((r, i) => ({ priority: i + 1, ...r }));
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}
