/** The sections of findings: keyword clusters, SWOT, recommendations, sources, and how the report was made. */
import { DIMENSIONS } from '../../lib/diagnosis/questionnaire';
import { BANDS } from '../../lib/diagnosis/scoring';
import type { Finding, ReportPassage, SectionProvenance } from '../../lib/report/types';
import { escapeHtml } from '../../lib/html';
import {
  bandChip,
  chapter,
  dimensionLabel,
  esc,
  evidenceChips,
  formatDate,
  isNumber,
  languageTag,
  list,
  outOf100,
  paragraphs,
  reportText,
  sortedRecommendations,
  type Ctx,
} from './report.parts';

export function clustersSection(ctx: Ctx): string {
  const result = ctx.doc.scores?.clusters;
  const clusters = list(result?.clusters);
  if (clusters.length === 0) {
    return chapter(
      ctx,
      'clusters',
      '<div class="note">There were no keywords or knowledge-base passages to group into themes.</div>',
    );
  }
  const rows = clusters
    .map((c, i) => {
      const members = list(c?.members);
      const shown = members
        .slice(0, 6)
        .map((m) => `<li>${esc(m, 90)}</li>`)
        .join('');
      const more = members.length > 6 ? `<li class="muted">and ${members.length - 6} more</li>` : '';
      const terms = list(c?.centroidTerms)
        .slice(0, 6)
        .map((t) => `<span class="chip term">${esc(t?.term, 40)}</span>`)
        .join('');
      return `<tr><td class="num">${i + 1}</td><td><b>${esc(c?.label, 120) || '—'}</b><div>${terms}</div></td><td><ul style="margin: 0; padding-left: 4mm">${shown}${more}</ul></td><td class="num">${members.length}</td></tr>`;
    })
    .join('\n');
  const unclustered = list(result?.unclustered).length;
  const silhouette = isNumber(result?.silhouette) ? result.silhouette.toFixed(2) : '—';
  return chapter(
    ctx,
    'clusters',
    `<p class="lead">Themes found by grouping the brand’s keywords and the passages of its documents by the words they share (TF-IDF with k-means). Each theme is named after its most characteristic terms.</p>
<table class="long"><thead><tr><th class="num">#</th><th style="width: 36%">Theme and top terms</th><th>Keywords and passages</th><th class="num">Size</th></tr></thead><tbody>
${rows}
</tbody></table>
<p class="small muted">${clusters.length} theme${clusters.length === 1 ? '' : 's'}; silhouette ${escapeHtml(silhouette)} (−1 to 1: higher means better separated themes).${unclustered > 0 ? ` ${unclustered} text${unclustered === 1 ? '' : 's'} had no usable words and were left out.` : ''}</p>`,
  );
}

export function swotSection(ctx: Ctx): string {
  const a = ctx.doc.analysis;
  const quadrant = (key: 'strengths' | 'weaknesses' | 'opportunities' | 'threats', title: string) => {
    const findings = list<Finding>(a?.[key]);
    const body =
      findings.length === 0
        ? '<p class="muted">None identified.</p>'
        : findings
            .map((f) => `<div class="finding"><p>${esc(f?.text, 1200)}</p>${evidenceChips(f?.evidence)}</div>`)
            .join('\n');
    return `<div class="quadrant ${key}"><h3>${title}</h3>${body}</div>`;
  };
  return chapter(
    ctx,
    'swot',
    `<p class="lead">Internal strengths and weaknesses, external opportunities and threats. Each finding lists the evidence it rests on.</p>
<div class="swot">
${quadrant('strengths', 'Strengths')}
${quadrant('weaknesses', 'Weaknesses')}
${quadrant('opportunities', 'Opportunities')}
${quadrant('threats', 'Threats')}
</div>`,
  );
}

