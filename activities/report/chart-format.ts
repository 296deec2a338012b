/** What the report's charts and tables share: band colours and labels, number formats, ticks and label wrapping. */
import type { Band } from '../../lib/diagnosis/scoring';
import type { KpiMetric } from '../../lib/report/types';
import { formatScore } from '../../lib/report/format';

export const BAND_COLORS: Record<Band, string> = {
  critical: '#DC2626',
  weak: '#EA580C',
  fair: '#CA8A04',
  strong: '#16A34A',
};
export const BAND_LABELS: Record<Band, string> = { critical: 'Critical', weak: 'Weak', fair: 'Fair', strong: 'Strong' };
export const UNSCORED = '#94A3B8';
export const MUTED = '#64748B';
export const GRID = '#E2E8F0';

export { formatScore };

const trimZeros = (s: string) => s.replace(/\.0+$|(\.\d*?)0+$/, '$1');

/** Short counts for axes and tiles: 950, 12.3k, 1.2M, 3.4B. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    // 999,500 would print as "1000k": promote it to the next unit instead.
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      return `${sign}${trimZeros(scaled.toFixed(scaled < 100 ? 1 : 0))}${suffix}`;
    }
  }
  return `${sign}${trimZeros(abs.toFixed(abs % 1 !== 0 && abs < 100 ? 1 : 0))}`;
}

/** An engagement rate (a fraction) as a percentage: 0.0423 → "4.2%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${trimZeros((fraction * 100).toFixed(1))}%`;
}

export function formatMetric(metric: KpiMetric, value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return metric === 'engagementRate' ? formatPercent(value) : formatCompact(value);
}

export const METRIC_LABELS: Record<KpiMetric, string> = {
  followers: 'Followers',
  engagementRate: 'Engagement rate',
  views: 'Views',
  posts: 'Posts',
};

/** Round tick values ("nice numbers") covering [min, max], about `count` intervals. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = Math.abs(max) > 0 ? Math.abs(max) * 0.1 : 1;
    [min, max] = [min - pad, max + pad];
  }
  const step = niceNumber((max - min) / Math.max(1, count));
  const start = Math.floor(min / step + 1e-9) * step;
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = start; t <= end + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function niceNumber(x: number): number {
  const exp = Math.floor(Math.log10(x));
  const f = x / 10 ** exp;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * 10 ** exp;
}

/** A coordinate with at most two decimals, for SVG attributes. */
export const n2 = (x: number) => String(Math.round(x * 100) / 100);

/** Splits a label into at most `lines` lines of about `width` characters, on spaces. */
export function wrapLabel(text: string, width: number, lines = 2): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (const word of words) {
    const last = out.length - 1;
    if (last >= 0 && (out[last] + ' ' + word).length <= width) out[last] += ' ' + word;
    else if (out.length < lines) out.push(word);
    else out[last] += ' ' + word; // never drop words: the last line runs long instead
  }
  return out;
}
