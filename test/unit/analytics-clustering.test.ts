import {
  clusterKeywords,
  cosineSimilarity,
  kMeans,
  mulberry32,
  silhouette,
  tfidf,
  tokenize,
} from '../../lib/analytics/clustering';

/** Three groups whose members each share two terms: no reasonable clustering can mix them. */
const OBVIOUS = [
  'espresso coffee beans',
  'espresso coffee roast',
  'coffee espresso grinder',
  'coffee espresso machine',
  'running shoes leather',
  'trail running shoes',
  'running shoes sale',
  'lightweight running shoes',
  'solar panel installation',
  'rooftop solar panel',
  'solar panel battery',
  'solar panel inverter',
];

/** Groups as sets of member indexes, order-free, for comparing partitions. */
const partition = (result: ReturnType<typeof clusterKeywords>) =>
  result.clusters.map((c) => c.memberIndexes.join(',')).sort();

describe('tokenize', () => {
  it('lowercases, strips punctuation and drops English and Italian stop words', () => {
    // "l" is too short, "di", "and", "the" are stop words; accents stay
    expect(tokenize("L'azienda produce caffè di qualità, and the best ESPRESSO!")).toEqual([
      'azienda',
      'produce',
      'caffè',
      'qualità',
      'best',
      'espresso',
    ]);
  });

  it('adds bigrams of adjacent kept tokens on request', () => {
    expect(tokenize('Cold brew coffee', { bigrams: true })).toEqual([
      'cold',
      'brew',
      'coffee',
      'cold brew',
      'brew coffee',
    ]);
    // the stop word goes first, so "shoes for running" pairs "shoes running" as scikit-learn does
    expect(tokenize('shoes for running', { bigrams: true })).toEqual(['shoes', 'running', 'shoes running']);
  });
});

describe('tfidf', () => {
  it('uses smooth idf = ln((1 + n) / (1 + df)) + 1 and L2-normalises each text', () => {
    const model = tfidf(['red apple', 'green apple']);
    expect(model.terms).toEqual(['apple', 'green', 'red']);
    // apple: df 2 → ln(3/3) + 1 = 1; red, green: df 1 → ln(3/2) + 1 = 1.405465…
    expect(model.idf[0]).toBe(1);
    expect(model.idf[2]).toBeCloseTo(Math.log(1.5) + 1, 12);
    // "red apple" = (apple 1, red 1.405465) / sqrt(1 + 1.975332) = / 1.724915 → (0.579739, 0.814802)
    expect(model.vectors[0].indexes).toEqual([0, 2]);
    expect(model.vectors[0].weights[0]).toBeCloseTo(0.579739, 6);
    expect(model.vectors[0].weights[1]).toBeCloseTo(0.814802, 6);
    // cos("red apple", "green apple") = apple × apple = 0.579739² = 0.336097
    expect(cosineSimilarity(model.vectors[0], model.vectors[1])).toBeCloseTo(0.336097, 6);
  });

  it('keeps the most frequent terms when maxFeatures is set (the seed used 100)', () => {
    const model = tfidf(['coffee coffee beans', 'coffee roast'], { maxFeatures: 1 });
    expect(model.terms).toEqual(['coffee']);
  });

  it('leaves a text with only stop words as the zero vector', () => {
    expect(tfidf(['the and of', 'coffee']).vectors[0]).toEqual({ indexes: [], weights: [] });
  });
});

describe('mulberry32', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    // pinned so a change to the generator (and so to every clustering) is noticed
    expect(first).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const c = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const x = c();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(mulberry32(43)()).not.toBe(first[0]);
  });
});

describe('kMeans and silhouette', () => {
  it('separates orthogonal groups and scores them 1', () => {
    const unit = (i: number) => ({ indexes: [i], weights: [1] });
    const vectors = [unit(0), unit(0), unit(1), unit(1)];
    const result = kMeans(vectors, 2, 2, { seed: 1 });
    expect(result.assignments[0]).toBe(result.assignments[1]);
    expect(result.assignments[2]).toBe(result.assignments[3]);
    expect(result.assignments[0]).not.toBe(result.assignments[2]);
    expect(result.inertia).toBeCloseTo(0, 12);
    // a = 0 inside each pair, b = 1 to the other pair: s = (1 − 0) / 1 = 1 for every point
    expect(silhouette(vectors, result.assignments)).toBe(1);
    expect(silhouette(vectors, [0, 0, 0, 0])).toBe(0);
  });

  it('rejects a k larger than the number of vectors', () => {
    expect(() => kMeans([{ indexes: [0], weights: [1] }], 2, 1, { seed: 1 })).toThrow(RangeError);
  });

  it('handles duplicate points when seeding more centres than distinct points', () => {
    const same = { indexes: [0], weights: [1] };
    const result = kMeans([same, same, same], 3, 1, { seed: 3 });
    expect([...result.assignments].sort()).toEqual([0, 1, 2]);
  });
});

