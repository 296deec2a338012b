import { DIMENSIONS } from '../diagnosis/questionnaire';
import type { ReportBrand } from './types';

const DIMENSION_TOPICS: Record<(typeof DIMENSIONS)[number]['id'], string> = {
  identity: 'mission, vision, values, visual identity, brand guidelines, tone of voice',
  positioning: 'unique value proposition, differentiation, promise, why choose us',
  audience: 'target customers, buyer personas, needs, customer research',
  competition: 'competitors, market share, alternatives, pricing, benchmark',
  content: 'content plan, editorial calendar, formats, storytelling, campaigns',
  channels: 'social media, website, newsletter, trade shows, distribution channels',
  performance: 'KPIs, analytics, goals, budget, results, measurement',
};

/** The retrieval query of a dimension: what it is about, in the brand's own terms. */
export function dimensionQuery(dimension: (typeof DIMENSIONS)[number], brand: ReportBrand): string {
  const terms = [brand.name, brand.category, ...brand.keywords.slice(0, 5)].filter(Boolean).join(' ');
  return `${dimension.label}: ${DIMENSION_TOPICS[dimension.id]} ${terms}`.trim();
}

/** One knowledge-base query per diagnosis dimension. */
export const reportRetrievalQueries = (brand: ReportBrand) =>
  DIMENSIONS.map((d) => ({ dimension: d.id, query: dimensionQuery(d, brand) }));
