/**
 * Keyword clustering (seed 003 `cluster_keywords`: TfidfVectorizer + KMeans(random_state=42)), rewritten without
 * scikit-learn: a tokenizer, TF-IDF, spherical k-means (cosine) with k-means++ seeding, and silhouette to pick k.
 * Pure and deterministic: every random choice comes from `mulberry32(seed)`, ties break on the lowest index.
 */

/** A small English + Italian stop-word list: function words that would otherwise dominate short texts. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  // English
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having ' +
    'he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on ' +
    'once only or other our ours out over own same she should so some such than that the their theirs them then ' +
    'there these they this those through to too under until up very was we were what when where which while who ' +
    'whom why will with would you your yours ' +
    // Italian (articles, prepositions and their contractions, pronouns, common verbs)
    'il lo la le gli un uno una di da del dello della dei degli delle al allo alla ai agli alle dal dallo dalla ' +
    'dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle col coi con per tra fra che ' +
    'chi cui non più piu come dove quando anche ma ed se perché perche però pero quindi io tu lui lei noi voi ' +
    'loro mi ti ci vi si ne questo questa questi queste quello quella quelli quelle sono sei siamo siete era ' +
    'erano essere stato stata ho hai abbiamo avete hanno ha avere molto poco tutto tutti tutte ogni suo sua suoi ' +
    'sue nostro nostra nostri nostre vostro vostra mio mia tuo tua alla cosa'
  ).split(' '),
);

export interface TokenizeOptions {
  /** Add "word word" pairs of adjacent kept tokens (after stop-word removal, as scikit-learn does). */
  bigrams?: boolean;
  stopWords?: ReadonlySet<string>;
}

/**
 * Lowercase (NFC), split on anything that is not a letter or digit (so "l'azienda" gives "l", "azienda"),
 * drop stop words and tokens shorter than 2 characters, optionally append bigrams.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const stop = options.stopWords ?? STOP_WORDS;
  const words = text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !stop.has(w));
  if (!options.bigrams) return words;
  const pairs: string[] = [];
  for (let i = 1; i < words.length; i++) pairs.push(`${words[i - 1]} ${words[i]}`);
  return [...words, ...pairs];
}

/** A unit-length sparse vector: parallel arrays of term indexes (ascending) and weights. */
export interface SparseVector {
  indexes: number[];
  weights: number[];
}

export interface TfidfModel {
  /** Vocabulary, sorted alphabetically so indexes do not depend on input order. */
  terms: string[];
  idf: number[];
  vectors: SparseVector[];
}

export interface TfidfOptions extends TokenizeOptions {
  /** Keep only the most frequent terms over the corpus (the seed used 100); default: all. */
  maxFeatures?: number;
}

/**
 * TF-IDF as scikit-learn's TfidfVectorizer defaults:
 *
 *   tf(t, d)  = count of t in d
 *   idf(t)    = ln((1 + n) / (1 + df(t))) + 1        (n documents, df = documents containing t)
 *   v(d)      = tf × idf, then divided by its L2 norm (a text with no kept term stays the zero vector)
 */
