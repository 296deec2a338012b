/** What the diagnosis wizard and a completed diagnosis share: the link to one and its page header. */
import { formatDateTime, h, statusBadge, time } from './dom.js';
import { pageHeader } from './layout.js';

export const diagnosisHref = (brandId, diagnosisId) =>
  `#/brands/${encodeURIComponent(brandId)}/diagnosis/${encodeURIComponent(diagnosisId)}`;

export function diagnosisHeader(brand, d) {
  return pageHeader({
    title: h(
      'div',
      { class: 'title-row' },
      h('h1', null, 'Brand diagnosis'),
      statusBadge(d.status, { 'data-testid': 'diagnosis-status' }),
    ),
    description:
      d.status === 'complete'
        ? ['Completed ', formatDateTime(d.completedAt), ' for ', brand.name]
        : [`${brand.name} · started `, time(d.createdAt), ' · last saved ', time(d.updatedAt)],
  });
}
