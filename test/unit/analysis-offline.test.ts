import { createOfflineAnalyst, formatScore, writeOfflineAnalysis } from '../../activities/analysis/offline-analyst';
import { type AnalysisInput } from '../../activities/analysis/analyst.port';
import { QUESTIONS, type Answers } from '../../lib/diagnosis/questionnaire';
import { RECOMMENDATION_RULES } from '../../lib/diagnosis/scoring';
import { type EvidenceRef, type Finding, type ReportRecommendation } from '../../lib/report/types';
import { analysisInput, buildScores, FIXTURE_ANSWERS, FIXTURE_BRAND, TONE_OF_VOICE } from '../support/analysis-fixture';

/** The best answer to every question: a brand with no weak dimension. */
const BEST: Answers = Object.fromEntries(
  [...QUESTIONS.values()].map((q) => {
    if (q.type === 'scale') return [q.id, q.max];
    if (q.type === 'text') return [q.id, Array.from({ length: q.idealWords }, (_, i) => `w${i}`).join(' ')];
    if (q.multiple) return [q.id, q.options.filter((o) => !o.exclusive).map((o) => o.id)];
    return [q.id, [...q.options].sort((a, b) => b.score - a.score)[0].id];
  }),
);

/** The number a label must show for the value it cites. */
function shownNumber(ref: EvidenceRef): string {
  const v = ref.value!;
  if (ref.id === 'engagementRate') return `${Number((v * 100).toFixed(2))}%`;
  if (ref.id === 'followers' || ref.id === 'views' || ref.id === 'posts') return v.toLocaleString('en-US');
  if (ref.id === 'trendScore') return `${v < 0 ? '-' : '+'}${formatScore(Math.abs(v))}`;
  return `${formatScore(v)}/100`;
}

function allStatements(input: AnalysisInput): (Finding | ReportRecommendation)[] {
  const a = writeOfflineAnalysis(input);
  return [...a.strengths, ...a.weaknesses, ...a.opportunities, ...a.threats, ...a.recommendations];
}

