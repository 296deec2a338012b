/**
 * Builds an automation's input from a webhook body. A mapping mirrors the input's shape;
 * `{ "from": "/json/pointer", "default": … }` takes a value from the body, anything else is a constant.
 */

export interface MappingReference {
  from: string;
  default?: unknown;
}

const isReference = (v: unknown): v is MappingReference =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { from?: unknown }).from === 'string';

/** RFC 6901 JSON pointer lookup; undefined when any segment is missing. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return pointer === '' ? document : (document as Record<string, unknown>)?.[''];
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    // Own members only: `/constructor` or `/__proto__` must not reach Object.prototype.
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function applyInputMapping(mapping: unknown, body: unknown): unknown {
  if (isReference(mapping)) {
    const value = resolvePointer(body, mapping.from);
    return value === undefined ? mapping.default : value;
  }
  if (Array.isArray(mapping)) return mapping.map((m) => applyInputMapping(m, body));
  if (mapping !== null && typeof mapping === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(mapping)) {
      const resolved = applyInputMapping(value, body);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return mapping;
}

/** Pointers in a mapping that are not valid JSON pointers, as field paths. */
export function invalidPointers(mapping: unknown, path = 'inputMapping'): string[] {
  if (isReference(mapping)) return mapping.from === '' || mapping.from.startsWith('/') ? [] : [`${path}.from`];
  if (mapping !== null && typeof mapping === 'object') {
    return Object.entries(mapping).flatMap(([k, v]) => invalidPointers(v, `${path}.${k}`));
  }
  return [];
}