export function tfidf(texts: readonly string[], options: TfidfOptions = {}): TfidfModel {
  const docs = texts.map((t) => tokenize(t, options));
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  for (const tokens of docs) {
    for (const t of tokens) total.set(t, (total.get(t) ?? 0) + 1);
    for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  let vocab = [...df.keys()];
  if (options.maxFeatures !== undefined && vocab.length > options.maxFeatures) {
    vocab = vocab
      .sort((a, b) => total.get(b)! - total.get(a)! || compareStrings(a, b))
      .slice(0, Math.max(0, options.maxFeatures));
  }
  const terms = vocab.sort(compareStrings);
  const index = new Map(terms.map((t, i) => [t, i]));
  const n = texts.length;
  const idf = terms.map((t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1);
  const vectors = docs.map((tokens) => {
    const counts = new Map<number, number>();
    for (const t of tokens) {
      const i = index.get(t);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const indexes = [...counts.keys()].sort((a, b) => a - b);
    const weights = indexes.map((i) => counts.get(i)! * idf[i]);
    const norm = l2(weights);
    return { indexes, weights: norm === 0 ? weights : weights.map((w) => w / norm) };
  });
  return { terms, idf, vectors };
}

/** mulberry32: a 32-bit seeded PRNG returning floats in [0, 1); same seed, same sequence, on every engine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** cos(a, b) for unit sparse vectors: Σ a_i b_i over shared indexes. */
export function cosineSimilarity(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.indexes.length && j < b.indexes.length) {
    if (a.indexes[i] === b.indexes[j]) dot += a.weights[i++] * b.weights[j++];
    else if (a.indexes[i] < b.indexes[j]) i++;
    else j++;
  }
  return dot;
}

export interface KMeansOptions {
  seed: number;
  /** Stop after this many assignment rounds even if points still move. */
  maxIterations?: number;
  /** Independent k-means++ starts; the one with the lowest total distance wins (scikit-learn's n_init). */
  restarts?: number;
}

export interface KMeansResult {
  /** Cluster of each vector, 0..k−1. */
  assignments: number[];
  /** Dense, L2-normalised centroids (length = dimension). */
  centroids: Float64Array[];
  /** Σ (1 − cos(x, centroid of x)). */
  inertia: number;
  iterations: number;
}

/**
 * Spherical k-means on unit vectors, cosine distance d = 1 − cos:
 *
 *   init   k-means++: first centre uniform, each next one drawn with probability ∝ d(x, nearest centre)²
 *   assign each x to argmax_c cos(x, c)                     (ties: lowest cluster index)
 *   update c = Σ members / ‖Σ members‖                      (the mean direction)
 *   repeat until no assignment changes or maxIterations (default 100)
 *
 * An empty cluster takes the point farthest from its own centroid. `restarts` (default 10) runs draw from one
 * mulberry32(seed) stream in order, so the result is a function of (vectors, k, seed) alone.
 */
export function kMeans(
  vectors: readonly SparseVector[],
  k: number,
  dimension: number,
  options: KMeansOptions,
): KMeansResult {
  const n = vectors.length;
  if (k < 1 || k > n) throw new RangeError(`k must be between 1 and ${n}, got ${k}`);
  const random = mulberry32(options.seed);
  const restarts = Math.max(1, options.restarts ?? 10);
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const run = kMeansOnce(vectors, k, dimension, random, options.maxIterations ?? 100);
    if (!best || run.inertia < best.inertia - 1e-12) best = run;
  }
  return best!;
}

function kMeansOnce(
  vectors: readonly SparseVector[],
  k: number,
  dimension: number,
  random: () => number,
  maxIterations: number,
): KMeansResult {
  const n = vectors.length;
  const centroids = kMeansPlusPlus(vectors, k, random).map((i) => toDense(vectors[i], dimension));
  const assignments = new Array<number>(n).fill(-1);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      const c = nearestCentroid(vectors[i], centroids).index;
      if (c !== assignments[i]) {
        assignments[i] = c;
        moved = true;
      }
    }
    if (!moved) break;
    fillEmptyClusters(vectors, centroids, assignments);
    updateCentroids(vectors, centroids, assignments, dimension);
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += 1 - denseDot(vectors[i], centroids[assignments[i]]);
  return { assignments, centroids, inertia, iterations };
}

/** Indexes of k starting centres; when every remaining point sits on a centre, the lowest unused index. */
function kMeansPlusPlus(vectors: readonly SparseVector[], k: number, random: () => number): number[] {
  const n = vectors.length;
  const chosen = [Math.min(n - 1, Math.floor(random() * n))];
  const nearest = vectors.map((v) => cosineDistance(v, vectors[chosen[0]]));
  while (chosen.length < k) {
    const weights = nearest.map((d) => d * d);
    const sum = weights.reduce((s, w) => s + w, 0);
    let pick = -1;
    if (sum > 0) {
      let target = random() * sum;
      for (let i = 0; i < n; i++) {
        if (weights[i] === 0) continue;
        target -= weights[i];
        pick = i;
        if (target < 0) break;
      }
    } else {
      pick = vectors.findIndex((_, i) => !chosen.includes(i));
    }
    chosen.push(pick);
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], cosineDistance(vectors[i], vectors[pick]));
  }
  return chosen;
}

