import fc from 'fast-check';
import { ValidationError } from '../../lib/errors';
import { MAX_JSON_DEPTH, refuseHostileJson } from '../../api/validation';
import { resolvePointer } from '../../api/services/input-mapping';
import { answersSchema } from '../../lib/diagnosis/questionnaire';

function refusal(value: unknown, root?: string) {
  try {
    refuseHostileJson(value, root);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).errors;
  }
  return null;
}

const nested = (depth: number) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

describe('refuseHostileJson', () => {
  it('passes ordinary bodies, including emoji and right-to-left text', () => {
    expect(
      refusal({ name: 'Lumen ☕ 😀', keywords: ['a', 'b'], colors: { primary: '#000000' }, n: 1, ok: null }),
    ).toBeNull();
    expect(refusal({ text: 'שלום \u200f', deep: nested(MAX_JSON_DEPTH - 1) })).toBeNull();
  });

  it('refuses nesting past the limit without recursing (10,000 deep)', () => {
    expect(refusal(nested(10_000))?.[0].message).toMatch(/nested deeper than 32/);
    expect(refusal(nested(MAX_JSON_DEPTH + 1))).not.toBeNull();
  });

  it('names the field holding NUL or a lone surrogate, in values and keys', () => {
    expect(refusal({ inputMapping: { a: 'x\u0000' } })).toEqual([
      { field: 'inputMapping.a', message: 'contains NUL or an unpaired surrogate' },
    ]);
    expect(refusal({ list: ['ok', 'half\ud800'] })?.[0].field).toBe('list.1');
    expect(refusal({ list: ['\udfffx'] })?.[0].field).toBe('list.0');
    expect(refusal({ m: { 'k\u0000': 1 } })?.[0].field).toBe('m');
    expect(refusal('x\u0000', 'title')?.[0].field).toBe('title');
  });

  it('refuses prototype keys', () => {
    for (const key of ['__proto__', 'constructor', 'prototype'])
      expect(refusal(JSON.parse(`{"a":{"${key}":{"admin":true}}}`))?.[0].field).toBe(`a.${key}`);
  });

  it('either passes a value or refuses it with a field error: never anything else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        refusal({ value, text });
      }),
    );
  });

  it('a mapping pointer reads own members only', () => {
    expect(resolvePointer({ a: 1 }, '/constructor')).toBeUndefined();
    expect(resolvePointer({ a: 1 }, '/__proto__')).toBeUndefined();
    expect(resolvePointer({ a: [1, 2] }, '/a/1')).toBe(2);
  });

  it('questionnaire answers keyed by an Object.prototype member are unknown questions', () => {
    const result = answersSchema('identity', { partial: true }).safeParse({ constructor: 3, toString: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['constructor', 'Unknown question'],
      ['toString', 'Unknown question'],
    ]);
  });
});
