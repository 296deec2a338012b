/** A/B test helpers shared by the integration tests: traffic for known units of each variant, the evaluation series. */
import { assignVariant } from '../../lib/abtest/assignment';
import type { ApiResponse, TestStack } from './harness';

export interface Evaluated {
  n: number;
  action: string;
  winner: string | null;
  reasons: string[];
  srmPValue: number | null;
  variants: {
    key: string;
    exposures: number;
    conversions: number;
    chanceToBeBest: number;
    sequentialPValue?: number;
  }[];
  guardrails: { metric: string; variant: string; regressed: boolean; change: number | null }[];
}

/** The experiment's whole evaluation series, following the pages (small pages, so the paging is exercised). */
export async function evaluationsOf(stack: TestStack, experimentId: string): Promise<Evaluated[]> {
  const items: Evaluated[] = [];
  let cursor: string | null = null;
  do {
    const res: ApiResponse = await stack.request(
      'GET',
      `/api/v1/experiments/${experimentId}/evaluations?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`evaluations: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Posts events for `perVariant` units of each variant (picked by the experiment's own hash), units numbered from
 * `from`; a unit converts on a metric when `converts(key, i, metric)` says so (i: the unit's index in its variant).
 * Returns the conversions sent per variant and metric.
 */
export async function abTraffic(
  stack: TestStack,
  experiment: { id: string; variants: { key: string; weight: number }[] },
  options: {
    from: number;
    perVariant: number;
    converts: (key: string, i: number, metric: string) => boolean;
    metrics?: string[];
  },
): Promise<Record<string, Record<string, number>>> {
  const metrics = options.metrics ?? ['click'];
  const taken: Record<string, number> = Object.fromEntries(experiment.variants.map((v) => [v.key, 0]));
  const sent: Record<string, Record<string, number>> = Object.fromEntries(
    experiment.variants.map((v) => [v.key, Object.fromEntries(metrics.map((m) => [m, 0]))]),
  );
  const events = [];
  for (let i = options.from; Object.values(taken).some((n) => n < options.perVariant); i++) {
    const unit = `unit-${i}`;
    const key = assignVariant(experiment.id, unit, experiment.variants).key;
    if (taken[key] >= options.perVariant) continue;
    const n = taken[key]++;
    events.push({ eventId: `x-${unit}`, unit, type: 'exposure' });
    for (const metric of metrics)
      if (options.converts(key, n, metric)) {
        events.push({ eventId: `c-${metric}-${unit}`, unit, type: 'conversion', metric });
        sent[key][metric] += 1;
      }
  }
  for (let i = 0; i < events.length; i += 500) {
    const posted = await stack.request('POST', `/api/v1/experiments/${experiment.id}/events`, events.slice(i, i + 500));
    if (posted.status !== 200 || posted.body.duplicates !== 0)
      throw new Error(`events: ${posted.status} ${JSON.stringify(posted.body)}`);
  }
  return sent;
}
