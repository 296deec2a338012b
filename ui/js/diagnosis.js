/**
 * #/brands/<id>/diagnosis/<diagnosisId>: loads the brand, the diagnosis and the questionnaire, then shows the
 * wizard, or a completed diagnosis read-only.
 */
import { api, brandPath } from './api.js';
import { h, icon, replaceChildren, spinner } from './dom.js';
import { renderCompleted } from './diagnosis-completed.js';
import { renderWizard } from './diagnosis-wizard.js';
import { backLink } from './layout.js';
import { failedTitle, showPageError } from './load.js';

export { diagnosisHref } from './diagnosis-view.js';

let questionnaire = null;

/** The questionnaire the API serves; it only changes with a deploy, so it is loaded once. */
export async function loadQuestionnaire(signal) {
  if (!questionnaire) questionnaire = await api('/diagnosis/questionnaire', { signal });
  return questionnaire;
}

export async function renderDiagnosis(ctx) {
  const [brandId, diagnosisId] = ctx.params;
  const wrap = h('div', { class: 'page narrow-wide diagnosis-page' });
  const crumbs = backLink(`#/brands/${encodeURIComponent(brandId)}?tab=diagnosis`, 'Brand');
  wrap.append(crumbs, spinner('Loading the diagnosis…'));
  ctx.main.appendChild(wrap);

  let brand, diagnosis, form;
  try {
    [brand, diagnosis, form] = await Promise.all([
      api(brandPath(brandId), { signal: ctx.signal }),
      api(brandPath(brandId, 'diagnoses', diagnosisId), { signal: ctx.signal }),
      loadQuestionnaire(ctx.signal),
    ]);
  } catch (err) {
    showPageError(ctx, err, wrap, crumbs, failedTitle(err, 'Diagnosis not found', 'Could not load the diagnosis'));
    return;
  }
  if (!ctx.isCurrent()) return;
  replaceChildren(crumbs.firstChild, icon('back'), brand.name);
  ctx.setTitle(`Diagnosis · ${brand.name}`);
  const show = (d) => {
    if (d.status === 'complete') renderCompleted(ctx, wrap, crumbs, brand, d, form);
    else renderWizard(ctx, wrap, crumbs, brand, d, form, show);
  };
  show(diagnosis);
}
