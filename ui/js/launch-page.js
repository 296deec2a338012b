/**
 * What every #/launch/<automation> page shares: the header with its way back to the list, the workspace's brands
 * (an error with a retry, or an empty state that points to creating one), the brand picker preselected by
 * `?brandId=`, and a submit that checks the form, starts the run and opens it.
 */
import { api, isQuiet } from './api.js';
import { busy, clearErrors, emptyState, h, replaceChildren, showErrors, spinner, toast } from './dom.js';
import { backLink, pageHeader } from './layout.js';
import { showPageError } from './load.js';
import { runHref } from './runs.js';
import { loadBrands } from './state.js';

/**
 * Renders the page's frame and loads the brands. Resolves with what the form is built from, or with null when the
 * page already says why there is no form (the brands could not load, there are none, or the user moved on).
 *
 * @param {{title: string, description: string, noBrands: string, back?: [string, string]}} o `noBrands`: why a brand
 *   is needed first; `back`: where the breadcrumb leads (href, label), New run by default
 * @returns {Promise<{wrap: HTMLElement, header: HTMLElement, brands: object[], brandSelect: HTMLSelectElement} | null>}
 */
export async function openLaunchPage(ctx, o) {
  const wrap = h('div', { class: 'page narrow-wide' });
  ctx.main.appendChild(wrap);
  const header = pageHeader({
    crumbs: backLink(...(o.back || ['#/launch', 'New run'])),
    title: o.title,
    description: o.description,
  });
  wrap.append(header, spinner('Loading brands…'));

  let brands;
  try {
    brands = await loadBrands({ fresh: true, signal: ctx.signal });
  } catch (err) {
    showPageError(ctx, err, wrap, header);
    return null;
  }
  if (!ctx.isCurrent()) return null;
  if (brands.length === 0) {
    replaceChildren(
      wrap,
      header,
      h(
        'div',
        { class: 'card' },
        emptyState(
          'No brands yet',
          o.noBrands,
          h(
            'a',
            { class: 'btn btn-primary', href: '#/brands/new', 'data-testid': 'create-brand-link' },
            'Create a brand',
          ),
        ),
      ),
    );
    return null;
  }

  const preselect = ctx.query.get('brandId');
  const brandSelect = h(
    'select',
    { name: 'brandId', required: true, 'data-testid': 'launch-brand' },
    brands.map((b) => h('option', { value: b.id, selected: b.id === preselect }, b.name)),
  );
  return { wrap, header, brands, brandSelect };
}

/**
 * Starts the automation when the form is submitted: `read()` gives the run's input (`{ value }`) or what is wrong
 * with the form (`{ error }`: a problem or field errors, shown next to their fields, as the API's are).
 *
 * @param {{automation: string, started: string, read: () => ({value: object} | {error: unknown})}} o
 */
export function startRunOnSubmit(ctx, form, submit, o) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const input = o.read();
    if (input.error) {
      showErrors(form, input.error);
      return;
    }
    try {
      const run = await busy(
        submit,
        () => api('/runs', { method: 'POST', body: { automation: o.automation, input: input.value } }),
        'Starting…',
      );
      toast(o.started, 'success');
      ctx.navigate(runHref(run.id));
    } catch (err) {
      if (isQuiet(err)) return;
      showErrors(form, err);
    }
  });
}