describe('clusterKeywords', () => {
  it('finds the obvious groups and picks k = 3 by silhouette', () => {
    const result = clusterKeywords(OBVIOUS, { seed: 42 });
    expect(result.k).toBe(3);
    expect(partition(result)).toEqual(['0,1,2,3', '4,5,6,7', '8,9,10,11']);
    expect(result.silhouette).toBeGreaterThan(0.3);
    const labels = result.clusters.map((c) => c.label);
    expect(labels.some((l) => l.startsWith('coffee') || l.startsWith('espresso'))).toBe(true);
    expect(labels.some((l) => l.startsWith('running') || l.startsWith('shoes'))).toBe(true);
    expect(labels.some((l) => l.startsWith('panel') || l.startsWith('solar'))).toBe(true);
    const solar = result.clusters.find((c) => c.members.includes('rooftop solar panel'))!;
    expect(solar.members).toEqual(OBVIOUS.slice(8));
    expect(solar.centroidTerms[0].term).toMatch(/^(solar|panel)$/);
    expect(solar.centroidTerms.length).toBeLessThanOrEqual(8);
  });

  it('finds the same groups whatever the seed', () => {
    for (const seed of [1, 2, 3, 99, 2024]) {
      expect(partition(clusterKeywords(OBVIOUS, { seed }))).toEqual(['0,1,2,3', '4,5,6,7', '8,9,10,11']);
    }
  });

  it('is deterministic for a fixed seed', () => {
    const texts = [
      ...OBVIOUS,
      'waterproof leather boots',
      'cold brew coffee',
      'home battery storage',
      'caffè espresso italiano',
      'scarpe da corsa',
    ];
    const a = clusterKeywords(texts, { seed: 7, bigrams: true });
    const b = clusterKeywords([...texts], { seed: 7, bigrams: true });
    expect(b).toEqual(a);
    expect(JSON.stringify(clusterKeywords(texts, { seed: 7, k: 4 }))).toBe(
      JSON.stringify(clusterKeywords(texts, { seed: 7, k: 4 })),
    );
  });

  it('honours an explicit k and reproduces what the automatic search saw for that k', () => {
    const auto = clusterKeywords(OBVIOUS, { seed: 5 });
    const fixed = clusterKeywords(OBVIOUS, { seed: 5, k: auto.k });
    expect(fixed).toEqual(auto);
    expect(clusterKeywords(OBVIOUS, { seed: 5, k: 2 }).k).toBe(2);
    expect(clusterKeywords(OBVIOUS, { seed: 5, k: 99 }).k).toBeLessThanOrEqual(OBVIOUS.length);
  });

  it('orders clusters largest first and lists members in input order', () => {
    const result = clusterKeywords([...OBVIOUS.slice(0, 4), 'solar panel', 'rooftop solar panel', 'solar panel kit'], {
      seed: 1,
      k: 2,
    });
    expect(result.clusters.map((c) => c.members.length)).toEqual([4, 3]);
    expect(result.clusters[1].memberIndexes).toEqual([4, 5, 6]);
  });

  it('copes with empty input, one text, and texts without any term', () => {
    expect(clusterKeywords([], { seed: 1 })).toEqual({ k: 0, silhouette: 0, clusters: [], unclustered: [] });
    const one = clusterKeywords(['coffee beans'], { seed: 1 });
    expect(one.k).toBe(1);
    expect(one.clusters[0]).toMatchObject({ members: ['coffee beans'], memberIndexes: [0] });
    const withNoise = clusterKeywords(['the and of', '!!!', ...OBVIOUS], { seed: 42 });
    expect(withNoise.unclustered).toEqual(['the and of', '!!!']);
    expect(partition(withNoise)).toEqual(['10,11,12,13', '2,3,4,5', '6,7,8,9']);
  });
});
