import {
  findSectionPages,
  formatCompact,
  formatPercent,
  formatScore,
  kpiLineChartSvg,
  labelIndexes,
  niceTicks,
  RADAR_GEOMETRY,
  radarChartSvg,
  radarPoint,
  renderReportHtml,
  REPORT_SECTIONS,
  reportFooterTemplate,
  reportHeaderTemplate,
  reportPalette,
  scoreBarChartSvg,
  sectionMarker,
} from '../../activities/report';
import { contrastRatio, legibleOnWhite } from '../../lib/html';
import { DIMENSIONS } from '../../lib/diagnosis/questionnaire';
import type { DimensionScore } from '../../lib/diagnosis/scoring';
import type { KpiRecord } from '../../lib/report/types';
import { SAMPLE_KPIS, sampleReportDocument } from '../support/report-fixture';

const HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;';

const dims = (scores: (number | null)[]): DimensionScore[] =>
  DIMENSIONS.map((d, i) => ({
    id: d.id,
    label: d.label,
    score: scores[i],
    band: null,
    answered: scores[i] === null ? 0 : 3,
    questions: 3,
  }));

/** The `points` attribute of the first element matching `selector` (a regex fragment), as numbers. */
function points(svg: string, selector: string): { x: number; y: number }[] {
  const match = new RegExp(`<polygon ${selector}[^>]*points="([^"]+)"`).exec(svg);
  expect(match).not.toBeNull();
  return match![1].split(' ').map((pair) => {
    const [x, y] = pair.split(',').map(Number);
    return { x, y };
  });
}

const distance = (p: { x: number; y: number }) => Math.hypot(p.x - RADAR_GEOMETRY.cx, p.y - RADAR_GEOMETRY.cy);