export function recommendationsSection(ctx: Ctx): string {
  const recs = sortedRecommendations(ctx.doc);
  if (recs.length === 0) {
    return chapter(ctx, 'recommendations', '<div class="note">No recommendations were written.</div>');
  }
  const items = recs
    .map((r, i) => {
      const number = isNumber(r.priority) ? r.priority : i + 1;
      const dim = ctx.dimensions.find((d) => d.id === r.dimension);
      const meta = [
        `<b>${escapeHtml(dimensionLabel(ctx, r.dimension))}</b>`,
        dim ? `${escapeHtml(outOf100(dim.score))} ${bandChip(dim.score)}` : '',
        r.code ? `<span class="code">${esc(r.code, 80)}</span>` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      return `<article class="rec"><div class="rec-num">${number}</div><div class="rec-body">
<h3>${esc(r.title, 300)}</h3>
<div class="rec-meta">${meta}</div>
${paragraphs(r.detail)}
${evidenceChips(r.evidence)}
</div></article>`;
    })
    .join('\n');
  return chapter(
    ctx,
    'recommendations',
    `<p class="lead">${recs.length} actions in the order to take them: the first ones address the weakest scores.</p>
${items}`,
  );
}

export function sourcesSection(ctx: Ctx): string {
  const passages = (ctx.doc.passages && typeof ctx.doc.passages === 'object' ? ctx.doc.passages : {}) as Record<
    string,
    ReportPassage[]
  >;
  const known = DIMENSIONS.map((d) => d.id as string);
  const order = [...known, ...Object.keys(passages).filter((k) => !known.includes(k))];
  let n = 0;
  const groups = order
    .filter((id) => list(passages[id]).length > 0)
    .map((id) => {
      const items = list(passages[id])
        .map((p) => {
          n += 1;
          const heading = reportText(p?.heading, 120);
          const where = `${esc(p?.title, 160) || 'Untitled document'}${heading ? ` › ${escapeHtml(heading)}` : ''}`;
          const relevance = isNumber(p?.score) ? `relevance ${p.score.toFixed(2)}` : '';
          return `<div class="passage"><div class="ref">S${n}</div><div style="flex: 1; min-width: 0"><div class="where">${where}</div><blockquote>“${esc(p?.text, 320)}”</blockquote></div><div class="rel">${relevance}</div></div>`;
        })
        .join('\n');
      return `<div class="source-group"><h3>${escapeHtml(dimensionLabel(ctx, id))}</h3>${items}</div>`;
    })
    .join('\n');
  return chapter(
    ctx,
    'sources',
    n === 0
      ? '<div class="note">No passages of the brand’s knowledge base were cited: the analysis rests on the diagnosis scores and KPIs alone. Upload brand documents (brand book, plans, research) to ground the next report in them.</div>'
      : `<p class="lead">Passages of the brand’s own documents retrieved for each dimension and given to the writer as evidence, with a short excerpt of each.</p>
${groups}`,
  );
}

export function aboutSection(ctx: Ctx): string {
  const { doc } = ctx;
  const provenance = list<SectionProvenance>(doc.analysis?.provenance);
  const sectionNames: Record<string, string> = {
    summary: 'Executive summary',
    swot: 'SWOT analysis',
    recommendations: 'Recommendations',
  };
  const totals = provenance.reduce(
    (t, p) => ({
      input: t.input + (isNumber(p?.inputTokens) ? p.inputTokens : 0),
      output: t.output + (isNumber(p?.outputTokens) ? p.outputTokens : 0),
      cost: t.cost + (isNumber(p?.costUsd) ? p.costUsd : 0),
    }),
    { input: 0, output: 0, cost: 0 },
  );
  const usd = (x: unknown) => (isNumber(x) ? `$${x.toFixed(4)}` : '—');
  const int = (x: unknown) => (isNumber(x) ? Math.round(x).toLocaleString('en-US') : '—');
  const rows = provenance
    .map(
      (p) =>
        `<tr><td>${escapeHtml(sectionNames[p?.section] ?? reportText(p?.section, 40))}</td><td>${esc(p?.provider, 60)}</td><td>${esc(p?.model, 80) || '<span class="muted">—</span>'}</td><td class="num">${int(p?.inputTokens)}</td><td class="num">${int(p?.outputTokens)}</td><td class="num">${usd(p?.costUsd)}</td></tr>`,
    )
    .join('\n');
  const fallbacks = provenance.filter((p) => reportText(p?.fallbackReason));
  return chapter(
    ctx,
    'about',
    `<p>This report was generated by Studioflow on ${escapeHtml(formatDate(doc.generatedAt))} from the brand’s profile, its completed diagnosis questionnaire, its recorded KPIs and its knowledge base. Scores, KPIs and themes are computed; the summary, the SWOT analysis and the recommendations are written by the providers below from those figures and the cited passages.</p>
<h3>Who wrote what</h3>
${
  provenance.length === 0
    ? '<p class="muted">No provenance was recorded.</p>'
    : `<table><thead><tr><th>Section</th><th>Provider</th><th>Model</th><th class="num">Input tokens</th><th class="num">Output tokens</th><th class="num">Cost USD</th></tr></thead><tbody>
${rows}
</tbody><tfoot><tr><td colspan="3">Total</td><td class="num">${int(totals.input)}</td><td class="num">${int(totals.output)}</td><td class="num">${usd(totals.cost)}</td></tr></tfoot></table>`
}
${
  fallbacks.length > 0
    ? `<p class="small muted">Fallbacks: ${fallbacks.map((p) => `${escapeHtml(sectionNames[p.section] ?? reportText(p.section, 40))}: ${esc(p.fallbackReason, 200)}`).join('; ')}.</p>`
    : ''
}
<h3>Method</h3>
<p><b>Diagnosis scores.</b> Each answer scores 0–100; a dimension is the weighted mean of its answered questions and the overall score the mean of the scored dimensions. Bands: critical below ${BANDS.critical}, weak below ${BANDS.weak}, fair below ${BANDS.fair}, strong from ${BANDS.fair}.</p>
<p><b>KPIs.</b> The popularity index weighs followers (30 %), engagement rate (40 %), views (20 %) and posting frequency (10 %) of the latest period. The trend score is the relative slope of followers over the last seven periods, from −100 to +100.</p>
<p><b>Themes.</b> Keywords and passages are grouped by TF-IDF and seeded k-means, so the same inputs always give the same themes.</p>
<dl class="profile" style="margin-top: 4mm"><dt>Report</dt><dd>${esc(doc.reportId, 120)}</dd><dt>Language</dt><dd>${escapeHtml(languageTag(doc.language))}</dd><dt>Generated</dt><dd>${esc(doc.generatedAt, 40)}</dd></dl>`,
  );
}
