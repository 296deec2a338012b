/** Sticky assignment: MurmurHash3 as published, a stable and even split on the weights, independent experiments. */
import { assignVariant, bucketOf, murmur3 } from '../../lib/abtest/assignment';

describe('murmur3', () => {
  it('matches the reference MurmurHash3_x86_32 vectors', () => {
    // Published test vectors of the reference implementation (smhasher), seed 0 unless given.
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('a')).toBe(0x3c2569b2);
    expect(murmur3('abc')).toBe(0xb3dd93fa);
    expect(murmur3('test')).toBe(0xba6bd213);
    expect(murmur3('Hello, world!')).toBe(0xc0363e43);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('hashes the UTF-8 bytes', () => {
    expect(murmur3('café')).toBe(murmur3('cafe\u0301'.normalize('NFC')));
    expect(murmur3('café')).not.toBe(murmur3('cafe'));
  });
});

describe('assignVariant', () => {
  const variants = [
    { key: 'A', weight: 50 },
    { key: 'B', weight: 30 },
    { key: 'C', weight: 20 },
  ];

  it('gives a unit the same variant every time', () => {
    for (let i = 0; i < 200; i++) {
      const unit = `visitor-${i}`;
      expect(assignVariant('exp-1', unit, variants)).toBe(assignVariant('exp-1', unit, variants));
    }
  });

  it('splits units on the weights (within 2 points on 20,000 units)', () => {
    const counts: Record<string, number> = { A: 0, B: 0, C: 0 };
    for (let i = 0; i < 20_000; i++) counts[assignVariant('exp-weights', `u${i}`, variants).key] += 1;
    expect(counts.A / 20_000).toBeCloseTo(0.5, 1);
    expect(Math.abs(counts.A / 20_000 - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(counts.B / 20_000 - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(counts.C / 20_000 - 0.2)).toBeLessThan(0.02);
  });

  it("keeps two experiments' splits independent", () => {
    const two = [
      { key: 'A', weight: 1 },
      { key: 'B', weight: 1 },
    ];
    let same = 0;
    for (let i = 0; i < 10_000; i++)
      if (assignVariant('exp-x', `u${i}`, two).key === assignVariant('exp-y', `u${i}`, two).key) same += 1;
    // Independent halves agree about half the time.
    expect(Math.abs(same / 10_000 - 0.5)).toBeLessThan(0.03);
  });

  it('places buckets in [0, 1) and refuses variants without weight', () => {
    for (let i = 0; i < 1000; i++) {
      const b = bucketOf('e', `u${i}`);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(1);
    }
    expect(() => assignVariant('e', 'u', [])).toThrow(/positive weights/);
    expect(() => assignVariant('e', 'u', [{ weight: 0 }])).toThrow(/positive weights/);
  });
});
