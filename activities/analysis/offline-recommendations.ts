/**
 * The offline analyst's recommendations: each rule `recommendationsFor` picks, expanded to its title and a paragraph
 * built from the score it rests on, a first step, the brand's facts and the dimension's best passage.
 */
import { type DimensionId } from '../../lib/diagnosis/questionnaire';
import { bandOf, type Recommendation, RECOMMENDATION_RULES, recommendationsFor } from '../../lib/diagnosis/scoring';
import { formatScore } from '../../lib/report/format';
import { type EvidenceRef, type ReportRecommendation } from '../../lib/report/types';
import { clipAtWord, list, lowerFirst, phrase } from '../../lib/prose';
import { type AnalysisInput } from './analyst.port';
import {
  dimensionEvidence,
  dimensionLabel,
  formatSigned,
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
import { FIRST_STEPS } from './phrasebooks/first-steps.data';

/** A brand fact inside a sentence: no trailing punctuation, whitespace collapsed. */
const factPhrase = (s: string): string => phrase(s.replace(/\s+/g, ' '));

/** One sentence of brand facts that makes the step specific to this brand, when the facts support one. */
function brandContext(input: AnalysisInput, dimension: DimensionId): string {
  const b = input.brand;
  const category = b.category?.trim() ? factPhrase(b.category) : undefined;
  const keywords = b.keywords.map((k) => k.trim()).filter(Boolean);
  switch (dimension) {
    case 'identity':
      if (b.mission?.trim()) return `Start from the mission already on record: “${factPhrase(b.mission)}”.`;
      if (b.slogan?.trim()) return `Start from the slogan “${factPhrase(b.slogan)}”.`;
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

export function recommendations(input: AnalysisInput): ReportRecommendation[] {
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