describe('offline analyst', () => {
  const input = analysisInput();
  const analysis = writeOfflineAnalysis(input);

  it('turns a weak content dimension into content recommendations that cite the content scores', () => {
    expect(input.scores.diagnosis.dimensions.find((d) => d.id === 'content')).toMatchObject({
      score: 32.5,
      band: 'critical',
    });
    const content = analysis.recommendations.filter((r) => r.dimension === 'content');
    expect(content.map((r) => r.code)).toEqual([
      'content.unify-tone-of-voice',
      'content.define-content-pillars',
      'content.raise-publishing-frequency',
    ]);
    const pillars = content.find((r) => r.code === 'content.define-content-pillars')!;
    expect(pillars.title).toBe('Define three to five content pillars tied to the brand promise.');
    expect(pillars.evidence[0]).toEqual({
      kind: 'dimension',
      id: 'content',
      value: 32.5,
      label: 'Content strategy 32.5/100',
    });
    expect(pillars.detail).toContain('Content strategy scores 32.5/100 (critical)');
    const tone = content.find((r) => r.code === 'content.unify-tone-of-voice')!;
    expect(tone.evidence.map((e) => e.label)).toEqual([
      'Cross-channel consistency 25/100',
      'Content strategy 32.5/100',
      'Brand book › Tone of voice',
    ]);
  });

  it('gives no content fixes once content is strong', () => {
    const strongContent: Answers = {
      ...FIXTURE_ANSWERS,
      'channels.frequency': 'several',
      'channels.calendar': 'campaigns',
      'channels.consistency': 5,
    };
    const recs = writeOfflineAnalysis(analysisInput({ scores: buildScores(strongContent) })).recommendations;
    expect(recs.filter((r) => r.dimension === 'content')).toEqual([]);
  });

  it('writes 5 to 10 recommendations, numbered by priority, titled from the rules and expanded with brand facts', () => {
    const recs = analysis.recommendations;
    expect(recs.length).toBeGreaterThanOrEqual(5);
    expect(recs.length).toBeLessThanOrEqual(10);
    expect(recs.map((r) => r.priority)).toEqual(recs.map((_, i) => i + 1));
    expect(recs.map((r) => r.code)).toEqual(input.scores.recommendations.map((r) => r.code));
    for (const r of recs) {
      expect(r.title).toBe(RECOMMENDATION_RULES.find((rule) => rule.code === r.code)!.title);
      expect(r.detail.length).toBeGreaterThan(r.title.length);
    }
    // The declining follower trend is the rule that fires on a KPI.
    const trend = recs.find((r) => r.code === 'performance.reverse-declining-trend')!;
    expect(trend.evidence[0]).toMatchObject({ kind: 'kpi', id: 'trendScore', value: input.scores.kpis.trendScore });
    expect(trend.detail).toMatch(/Followers of Bluebird Roasters are trending down \(-\d+(\.\d)? on/);
    expect(recs.find((r) => r.dimension === 'competition')!.detail).toContain('competitors in specialty coffee');
  });

  it('backs every finding and recommendation with evidence whose label shows the number it cites', () => {
    const statements = allStatements(input);
    expect(statements.length).toBeGreaterThan(15);
    for (const s of statements) {
      expect(s.evidence.some((e) => e.value !== undefined)).toBe(true);
      for (const e of s.evidence) {
        if (e.value === undefined) expect(e.kind).toBe('passage');
        else expect(e.label).toContain(shownNumber(e));
      }
    }
  });

  it('cites knowledge passages by document id and "Title › heading", and quotes them in recommendations', () => {
    const opportunities = analysis.opportunities.flatMap((f) => f.evidence).filter((e) => e.kind === 'passage');
    expect(opportunities).toContainEqual({ kind: 'passage', id: 'doc-brandbook', label: 'Brand book › Tone of voice' });
    expect(opportunities).toContainEqual({ kind: 'passage', id: 'doc-market', label: 'Market notes › Competitors' });
    const quoting = analysis.recommendations.filter((r) => r.detail.includes(TONE_OF_VOICE.text.slice(0, 40)));
    // Quoted once; the other content recommendations only point to it.
    expect(quoting).toHaveLength(1);
    expect(
      analysis.recommendations.filter((r) => r.detail.includes('See also “Brand book › Tone of voice”')),
    ).toHaveLength(2);
  });

  it('orders strengths highest first and weaknesses lowest first, citing the lowest answers', () => {
    expect(analysis.strengths.map((f) => f.evidence[0].id)).toEqual(['identity', 'positioning', 'channels']);
    expect(analysis.weaknesses.map((f) => f.evidence[0].id)).toEqual([
      'content',
      'competition',
      'audience',
      'performance',
    ]);
    expect(analysis.weaknesses[0].text).toBe(
      'Content strategy is critical at 32.5/100; the lowest answers are cross-channel consistency (25/100) and publishing frequency (35/100).',
    );
  });

  it('names the falling KPIs, the low reach and critical competition as threats', () => {
    const ids = analysis.threats.map((f) => f.evidence.map((e) => e.id));
    expect(ids).toEqual([
      ['trendScore'],
      ['followers', 'engagementRate', 'views', 'posts'],
      ['popularityIndex'],
      ['competition', 'market.awareness'],
    ]);
    expect(analysis.threats[1].text).toContain('followers fell 2.8% to 1,380');
  });

  it('draws opportunities from grow rules, keyword clusters and passages on weak dimensions', () => {
    const texts = analysis.opportunities.map((f) => f.text);
    expect(texts[0]).toBe(
      'Build on brand identity (89.6/100): build a storytelling series from the brand’s origin, craft and values.',
    );
    expect(texts.some((t) => t.includes(`“${input.scores.clusters.clusters[0].label}”`))).toBe(true);
    expect(texts.some((t) => t.startsWith('The knowledge base already holds material on content strategy'))).toBe(true);
  });

  it('summarises the overall score and the weakest dimensions', () => {
    expect(analysis.summary).toMatch(
      /^Bluebird Roasters scores 58\/100 overall \(weak\) across 7 assessed dimensions\./,
    );
    expect(analysis.summary).toContain(
      'The weakest dimensions are content strategy (32.5/100), competitive awareness (33.1/100) and audience insight (50/100)',
    );
    expect(analysis.summary).toContain(`first comes “${analysis.recommendations[0].title}”`);
  });

  it('is deterministic and records zero tokens and cost for every section', async () => {
    expect(writeOfflineAnalysis(analysisInput())).toEqual(analysis);
    const out = await createOfflineAnalyst().analyse(input);
    expect(JSON.stringify(out.analysis)).toBe(JSON.stringify(analysis));
    expect(out.provenance).toEqual(
      ['summary', 'swot', 'recommendations'].map((section) => ({
        section,
        provider: 'offline',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
      })),
    );
  });

  it('copes without KPIs or documents: still 5–10 recommendations, no passage evidence', () => {
    const bare = analysisInput({ scores: buildScores(FIXTURE_ANSWERS, [], FIXTURE_BRAND.keywords), passages: {} });
    const a = writeOfflineAnalysis(bare);
    expect(a.recommendations.length).toBeGreaterThanOrEqual(5);
    expect(a.recommendations.length).toBeLessThanOrEqual(10);
    expect(allStatements(bare).flatMap((s) => s.evidence.filter((e) => e.kind === 'passage'))).toEqual([]);
    expect(a.summary).toContain('No KPIs were recorded');
    expect(a.threats.map((f) => f.evidence[0].id)).toEqual(['competition']);
  });

  it('still fills every quadrant for a brand with no weak dimension', () => {
    const strong = analysisInput({ scores: buildScores(BEST, [], FIXTURE_BRAND.keywords), passages: {} });
    const a = writeOfflineAnalysis(strong);
    expect(a.recommendations).toHaveLength(5);
    expect(
      a.recommendations.every((r) =>
        r.code?.match(/tell-brand-story|own-a-category|deepen|benchmark|repurpose|test-new|ab-tests/),
      ),
    ).toBe(true);
    expect(a.weaknesses).toHaveLength(1);
    expect(a.weaknesses[0].text).toMatch(/is the lowest-scoring dimension at 100\/100, although strong/);
    expect(a.strengths.length).toBeGreaterThan(0);
    expect(a.threats.length).toBe(1);
    expect(a.summary).toContain('Even the lowest-scoring dimension');
  });
});
