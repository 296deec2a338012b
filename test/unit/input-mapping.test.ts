import { applyInputMapping, invalidPointers, resolvePointer } from '../../api/services/input-mapping';

describe('webhook input mapping', () => {
  const body = { data: { brand: 'b-1', 'a/b': 1, list: ['x', 'y'] }, kind: 'tips' };

  it('resolves RFC 6901 pointers', () => {
    expect(resolvePointer(body, '/data/brand')).toBe('b-1');
    expect(resolvePointer(body, '/data/a~1b')).toBe(1);
    expect(resolvePointer(body, '/data/list/1')).toBe('y');
    expect(resolvePointer(body, '/missing/deep')).toBeUndefined();
    expect(resolvePointer(body, '')).toBe(body);
  });

  it('builds the input from constants, references and defaults, dropping missing values', () => {
    const mapping = {
      brandId: { from: '/data/brand' },
      postType: { from: '/kind' },
      platform: { from: '/platform', default: 'linkedin' },
      topic: { from: '/nothing' },
      approval: { required: false },
    };
    expect(applyInputMapping(mapping, body)).toEqual({
      brandId: 'b-1',
      postType: 'tips',
      platform: 'linkedin',
      approval: { required: false },
    });
  });

  it('reports pointers that do not start with a slash', () => {
    expect(invalidPointers({ a: { from: 'data/brand' }, b: { c: { from: '/ok' } } })).toEqual(['inputMapping.a.from']);
  });
});
