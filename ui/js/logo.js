/** The brand logo card of the profile tab: preview, upload (PNG, JPEG, WebP or SVG, ≤ 512 KiB) and removal. */
import { api, brandPath, isQuiet } from './api.js';
import {
  busy,
  clearErrors,
  clientError,
  confirmDialog,
  formatBytes,
  h,
  icon,
  replaceChildren,
  showErrors,
  toast,
} from './dom.js';
import { can } from './state.js';

const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'];
const MAX_BYTES = 512 * 1024;

/** The logo's address; the API versions it (`?v=`) with each change, so a new upload is not served from cache. */
export const logoSrc = (brand) => (brand && brand.logoUrl) || null;

/**
 * @param {object} brand
 * @param {(brand: object) => void} onChange called with the brand as the API returns it after a change
 */
export function logoCard(brand, onChange) {
  const editable = can('editor');
  let current = brand;
  const preview = h('div', { class: 'logo-preview', 'data-testid': 'logo-preview' });
  const input = h('input', {
    type: 'file',
    id: 'logo-file',
    accept: TYPES.join(','),
    class: 'visually-hidden',
    'data-testid': 'logo-input',
  });
  const choose = h(
    'label',
    { for: 'logo-file', class: 'btn btn-secondary', 'data-testid': 'logo-choose' },
    icon('upload'),
    h('span', { class: 'logo-choose-text' }, 'Upload logo'),
  );
  const remove = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'logo-remove' }, 'Remove');
  const box = h('div', { class: 'logo-box' });

  const draw = () => {
    const src = logoSrc(current);
    replaceChildren(
      preview,
      src
        ? h('img', { src, alt: `${current.name} logo`, 'data-testid': 'logo-image' })
        : h('span', { class: 'muted' }, 'No logo yet'),
    );
    choose.querySelector('.logo-choose-text').textContent = src ? 'Replace logo' : 'Upload logo';
    remove.hidden = !src;
  };

  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    clearErrors(box);
    if (!TYPES.includes(file.type)) {
      showErrors(box, clientError('logo', `${file.name} is not a PNG, JPEG, WebP or SVG image.`));
      return;
    }
    if (file.size > MAX_BYTES) {
      showErrors(box, clientError('logo', `${file.name} is ${formatBytes(file.size)}; a logo may be at most 512 KiB.`));
      return;
    }
    choose.classList.add('is-busy');
    choose.setAttribute('aria-busy', 'true');
    try {
      current = await api(brandPath(current.id, 'logo'), { method: 'PUT', raw: file, contentType: file.type });
      draw();
      toast('Logo saved.', 'success');
      onChange(current);
    } catch (err) {
      if (!isQuiet(err)) showErrors(box, err);
    } finally {
      choose.classList.remove('is-busy');
      choose.removeAttribute('aria-busy');
    }
  });

  remove.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Remove the logo?',
      message: 'Reports made from now on show the brand name instead.',
      confirm: 'Remove logo',
      danger: true,
    });
    if (!ok) return;
    clearErrors(box);
    try {
      await busy(remove, () => api(brandPath(current.id, 'logo'), { method: 'DELETE' }), 'Removing…');
      current = { ...current, logoUrl: null };
      draw();
      toast('Logo removed.', 'success');
      onChange(current);
    } catch (err) {
      if (!isQuiet(err)) showErrors(box, err);
    }
  });

  box.appendChild(preview);
  if (editable) {
    box.appendChild(
      h(
        'div',
        { class: 'form-actions', 'data-field': 'logo' },
        input,
        choose,
        remove,
        h('p', { class: 'hint' }, 'PNG, JPEG, WebP or SVG, up to 512 KiB. Shown on the report cover.'),
      ),
    );
  }
  draw();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'logo-title', 'data-testid': 'brand-logo' },
    h('h2', { id: 'logo-title', class: 'card-title' }, 'Logo'),
    box,
  );
}
