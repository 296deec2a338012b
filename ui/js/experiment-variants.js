/**
 * The variants of the launch form: 2 to 5 rows keyed A, B, C…, each a name, a weight, the control choice and its
 * content (post copy, or JSON for a free-form experiment). Field names are the API's paths (`variants.1.content.caption`)
 * so its errors land next to the right control.
 */
import { clientError, field, h } from './dom.js';

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 5;
const KEYS = 'ABCDE';

const blank = () => ({ name: '', weight: '50', caption: '', callToAction: '', hashtags: '', json: '{}' });

/** @returns {{el: HTMLElement, setKind: (kind: string) => void, read: () => {value?: object[], error?: Error}}} */
export function variantFields(initialKind) {
  let kind = initialKind;
  let values = [
    { ...blank(), name: 'Control' },
    { ...blank(), name: 'Challenger' },
  ];
  let control = 0;
  let rows = [];
  const list = h('div', { class: 'variant-rows', 'data-testid': 'variant-rows' });
  const add = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'variant-add' },
    'Add a variant',
  );
  add.addEventListener('click', () => {
    save();
    values.push({ ...blank(), name: `Variant ${KEYS[values.length]}` });
    draw();
  });

  function save() {
    values = rows.map((r) => r.values());
    const checked = list.querySelector('input[name="variant-control"]:checked');
    control = checked ? Number(checked.value) : 0;
  }

  function draw() {
    rows = values.map((v, i) => row(i, v));
    list.replaceChildren(...rows.map((r) => r.el));
    add.disabled = values.length >= MAX_VARIANTS;
  }

  function row(i, v) {
    const key = KEYS[i];
    const input = (name, attrs) =>
      h('input', { name, value: v[name], 'data-testid': `variant-${name}-${key}`, ...attrs });
    const name = input('name', { type: 'text', maxlength: 120 });
    const weight = input('weight', { type: 'number', min: 1, max: 100, step: 1, inputmode: 'numeric' });
    const isControl = h('input', {
      type: 'radio',
      name: 'variant-control',
      value: String(i),
      checked: i === control,
      id: `variant-control-${key}`,
      'data-testid': `variant-control-${key}`,
    });
    const caption = h(
      'textarea',
      { name: 'caption', rows: 3, maxlength: 2200, 'data-testid': `variant-caption-${key}` },
      v.caption,
    );
    const cta = input('callToAction', { type: 'text', maxlength: 120, placeholder: 'e.g. Shop beans' });
    const hashtags = input('hashtags', { type: 'text', placeholder: 'coffee, roastery' });
    const json = h('textarea', { name: 'json', rows: 4, class: 'mono', 'data-testid': `variant-json-${key}` }, v.json);
    const remove =
      values.length > MIN_VARIANTS
        ? h(
            'button',
            { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': `variant-remove-${key}` },
            'Remove',
          )
        : null;
    if (remove)
      remove.addEventListener('click', () => {
        save();
        values.splice(i, 1);
        control = control === i ? 0 : control > i ? control - 1 : control;
        draw();
      });
    const p = `variants.${i}`;
    const content =
      kind === 'post'
        ? [
            field({ label: 'Caption', name: `${p}.content.caption`, control: caption }),
            h(
              'div',
              { class: 'row' },
              field({ label: 'Call to action', name: `${p}.content.callToAction`, control: cta }),
              field({
                label: 'Hashtags',
                name: `${p}.content.hashtags`,
                control: hashtags,
                optional: true,
                hint: 'Separated by commas or spaces.',
              }),
            ),
          ]
        : [
            field({
              label: 'Content (JSON)',
              name: `${p}.content`,
              control: json,
              hint: 'What your site receives with the assignment: an object, up to 4,000 characters.',
            }),
          ];
    const el = h(
      'fieldset',
      { class: 'fieldset variant-row', 'data-field': p, 'data-testid': 'variant-row', 'data-variant': key },
      h('legend', null, `Variant ${key}`),
      h(
        'div',
        { class: 'row variant-row-head' },
        field({ label: 'Name', name: `${p}.name`, control: name }),
        field({ label: 'Weight', name: `${p}.weight`, control: weight, class: 'field-narrow' }),
        h(
          'div',
          { class: 'field field-check variant-control-field', 'data-field': `${p}.control` },
          isControl,
          h('label', { for: isControl.id }, 'Control'),
        ),
        remove,
      ),
      content,
    );
    return {
      el,
      values: () => ({
        name: name.value,
        weight: weight.value,
        caption: caption.value,
        callToAction: cta.value,
        hashtags: hashtags.value,
        json: json.value,
      }),
    };
  }

  draw();
  return {
    el: h(
      'div',
      { class: 'variant-fields', 'data-field': 'variants' },
      list,
      h('div', { class: 'form-actions' }, add, h('span', { class: 'muted small' }, '2 to 5 variants.')),
    ),
    setKind(next) {
      save();
      kind = next;
      draw();
    },
    read() {
      save();
      const errors = [];
      const variants = values.map((v, i) => {
        let content;
        if (kind === 'post') {
          content = {
            caption: v.caption.trim(),
            callToAction: v.callToAction.trim(),
            hashtags: v.hashtags.split(/[\s,]+/).filter(Boolean),
          };
        } else {
          try {
            content = JSON.parse(v.json || '{}');
            if (!content || typeof content !== 'object' || Array.isArray(content)) throw new Error('not an object');
          } catch {
            errors.push({ field: `variants.${i}.content`, message: 'Enter a JSON object, e.g. {"subject": "Hello"}' });
          }
        }
        return { key: KEYS[i], name: v.name.trim(), weight: Number(v.weight), control: i === control, content };
      });
      return errors.length ? { error: clientError(errors) } : { value: variants };
    },
  };
}
