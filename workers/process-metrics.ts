/**
 * The worker process's own health on its Prometheus endpoint, beside the SDK's metrics: event-loop lag (p99 and max
 * over the last interval, from perf_hooks) and resident memory. A worker whose loop stalls misses heartbeats and
 * sticky-queue deadlines before anything else shows it; a growing RSS is a leak the soak run looks for.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricMeter } from '@temporalio/common';

/** Starts sampling every `intervalMs`; returns the stop. */
export function startProcessMetrics(meter: MetricMeter, intervalMs = 5_000): () => void {
  const lagP99 = meter.createGauge(
    'worker_event_loop_lag_p99_seconds',
    'float',
    's',
    'Event-loop delay, 99th percentile over the last interval',
  );
  const lagMax = meter.createGauge(
    'worker_event_loop_lag_max_seconds',
    'float',
    's',
    'Event-loop delay, largest over the last interval',
  );
  const rss = meter.createGauge(
    'worker_resident_memory_bytes',
    'int',
    'bytes',
    'Resident set size of the worker process',
  );
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    // The histogram is in nanoseconds.
    lagP99.set(histogram.percentile(99) / 1e9);
    lagMax.set(histogram.max / 1e9);
    rss.set(process.memoryUsage.rss());
    histogram.reset();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    histogram.disable();
  };
}
