/** The element builder the whole UI draws with: no innerHTML with data. */
const BOOLEAN_PROPS = new Set([
  'disabled',
  'checked',
  'hidden',
  'required',
  'selected',
  'multiple',
  'readOnly',
  'open',
  'autofocus',
]);

/**
 * h('button', { class: 'btn', onclick: fn, 'data-testid': 'x' }, 'Label', child, [more])
 * Strings become text nodes; null/undefined/false children and attributes are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      else if (key === 'text') el.textContent = value;
      else if (key === 'value') el.value = value;
      else if (BOOLEAN_PROPS.has(key)) el[key] = Boolean(value);
      else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (typeof child === 'string' || typeof child === 'number')
      el.appendChild(document.createTextNode(String(child)));
    else el.appendChild(child);
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replaceChildren(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** Only http(s) and same-origin paths may become links or media sources. */
export function safeUrl(url) {
  if (typeof url !== 'string' || !url) return '#';
  try {
    const parsed = new window.URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '#';
  } catch {
    return '#';
  }
}