function fillEmptyClusters(vectors: readonly SparseVector[], centroids: Float64Array[], assignments: number[]): void {
  const sizes = new Array<number>(centroids.length).fill(0);
  for (const a of assignments) sizes[a]++;
  for (let c = 0; c < centroids.length; c++) {
    if (sizes[c] > 0) continue;
    let far = -1;
    let farDistance = -1;
    for (let i = 0; i < vectors.length; i++) {
      if (sizes[assignments[i]] < 2) continue; // never empty another cluster
      const d = 1 - denseDot(vectors[i], centroids[assignments[i]]);
      if (d > farDistance) {
        far = i;
        farDistance = d;
      }
    }
    if (far < 0) continue;
    sizes[assignments[far]]--;
    assignments[far] = c;
    sizes[c] = 1;
  }
}

function updateCentroids(
  vectors: readonly SparseVector[],
  centroids: Float64Array[],
  assignments: readonly number[],
  dimension: number,
): void {
  for (let c = 0; c < centroids.length; c++) {
    const sum = new Float64Array(dimension);
    let members = 0;
    for (let i = 0; i < vectors.length; i++) {
      if (assignments[i] !== c) continue;
      members++;
      const v = vectors[i];
      for (let j = 0; j < v.indexes.length; j++) sum[v.indexes[j]] += v.weights[j];
    }
    if (members === 0) continue;
    const norm = l2(sum);
    if (norm > 0) for (let j = 0; j < dimension; j++) sum[j] /= norm;
    centroids[c] = sum;
  }
}

function nearestCentroid(v: SparseVector, centroids: readonly Float64Array[]): { index: number; similarity: number } {
  let index = 0;
  let similarity = -Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const s = denseDot(v, centroids[c]);
    if (s > similarity + 1e-12) {
      index = c;
      similarity = s;
    }
  }
  return { index, similarity };
}

function denseDot(v: SparseVector, dense: Float64Array): number {
  let dot = 0;
  for (let j = 0; j < v.indexes.length; j++) dot += v.weights[j] * dense[v.indexes[j]];
  return dot;
}

function toDense(v: SparseVector, dimension: number): Float64Array {
  const d = new Float64Array(dimension);
  for (let j = 0; j < v.indexes.length; j++) d[v.indexes[j]] = v.weights[j];
  return d;
}

/** Euclidean norm by a loop: Math.hypot(...xs) would overflow the argument list on a large vocabulary. */
function l2(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * xs[i];
  return Math.sqrt(s);
}

function cosineDistance(a: SparseVector, b: SparseVector): number {
  return Math.max(0, 1 - cosineSimilarity(a, b));
}

/**
 * Mean silhouette with cosine distance, −1..1:
 *
 *   a(i) = mean d(i, j) over the other members of i's cluster
 *   b(i) = min over other clusters C of mean d(i, j), j ∈ C
 *   s(i) = (b − a) / max(a, b), and 0 when i is alone in its cluster (scikit-learn's convention)
 *
 * 0 when there are fewer than 2 clusters.
 */
export function silhouette(vectors: readonly SparseVector[], assignments: readonly number[]): number {
  return silhouetteFromDistances(distanceMatrix(vectors), assignments);
}

function distanceMatrix(vectors: readonly SparseVector[]): number[][] {
  return vectors.map((a) => vectors.map((b) => cosineDistance(a, b)));
}

function silhouetteFromDistances(distance: readonly (readonly number[])[], assignments: readonly number[]): number {
  const n = distance.length;
  if (n === 0 || new Set(assignments).size < 2) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Map<number, { sum: number; count: number }>();
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const s = sums.get(assignments[j]) ?? { sum: 0, count: 0 };
      s.sum += distance[i][j];
      s.count++;
      sums.set(assignments[j], s);
    }
    const own = sums.get(assignments[i]);
    if (!own) continue; // singleton: s(i) = 0
    const a = own.sum / own.count;
    let b = Infinity;
    for (const [c, s] of sums) if (c !== assignments[i]) b = Math.min(b, s.sum / s.count);
    const m = Math.max(a, b);
    total += m === 0 ? 0 : (b - a) / m;
  }
  return total / n;
}

export interface ClusterOptions extends TfidfOptions {
  /** Number of clusters; when absent, the k in 2..min(6, n − 1) with the best silhouette (ties: smaller k). */
  k?: number;
  seed: number;
  maxIterations?: number;
  restarts?: number;
  /** Terms in the label (default 3) and in centroidTerms (default 8). */
  labelTerms?: number;
  centroidTerms?: number;
}

