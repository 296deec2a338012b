/**
 * `npm run soak`: the chaos run's load (test/support/chaos-traffic.ts — signed deliveries and asynchronous run
 * requests for social posts and brand reports) held steady for `SOAK_MINUTES` (default 60) on a real API process and
 * a real worker process, with nothing killed. Every 10 s it samples the worker's resident memory (/proc/<pid>/status)
 * and its event-loop lag (the `worker_event_loop_lag_*` gauges on its Prometheus endpoint, workers/process-metrics.ts).
 *
 * Prints start / peak / end RSS and lag, and the goal check: peak RSS ≤ 600 MB, and no growth trend in the last half
 * (the least-squares line through the last half's RSS samples rises by less than 10 % of their mean across that
 * half). Then the chaos run's invariants for every run it started. Exits 1 when the goal or an invariant fails.
 */
import fs from 'node:fs';
import { Cleanup, preflight, startBenchEnvironment } from './environment';
import { freePort } from '../temporal/dev-server';
import { checkInvariants } from '../test/support/chaos-invariants';
import { startChaosStack } from '../test/support/chaos-stack';
import { prepareTraffic } from '../test/support/chaos-traffic';

const log = (line: string) => console.log(`› ${line}`);
const RSS_LIMIT_MB = 600;
const SAMPLE_MS = 10_000;

interface Sample {
  atS: number;
  rssMb: number;
  lagP99Ms: number | undefined;
  lagMaxMs: number | undefined;
  accepted: number;
}

function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** A gauge's value from a Prometheus text page, whatever prefix or unit suffix the exporter gave its name. */
function gauge(page: string, name: string): number | undefined {
  const line = page.split('\n').find((l) => !l.startsWith('#') && l.includes(name));
  const value = line ? Number(line.trim().split(/\s+/).at(-1)) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);
const fmt = (n: number | undefined, digits = 0) => (n === undefined ? 'n/a' : n.toFixed(digits));

async function main(): Promise<number> {
  const minutes = Number(process.env.SOAK_MINUTES ?? 60);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`SOAK_MINUTES must be a positive number`);
  const durationMs = minutes * 60_000;
  const cleanup = new Cleanup();
  try {
    const { chromiumPath } = preflight(process.env, { chromium: true });
    await startBenchEnvironment(cleanup, chromiumPath, log);
    const metricsPort = await freePort();
    const chaos = await startChaosStack('soak', {
      env: { CHROMIUM_PATH: chromiumPath },
      processEnv: { WORKER_METRICS_PORT: String(metricsPort) },
    });
    cleanup.add('soak stack', () => chaos.stop());
    const { processes } = chaos;
    const traffic = await prepareTraffic(chaos.stack, processes.base);
    const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    log(`load steady for ${minutes} min (load average ${loadBefore}); sampling the worker every ${SAMPLE_MS / 1000} s`);

    const began = Date.now();
    const samples: Sample[] = [];
    const sample = async () => {
      const page = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5_000) })
        .then((r) => r.text())
        .catch(() => '');
      const s: Sample = {
        atS: (Date.now() - began) / 1000,
        rssMb: rssOf(processes.worker().pid!),
        lagP99Ms: ms(gauge(page, 'worker_event_loop_lag_p99_seconds')),
        lagMaxMs: ms(gauge(page, 'worker_event_loop_lag_max_seconds')),
        accepted: traffic.accepted.size,
      };
      samples.push(s);
      if (samples.length % 6 === 1)
        log(`${fmt(s.atS)} s: RSS ${fmt(s.rssMb)} MB, lag p99 ${fmt(s.lagP99Ms, 1)} ms, ${s.accepted} accepted`);
    };
    const sampler = setInterval(() => void sample(), SAMPLE_MS);
    await sample();
    await traffic.run({ senders: 2, paceMs: 6_000, prefix: 'soak-', done: () => Date.now() - began >= durationMs });
    clearInterval(sampler);
    await sample();
    const loadAfter = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

    const accepted = [...traffic.accepted.values()];
    log(`${accepted.length} accepted (${traffic.retries()} retries); waiting for every run to finish`);
    const invariants = await checkInvariants(chaos, chaos.stack.client, accepted, 'soak-', 5 * 60_000, (...l) =>
      l.forEach((line) => log(`not completed: ${line}`)),
    );

    const rss = samples.map((s) => s.rssMb);
    const peak = Math.max(...rss);
    const lastHalf = samples.filter((s) => s.atS >= samples.at(-1)!.atS / 2);
    const mbPerHour = slope(lastHalf.map((s) => [s.atS / 3600, s.rssMb]));
    const halfMean = lastHalf.reduce((sum, s) => sum + s.rssMb, 0) / lastHalf.length;
    const halfHours = (lastHalf.at(-1)!.atS - lastHalf[0].atS) / 3600;
    const rise = mbPerHour * halfHours;
    const lags = samples.map((s) => s.lagP99Ms).filter((n): n is number => n !== undefined);
    const lagMax = Math.max(...samples.map((s) => s.lagMaxMs ?? 0));
    const byAutomation = accepted.reduce<Record<string, number>>(
      (m, a) => ({ ...m, [a.automation]: (m[a.automation] ?? 0) + 1 }),
      {},
    );

    const goalRss = peak <= RSS_LIMIT_MB;
    const goalTrend = rise < 0.1 * halfMean;
    console.log(`\nSoak — ${minutes} min, load average ${loadBefore} → ${loadAfter}`);
    console.log(
      `  accepted: ${Object.entries(byAutomation)
        .map(([a, n]) => `${n} ${a}`)
        .join(', ')}`,
    );
    console.log(`  samples: ${samples.length} (every ${SAMPLE_MS / 1000} s)`);
    console.log(`  worker RSS: start ${fmt(rss[0])} MB, peak ${fmt(peak)} MB, end ${fmt(rss.at(-1))} MB`);
    console.log(
      `  event-loop lag p99 per 5 s: start ${fmt(lags[0], 1)} ms, peak ${fmt(Math.max(...lags), 1)} ms, end ${fmt(lags.at(-1), 1)} ms; largest single delay ${fmt(lagMax, 1)} ms`,
    );
    console.log(`${goalRss ? 'ok  ' : 'FAIL'}  peak RSS ≤ ${RSS_LIMIT_MB} MB: ${fmt(peak)} MB`);
    console.log(
      `${goalTrend ? 'ok  ' : 'FAIL'}  no growth in the last half: ${fmt(mbPerHour, 1)} MB/h, +${fmt(rise, 1)} MB across it (limit ${fmt(0.1 * halfMean, 1)} MB, 10 % of its mean)`,
    );
    for (const i of invariants) console.log(`${i.ok ? 'ok  ' : 'FAIL'}  ${i.name}: ${i.actual} of ${i.expected}`);
    return goalRss && goalTrend && invariants.every((i) => i.ok) ? 0 : 1;
  } finally {
    for (const failure of await cleanup.runAll(30_000)) console.error(`teardown: ${failure}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
