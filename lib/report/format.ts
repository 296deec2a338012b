/** How the report states numbers, shared by the template and the writers so a score reads the same everywhere. */

/**
 * A 0–100 score with at most one decimal, cut rather than rounded (59.96 → "59.9"), so a shown score never sits in
 * a higher band than the score itself (60 is "fair", 59.96 is "weak"). 72 → "72"; null or NaN → "—".
 */
export function formatScore(score: number | null | undefined): string {
  if (typeof score !== 'number' || !Number.isFinite(score)) return '—';
  const cut = Math.trunc(score * 10 + (score >= 0 ? 1e-9 : -1e-9)) / 10;
  return String(cut === 0 ? 0 : cut);
}