export interface KeywordCluster {
  /** The centroid's top terms joined by " · ", e.g. "espresso · roast · beans". */
  label: string;
  /** Input texts in this cluster, in input order. */
  members: string[];
  memberIndexes: number[];
  /** Heaviest centroid terms, weights of the unit centroid rounded to 4 decimals. */
  centroidTerms: { term: string; weight: number }[];
}

export interface ClusteringResult {
  k: number;
  /** Mean silhouette of the returned clustering (0 when k < 2). */
  silhouette: number;
  /** Largest cluster first; ties by first member. */
  clusters: KeywordCluster[];
  /** Texts with no term left after tokenizing (only stop words or punctuation): they have no direction to cluster. */
  unclustered: string[];
}

/**
 * Clusters short texts (brand keywords, knowledge-base passages) by TF-IDF + spherical k-means.
 * With fewer than 3 clusterable texts, and no explicit k, everything lands in one cluster. For each k the PRNG
 * seed is derived from (seed, k), so an explicit k reproduces the clustering the automatic search saw.
 */
export function clusterKeywords(texts: readonly string[], options: ClusterOptions): ClusteringResult {
  const model = tfidf(texts, options);
  const usable = model.vectors.map((v, i) => ({ v, i })).filter(({ v }) => v.indexes.length > 0);
  const unclustered = model.vectors.flatMap((v, i) => (v.indexes.length === 0 ? [texts[i]] : []));
  const n = usable.length;
  if (n === 0) return { k: 0, silhouette: 0, clusters: [], unclustered };
  const vectors = usable.map((u) => u.v);
  const dim = model.terms.length;
  const distances = distanceMatrix(vectors); // shared by every k's silhouette
  const run = (k: number) =>
    kMeans(vectors, k, dim, {
      seed: deriveSeed(options.seed, k),
      maxIterations: options.maxIterations,
      restarts: options.restarts,
    });

  let chosen: { k: number; result: KMeansResult; score: number };
  if (options.k !== undefined) {
    const k = Math.max(1, Math.min(Math.floor(options.k), n));
    const result = run(k);
    chosen = { k, result, score: silhouetteFromDistances(distances, result.assignments) };
  } else if (n < 3) {
    chosen = { k: 1, result: run(1), score: 0 };
  } else {
    let best: typeof chosen | undefined;
    for (let k = 2; k <= Math.min(6, n - 1); k++) {
      const result = run(k);
      const score = silhouetteFromDistances(distances, result.assignments);
      if (!best || score > best.score + 1e-9) best = { k, result, score };
    }
    chosen = best!; // n ≥ 3, so k = 2 ran
  }

  const labelCount = options.labelTerms ?? 3;
  const termCount = options.centroidTerms ?? 8;
  const clusters: KeywordCluster[] = [];
  for (let c = 0; c < chosen.k; c++) {
    const memberIndexes = usable.flatMap((u, j) => (chosen.result.assignments[j] === c ? [u.i] : []));
    if (memberIndexes.length === 0) continue;
    const centroid = chosen.result.centroids[c];
    const top = [...centroid.keys()]
      .filter((j) => centroid[j] > 0)
      .sort((a, b) => centroid[b] - centroid[a] || compareStrings(model.terms[a], model.terms[b]))
      .slice(0, Math.max(termCount, labelCount))
      .map((j) => ({ term: model.terms[j], weight: Math.round(centroid[j] * 10_000) / 10_000 }));
    clusters.push({
      label: top
        .slice(0, labelCount)
        .map((t) => t.term)
        .join(' · '),
      members: memberIndexes.map((i) => texts[i]),
      memberIndexes,
      centroidTerms: top.slice(0, termCount),
    });
  }
  clusters.sort((a, b) => b.members.length - a.members.length || a.memberIndexes[0] - b.memberIndexes[0]);
  return { k: clusters.length, silhouette: Math.round(chosen.score * 10_000) / 10_000, clusters, unclustered };
}

/** A distinct 32-bit seed per k (golden-ratio increment), so runs for different k do not share a stream. */
function deriveSeed(seed: number, k: number): number {
  return (Math.trunc(seed) + Math.imul(k, 0x9e3779b9)) >>> 0;
}

/** Code-point order: locale-free, so the vocabulary is the same on every host. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