/** Text content of the HTML, roughly: tags dropped, entities of the escaper decoded, whitespace collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('report template', () => {
  const doc = sampleReportDocument();
  const html = renderReportHtml(doc);

  it('is a complete, script-free A4 document with every section and a contents entry for each', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|javascript:|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    for (const [i, section] of REPORT_SECTIONS.entries()) {
      expect(html).toContain(`id="section-${section.id}"`);
      expect(html).toContain(`href="#section-${section.id}"><span class="toc-num">${i + 1}</span>`);
      expect(html).toContain(`<h2>${section.title}</h2>`);
    }
    expect(html).toMatch(/\.chapter \{ break-before: page; \}/);
    expect(html).toContain('break-inside: avoid');
  });

  it('shows every dimension label with its score, and every recommendation title', () => {
    const text = textOf(html);
    for (const d of doc.scores.diagnosis.dimensions) {
      expect(text).toContain(d.label);
      expect(text).toContain(`${d.label} ${formatScore(d.score)}`);
    }
    expect(text).toContain(`${formatScore(doc.scores.diagnosis.overall)}/100`);
    for (const r of doc.analysis.recommendations) expect(text).toContain(r.title);
    expect(doc.analysis.recommendations).toHaveLength(6);
  });

  it('renders the cover, KPIs, clusters, SWOT evidence, sources and provenance from the document', () => {
    const text = textOf(html);
    expect(text).toContain('Aurora Skincare');
    expect(text).toContain('Nordic calm for sensitive skin');
    expect(text).toContain('14 February 2025');
    expect(html).toContain(`<img src="${doc.brand.logoDataUrl}"`);
    expect(text).toContain(`Popularity index ${formatScore(doc.scores.kpis.popularityIndex)} /100`);
    expect(text).toMatch(/Followers 13\.2k 13\.7k \+410 \+3\.1% ▲ Up/);
    expect(text).toMatch(/Posts 4 3 −1 −25% ▼ Down/);
    expect(html.match(/<svg class="chart line"/g)).toHaveLength(4);
    for (const c of doc.scores.clusters.clusters) expect(text).toContain(c.label);
    expect(text).toContain('Content strategy 30.22/100');
    expect(text).toContain('Aurora Brand Book › Our promise');
    expect(text).toContain('Customer survey 2024 › Key findings');
    expect(text).toMatch(/Executive summary openai gpt-4o-mini 1,850 412 \$0\.0005/);
    expect(text).toContain('Fallbacks: SWOT analysis: openai: 429 Too Many Requests');
    expect(text).toContain('Total 4,480 1,330 $0.0015');
  });

  it('orders recommendations by priority', () => {
    const shuffled = sampleReportDocument();
    shuffled.analysis.recommendations.reverse();
    const text = textOf(renderReportHtml(shuffled));
    const titles = doc.analysis.recommendations.map((r) => r.title);
    const section = text.slice(text.indexOf('6 Recommendations'));
    const at = titles.map((t) => section.indexOf(t));
    expect(at.every((p) => p >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('escapes hostile brand, writer and knowledge-base text everywhere', () => {
    const base = sampleReportDocument();
    const hostile = sampleReportDocument({
      title: HOSTILE,
      reportId: HOSTILE,
      brand: { name: HOSTILE, slogan: HOSTILE, category: HOSTILE, mission: HOSTILE, keywords: [HOSTILE] },
      passages: { identity: [{ documentId: 'd', title: HOSTILE, heading: HOSTILE, text: HOSTILE, score: 0.5 }] },
      analysis: {
        summary: HOSTILE,
        strengths: [{ text: HOSTILE, evidence: [{ kind: 'passage', id: 'd', label: HOSTILE }] }],
        recommendations: base.analysis.recommendations.map((r) => ({ ...r, title: HOSTILE, detail: HOSTILE })),
        provenance: [
          { section: 'summary', provider: HOSTILE, model: HOSTILE, inputTokens: 1, outputTokens: 1, costUsd: 0 },
        ],
      },
      scores: {
        clusters: {
          k: 1,
          silhouette: 0,
          unclustered: [],
          clusters: [
            { label: HOSTILE, members: [HOSTILE], memberIndexes: [0], centroidTerms: [{ term: HOSTILE, weight: 1 }] },
          ],
        },
      },
    });
    const out = renderReportHtml(hostile);
    expect(out).not.toContain('<script>');
    expect(out).not.toMatch(/<img src=x/);
    expect(out).toContain(`<div class="brand-name">${ESCAPED}</div>`);
    expect(out).toContain(`<title>${ESCAPED}</title>`);
    // Summary, SWOT finding, evidence, recommendations, passages, clusters, provenance and cover all carry it.
    expect(out.split(ESCAPED).length - 1).toBeGreaterThan(20);
    for (const template of [reportHeaderTemplate(hostile), reportFooterTemplate(hostile)]) {
      expect(template).not.toContain('<script>');
      expect(template).toContain(ESCAPED);
    }
  });

  it('sanitises brand colours, falls back to defaults and ignores unsafe logos', () => {
    const hostile = renderReportHtml(
      sampleReportDocument({
        brand: {
          colors: {
            primary: 'red;}</style><script>alert(1)</script>',
            secondary: 'url(http://x)',
            accent: 'expression(1)',
          },
          logoDataUrl: 'javascript:alert(1)',
          fontFamily: "x'; } body { background: url(http://evil)",
        },
      }),
    );
    expect(hostile).not.toMatch(/<script|url\(http|expression\(|javascript:/);
    expect(hostile).toContain('--brand-primary: #4F46E5;');
    expect(hostile).not.toContain('<img src=');
    expect(hostile).toMatch(/<div class="mark">AS<\/div>/);

    const short = renderReportHtml(
      sampleReportDocument({ brand: { colors: { primary: '#abc', secondary: '#123456' } } }),
    );
    expect(short).toContain('--brand-primary: #AABBCC;');
    expect(short).toContain('--brand-secondary: #123456;');
    expect(
      renderReportHtml(sampleReportDocument({ brand: { logoDataUrl: 'http://10.0.0.1/logo.png' } })),
    ).not.toContain('<img src=');
  });

  it('keeps brand colours legible: headings deepen a pale primary, badges pick a readable ink', () => {
    const pale = reportPalette({ primary: '#FDE68A', secondary: '#FEF3C7' });
    expect(contrastRatio(pale.strong, '#FFFFFF')).toBeGreaterThanOrEqual(4.5);
    expect(pale.onPrimary).toBe('#0F172A');
    expect(reportPalette({ primary: '#1E3A5F', secondary: '#000000' }).onPrimary).toBe('#FFFFFF');
    expect(legibleOnWhite('#2F6F62')).toBe('#2F6F62');
  });

  it('says clearly when no KPIs are recorded, and draws no KPI charts', () => {
    const base = sampleReportDocument();
    const empty = renderReportHtml(
      sampleReportDocument({
        scores: { kpis: { latest: null, popularityIndex: null, trendScore: null, deltas: [], series: [] } },
      }),
    );
    expect(empty).toContain('No KPIs recorded.');
    expect(empty).not.toContain('<svg class="chart line"');
    // The summary's popularity tile says so too.
    expect(textOf(empty)).toContain('Popularity index — No KPIs recorded');
    expect(base.scores.kpis.series).toHaveLength(6);
  });

  it('copes with a diagnosis that left dimensions unscored, no passages and no recommendations', () => {
    const base = sampleReportDocument();
    const dimensions = base.scores.diagnosis.dimensions.map((d) =>
      d.id === 'competition' ? { ...d, score: null, band: null, answered: 0 } : d,
    );
    const out = renderReportHtml(
      sampleReportDocument({
        scores: { diagnosis: { ...base.scores.diagnosis, dimensions } },
        passages: {},
        analysis: { recommendations: [], strengths: [] },
      }),
    );
    const text = textOf(out);
    expect(text).toContain('Not scored (no answers), drawn at 0: Competitive awareness.');
    expect(text).toContain('No passages of the brand’s knowledge base were cited');
    expect(text).toContain('No recommendations were written.');
    expect(text).toContain('Strengths None identified.');
  });

  it('prints the contents page numbers it is given, in slots that exist either way', () => {
    const slot = /<span class="toc-page" data-section="([a-z]+)">(\d*)<\/span>/g;
    expect([...html.matchAll(slot)].map((m) => m[2])).toEqual(Array(8).fill(''));
    const numbered = renderReportHtml(doc, { tocPages: { summary: 3, scores: 4, about: 12 } });
    const pages = Object.fromEntries([...numbered.matchAll(slot)].map((m) => [m[1], m[2]]));
    expect(pages).toMatchObject({ summary: '3', scores: '4', kpis: '', about: '12' });
    // Only the slot contents differ: the layout of both passes is the same markup.
    expect(numbered.replace(slot, '')).toBe(html.replace(slot, ''));
  });

  it('adds out-of-flow section markers for the first pass only, and finds their pages in pdftotext output', () => {
    expect(html).not.toContain('@@sf-toc:');
    const draft = renderReportHtml(doc, { pageMarkers: true });
    for (const s of REPORT_SECTIONS)
      expect(draft).toContain(`<span class="toc-mark" aria-hidden="true">${sectionMarker(s.id)}</span>`);
    expect(draft).toMatch(/\.toc-mark \{ position: absolute;[^}]*color: transparent;/);
    const text = [
      'cover',
      'Contents 1 Executive summary',
      `${sectionMarker('summary')}\n1\nExecutive summary`,
      `${sectionMarker('scores')} ${sectionMarker('kpis')}`,
      'more',
      `${sectionMarker('about')}`,
      '',
    ].join('\f');
    expect(findSectionPages(text)).toEqual({ summary: 3, scores: 4, kpis: 4, about: 6 });
  });

  it('puts the brand and "Page X of Y" in the footer, the title and date in the header', () => {
    const footer = reportFooterTemplate(doc);
    expect(footer).toContain('Aurora Skincare');
    expect(footer).toContain('Page <span class="pageNumber"></span> of <span class="totalPages"></span>');
    expect(footer).toContain('font-size: 7.5px');
    expect(reportHeaderTemplate(doc)).toMatch(/Aurora Skincare — brand diagnosis report.*14 February 2025/);
  });
});

describe('report charts', () => {
  it('puts a score of 100 on the outer ring, 50 half-way and a missing score at the centre', () => {
    const svg = radarChartSvg(dims([100, 50, null, 80, 60, 40, 20]), { color: '#2F6F62' });
    const area = points(svg, 'class="radar-area"');
    const outer = points(svg, 'class="radar-ring" data-ring="100"');
    expect(area).toHaveLength(7);
    expect(distance(area[0])).toBeCloseTo(RADAR_GEOMETRY.radius, 1);
    expect(area[0].x).toBeCloseTo(outer[0].x, 1);
    expect(area[0].y).toBeCloseTo(outer[0].y, 1);
    expect(area[0].y).toBeLessThan(RADAR_GEOMETRY.cy); // the first axis points up
    expect(distance(area[1])).toBeCloseTo(RADAR_GEOMETRY.radius / 2, 1);
    expect(distance(area[2])).toBeCloseTo(0, 5);
    for (const ring of [20, 40, 60, 80, 100]) {
      const ringPoints = points(svg, `class="radar-ring" data-ring="${ring}"`);
      expect(distance(ringPoints[3])).toBeCloseTo((RADAR_GEOMETRY.radius * ring) / 100, 1);
    }
    expect(svg).toContain('not scored');
    expect(svg).toContain('fill="#2F6F62" fill-opacity="0.22"');
    expect(radarPoint(0, 4, 150).y).toBeCloseTo(RADAR_GEOMETRY.cy - RADAR_GEOMETRY.radius, 5);
  });

  it('labels every radar axis and wraps long labels, escaping them', () => {
    const svg = radarChartSvg(
      dims([10, 20, 30, 40, 50, 60, 70]).map((d, i) =>
        i === 0 ? { ...d, label: 'A <b>"bold"</b> & long dimension name' } : d,
      ),
      { color: '#000' },
    );
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&quot;bold&quot;&lt;/b&gt;');
    expect(svg.match(/class="radar-label"/g)).toHaveLength(7);
    expect(svg).toContain('>Positioning &amp;</tspan><tspan');
    expect(svg).toContain('>differentiation</tspan>');
  });

  it('colours score bars by band and shows each score', () => {
    const svg = scoreBarChartSvg(dims([85, 65, 45, 20, null, 100, 0]));
    expect(svg).toMatch(/data-score="85"[^>]*fill="#16A34A"/);
    expect(svg).toMatch(/data-score="65"[^>]*fill="#CA8A04"/);
    expect(svg).toMatch(/data-score="45"[^>]*fill="#EA580C"/);
    expect(svg).toMatch(/data-score="20"[^>]*fill="#DC2626"/);
    expect(svg.match(/class="bar"/g)).toHaveLength(5); // null and 0 draw no bar
    expect(svg).toContain('Not scored');
    for (const d of DIMENSIONS) expect(svg).toContain(d.label.replace('&', '&amp;'));
  });

  it('draws KPI lines for 0, 1 and many points, skipping missing values', () => {
    const week = (period: string, followers: number | null): KpiRecord => ({
      period,
      followers,
      engagementRate: null,
      views: null,
      posts: null,
      source: 'manual',
    });
    const none = kpiLineChartSvg([], 'followers', { color: '#2F6F62' });
    expect(none).toContain('No data recorded');
    expect(none).not.toContain('class="point"');

    const one = kpiLineChartSvg([week('2025-01-06', 12_345)], 'followers', { color: '#2F6F62' });
    expect(one.match(/class="point"/g)).toHaveLength(1);
    expect(one).not.toContain('class="series"');
    expect(one).toContain('>12.3k</text>');

    const many = kpiLineChartSvg(SAMPLE_KPIS, 'engagementRate', { color: '#2F6F62' });
    expect(many.match(/class="point"/g)).toHaveLength(5); // one week has no engagement figure
    expect(many).toContain('class="series"');
    expect(many).toMatch(/>4\.2%<\/text>/);
    expect(many).toContain('>6 Jan</text>');
    expect(many).toContain('>10 Feb</text>');

    const followers = kpiLineChartSvg(SAMPLE_KPIS, 'followers', { color: '#2F6F62' });
    expect(followers).toMatch(/>1[0-4](\.\d)?k<\/text>/); // axis ticks in thousands
    const gaps = kpiLineChartSvg([week('x', 5), week('not a date', 7), week('2025-01-20', null)], 'followers', {
      color: '#2F6F62',
    });
    expect(gaps.match(/class="point"/g)).toHaveLength(2);
  });

  it('formats numbers for reading', () => {
    expect(
      [0, 7, 950, 999, 1000, 12_345, 12_000, 999_499, 999_500, 1_234_567, 2.5e9, -4200].map(formatCompact),
    ).toEqual(['0', '7', '950', '999', '1k', '12.3k', '12k', '999k', '1M', '1.2M', '2.5B', '-4.2k']);
    expect(formatCompact(2.5)).toBe('2.5');
    expect([0.042, 0.0375, 0.5, 0].map(formatPercent)).toEqual(['4.2%', '3.8%', '50%', '0%']);
    // Cut, not rounded: a shown score never crosses into a higher band (59.96 is weak, not "60").
    expect([72, 72.5, 61.37, 87.77, 59.96, 0, null].map(formatScore)).toEqual([
      '72',
      '72.5',
      '61.3',
      '87.7',
      '59.9',
      '0',
      '—',
    ]);
    expect(niceTicks(0, 97)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(11_840, 13_650)).toEqual([11_500, 12_000, 12_500, 13_000, 13_500, 14_000]);
    expect(niceTicks(5, 5)).toEqual([4.5, 4.75, 5, 5.25, 5.5]);
    expect(labelIndexes(10, 4)).toEqual([0, 3, 6, 9]);
    expect(labelIndexes(3, 4)).toEqual([0, 1, 2]);
  });
});
