/**
 * Beta posteriors, chance to beat the control, expected loss, chance to be best.
 *
 * Expected values are exact rationals computed in Python with fractions.Fraction by a different route from the
 * code (which uses Miller's sum): for integer parameters the Beta CDF is a binomial tail,
 * F_A(x) = P(Bin(n, x) ≥ αA) with n = αA + βA − 1, so
 *   P(pB > pA)          = ∫ f_B F_A = Σ_{j=αA}^{n} C(n, j) B(αB + j, βB + n − j) / B(αB, βB)
 *   E[pA·1{pA > pB}]    = ∫ x f_A F_B = Σ_{j=αB}^{m} C(m, j) B(αA + 1 + j, βA + m − j) / B(αA, βA)
 *   E[pB·1{pA > pB}]    = αB/(αB + βB) − Σ_{j=αA}^{n} C(n, j) B(αB + 1 + j, βB + n − j) / B(αB, βB)
 *   loss(choose B)      = E[pA·1{pA > pB}] − E[pB·1{pA > pB}]
 *   P(Z > max(X, Y))    = Σ_j Σ_k C(n1, j) C(n2, k) B(αZ + j + k, βZ + n1 − j + n2 − k) / B(αZ, βZ)
 * with B(a, b) = (a − 1)!(b − 1)!/(a + b − 1)! exactly.
 */
import { expectedLoss, monteCarlo, posterior, probabilityToBeat, type BetaPosterior } from '../../lib/abtest/bayes';

const close = (actual: number, expected: number, tolerance = 1e-6): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
};
const beta = (alpha: number, b: number): BetaPosterior => ({ alpha, beta: b, mean: alpha / (alpha + b) });

describe('posterior', () => {
  it('adds conversions to α and non-conversions to β (uniform prior by default)', () => {
    expect(posterior({ exposures: 1000, conversions: 100 })).toEqual({ alpha: 101, beta: 901, mean: 101 / 1002 });
    expect(posterior({ exposures: 10, conversions: 3 }, { alpha: 2, beta: 8 })).toEqual({
      alpha: 5,
      beta: 15,
      mean: 0.25,
    });
    expect(() => posterior({ exposures: 10, conversions: 3 }, { alpha: 0, beta: 1 })).toThrow(RangeError);
  });
});

describe('probabilityToBeat and expectedLoss (closed forms)', () => {
  it.each([
    // [A, B, P(pB > pA), loss(choose B) = E[max(pA − pB, 0)], loss(choose A) = E[max(pB − pA, 0)]]
    [[3, 5], [4, 3], 0.7913752913752914, 0.029262404262404264, 0.22569097569097568], // = 679/858 exactly
    [[101, 901], [121, 881], 0.9231834389735597, 0.00048461392635644376, 0.020444693766675806],
    [[11, 91], [15, 87], 0.8034168744483831, 0.0050790989703725, 0.044294785244882305],
    [[2, 8], [2, 8], 0.5, 0.06687306501547988, 0.06687306501547988],
  ])('Beta%p vs Beta%p: P(B > A) = %p', ([aA, bA], [aB, bB], p, lossB, lossA) => {
    const a = beta(aA, bA);
    const b = beta(aB, bB);
    close(probabilityToBeat(a, b), p, 1e-9);
    close(probabilityToBeat(b, a), 1 - p, 1e-9);
    const loss = expectedLoss(a, b);
    close(loss.chooseB, lossB, 1e-9);
    close(loss.chooseA, lossA, 1e-9);
    // E[max(pB − pA, 0)] − E[max(pA − pB, 0)] = E[pB] − E[pA]
    close(loss.chooseA - loss.chooseB, b.mean - a.mean, 1e-12);
  });

  it('679/858 is the exact value for Beta(3, 5) vs Beta(4, 3)', () => {
    close(probabilityToBeat(beta(3, 5), beta(4, 3)), 679 / 858, 1e-14);
  });

  it('scales to large counts without overflow', () => {
    // 100 000 exposures per arm, 5.0% vs 5.2%: the sum has 5 201 terms, each through ln B.
    const a = posterior({ exposures: 100_000, conversions: 5000 });
    const b = posterior({ exposures: 100_000, conversions: 5200 });
    const p = probabilityToBeat(a, b);
    // Normal approximation: (0.052 − 0.05)/√(0.05·0.95/1e5 + 0.052·0.948/1e5) = 2.0275 → Φ = 0.9787
    expect(p).toBeGreaterThan(0.975);
    expect(p).toBeLessThan(0.982);
  });

  it('asks for the Monte Carlo when αB is not an integer', () => {
    expect(() => probabilityToBeat(beta(3, 5), beta(3.5, 2))).toThrow(/Monte Carlo/);
  });
});

describe('monteCarlo (seeded)', () => {
  it('agrees with the closed forms within 5 standard errors on 200 000 draws', () => {
    // SE of a probability ≤ √(0.25/200 000) = 0.0011; of the loss here ≤ 0.0002.
    const a = beta(101, 901);
    const b = beta(121, 881);
    const mc = monteCarlo([a, b], { draws: 200_000, seed: 3 });
    close(mc.chanceToBeatControl[1], 0.9231834389735597, 0.0055);
    close(mc.chanceToBeBest[1], 0.9231834389735597, 0.0055);
    close(mc.chanceToBeBest[0] + mc.chanceToBeBest[1], 1, 1e-12);
    close(mc.expectedLoss[1], 0.00048461392635644376, 0.0001);
    close(mc.expectedLoss[0], 0.020444693766675806, 0.0005);
    expect(mc.chanceToBeatControl[0]).toBe(0);
  });

  it('gives chance to be best for three variants, checked against the exact triple sum', () => {
    // Beta(11, 91), Beta(15, 87), Beta(13, 89): exact P(best) = 0.12294724545010563, 0.5845509568488905,
    // 0.2925017977010039 (the P(Z > max(X, Y)) sum above).
    const mc = monteCarlo([beta(11, 91), beta(15, 87), beta(13, 89)], { draws: 200_000, seed: 9 });
    close(mc.chanceToBeBest[0], 0.12294724545010563, 0.0055);
    close(mc.chanceToBeBest[1], 0.5845509568488905, 0.0055);
    close(mc.chanceToBeBest[2], 0.2925017977010039, 0.0055);
  });

  it('is deterministic for a seed and changes with it', () => {
    const p = [beta(30, 970), beta(36, 964), beta(33, 967)];
    expect(monteCarlo(p, { draws: 5000, seed: 4 })).toEqual(monteCarlo(p, { draws: 5000, seed: 4 }));
    expect(monteCarlo(p, { draws: 5000, seed: 4 })).not.toEqual(monteCarlo(p, { draws: 5000, seed: 5 }));
    expect(() => monteCarlo([beta(1, 1)])).toThrow(RangeError);
    expect(() => monteCarlo(p, { draws: 0 })).toThrow(RangeError);
  });
});
