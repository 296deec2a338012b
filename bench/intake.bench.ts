/**
 * Phase 8: durable intake. Signed webhook deliveries accepted per second (`POST /api/v1/hooks/:endpoint`: signature,
 * dedupe, mapping, input schema, prepare, the inbox row committed, 202) with `senders` senders — one endpoint each,
 * back to back — against the bare Temporal start rate (`client.workflow.start`, same workflow, arguments and
 * concurrency) on the same server, in rotating rounds. While the intake runs, the stack's dispatcher starts the runs
 * (the product as deployed); accepted→started lag (received_at → dispatched_at) and the drain rate are reported. A
 * third mode pauses the dispatcher: the intake alone, then the dispatcher alone draining that backlog.
 *
 * The deliveries are signed before a round starts (senders are other machines): what is timed is the server's work
 * and the HTTP round trip. No worker polls: the runs wait for an approval; they are terminated afterwards.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { Webhook } from 'standardwebhooks';
import { startTestStack, waitFor } from '../test/support/harness';
import { fixed, ms, percentile, table } from './report';
import { inParallel, rawStarter } from './start-throughput.bench';

export interface IntakeOptions {
  /** Deliveries per round, and bare starts per round. */
  count: number;
  senders: number;
  rounds: number;
  warmup: number;
  env: Record<string, string>;
}

interface Rate {
  perSecond: number;
  latencyMs: { p50: number; p99: number };
  rounds: number[];
}

export interface IntakeResult {
  count: number;
  senders: number;
  rounds: number;
  accepted: Rate;
  /** The same deliveries with the dispatcher paused: the intake alone. */
  acceptedAlone: Rate;
  raw: Rate;
  /** Accepted deliveries per second / bare starts per second. */
  ratio: number;
  roundRatios: number[];
  /** Runs the dispatcher started per second while draining a round's backlog (from the first accept). */
  drainedPerSecond: number[];
  /** Runs the dispatcher started per second from a paused dispatcher's backlog, nothing else running. */
  drainAlonePerSecond: number[];
  /** received_at → dispatched_at of the measured deliveries. */
  lagMs: { p50: number; p99: number; max: number };
  goal: { acceptedPerSecond: number; met: boolean };
}

const GOAL = 300;
const WAIT_FOR_APPROVAL = { required: true, timeoutSeconds: 24 * 3600, onTimeout: 'reject' } as const;

interface Signed {
  endpoint: string;
  headers: Record<string, string>;
  body: string;
}

export async function runIntake(options: IntakeOptions, log: (line: string) => void): Promise<IntakeResult> {
  const stack = await startTestStack('bench-intake', {
    workers: [],
    env: {
      ...options.env,
      // The bench measures the intake, not the per-endpoint flood guard.
      WEBHOOK_REQUESTS_PER_ENDPOINT_PER_MINUTE: '10000000',
      WEBHOOK_DISPATCH_POLL_MS: '200',
    },
  });
  const started: string[] = [];
  try {
    const brand = (await stack.brand()) as { id: string };
    const endpoints: { id: string; secret: string }[] = [];
    for (let i = 0; i < options.senders; i++) {
      const res = await stack.request('POST', '/api/v1/webhook-endpoints', {
        name: `Sender ${i + 1}`,
        automation: 'social-post',
        inputMapping: {
          brandId: brand.id,
          platform: 'instagram',
          postType: { from: '/kind' },
          approval: WAIT_FOR_APPROVAL,
        },
      });
      if (res.status !== 201)
        throw new Error(`creating an endpoint answered ${res.status}: ${JSON.stringify(res.body)}`);
      endpoints.push(res.body);
    }
    const signers = endpoints.map((e) => new Webhook(e.secret));
    const tag = randomUUID().slice(0, 8);

    /** `n` deliveries, spread round-robin over the senders' endpoints. */
    const sign = (round: string, n: number): Signed[][] => {
      const perSender: Signed[][] = endpoints.map(() => []);
      for (let i = 0; i < n; i++) {
        const s = i % endpoints.length;
        const id = `msg_${tag}_${round}_${i}`;
        const body = JSON.stringify({ kind: 'educational', n: i });
        perSender[s].push({
          endpoint: endpoints[s].id,
          body,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
            'webhook-signature': signers[s].sign(id, new Date(), body),
          },
        });
      }
      return perSender;
    };

    const deliverAll = async (batches: Signed[][], latencies: number[]) => {
      const began = performance.now();
      await Promise.all(
        batches.map(async (batch) => {
          for (const d of batch) {
            const t = performance.now();
            const res = await fetch(`${stack.baseUrl}/api/v1/hooks/${d.endpoint}`, {
              method: 'POST',
              headers: d.headers,
              body: d.body,
            });
            const body = (await res.json()) as { runId?: string };
            if (res.status !== 202) throw new Error(`a delivery answered ${res.status}: ${JSON.stringify(body)}`);
            started.push(body.runId!);
            latencies.push(performance.now() - t);
          }
        }),
      );
      return performance.now() - began;
    };

    // The same start the API makes (arguments, search attributes, memo, id policies), straight through the SDK.
    const startOne = rawStarter(stack, brand.id);
    const startRaw = async (round: string, n: number, latencies: number[]) => {
      const began = performance.now();
      await inParallel(n, options.senders, async (i) => {
        const workflowId = `social-post/${brand.id}/bench-intake-raw-${tag}-${round}-${i}`;
        const t = performance.now();
        await startOne(workflowId);
        latencies.push(performance.now() - t);
        started.push(workflowId);
      });
      return performance.now() - began;
    };

    const pendingCount = async () =>
      (
        await stack.db.sequelize.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE workspace_id = :ws AND state = 'pending'`,
          { replacements: { ws: stack.workspaceId }, type: QueryTypes.SELECT },
        )
      )[0].n;
    const drained = async () => {
      await waitFor('the inbox drained', async () => (await pendingCount()) === 0, 600_000, 100);
    };

    if (options.warmup > 0) {
      log(`warming up: ${options.warmup} deliveries and ${options.warmup} bare starts`);
      await deliverAll(sign('warm', options.warmup), []);
      await drained();
      await startRaw('warm', options.warmup, []);
    }

    const accepted = { rounds: [] as number[], latencies: [] as number[], ms: 0 };
    const alone = { rounds: [] as number[], latencies: [] as number[], ms: 0 };
    const raw = { rounds: [] as number[], latencies: [] as number[], ms: 0 };
    const drainedPerSecond: number[] = [];
    const drainAlonePerSecond: number[] = [];
    const dispatcher = stack.server.services.dispatcher;
    for (let round = 0; round < options.rounds; round++) {
      const signed = sign(`r${round}`, options.count);
      // The intake with the dispatcher paused (nothing else asks Temporal meanwhile), then the dispatcher alone.
      const intakeAlone = async () => {
        const batches = sign(`a${round}`, options.count);
        await dispatcher.stop();
        const elapsed = await deliverAll(batches, alone.latencies);
        alone.rounds.push((options.count * 1000) / elapsed);
        alone.ms += elapsed;
        const began = performance.now();
        dispatcher.start();
        await drained();
        drainAlonePerSecond.push((options.count * 1000) / (performance.now() - began));
        log(
          `round ${round + 1}/${options.rounds} intake, dispatcher paused: ${options.count} accepted in ${Math.round(elapsed)} ms`,
        );
      };
      const intake = async () => {
        const began = performance.now();
        const elapsed = await deliverAll(signed, accepted.latencies);
        await drained();
        drainedPerSecond.push((options.count * 1000) / (performance.now() - began));
        accepted.rounds.push((options.count * 1000) / elapsed);
        accepted.ms += elapsed;
        log(`round ${round + 1}/${options.rounds} intake: ${options.count} accepted in ${Math.round(elapsed)} ms`);
      };
      const bare = async () => {
        const elapsed = await startRaw(`r${round}`, options.count, raw.latencies);
        raw.rounds.push((options.count * 1000) / elapsed);
        raw.ms += elapsed;
        log(`round ${round + 1}/${options.rounds} raw: ${options.count} starts in ${Math.round(elapsed)} ms`);
      };
      const modes = [intake, bare, intakeAlone];
      // Rotate which goes first, so drift on the machine weighs on each alike.
      for (let m = 0; m < modes.length; m++) await modes[(m + round) % modes.length]();
    }

    const [lag] = await stack.db.sequelize.query<{ p50: number; p99: number; max: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY l) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY l) AS p99,
              max(l) AS max
         FROM (SELECT extract(epoch FROM dispatched_at - received_at) * 1000 AS l FROM webhook_deliveries
                WHERE workspace_id = :ws AND delivery_id LIKE :measured) x`,
      { replacements: { ws: stack.workspaceId, measured: `msg_${tag}_r%` }, type: QueryTypes.SELECT },
    );
    const rate = (r: typeof accepted): Rate => ({
      perSecond: (options.count * options.rounds * 1000) / r.ms,
      latencyMs: { p50: percentile(r.latencies, 0.5), p99: percentile(r.latencies, 0.99) },
      rounds: r.rounds,
    });
    const acceptedRate = rate(accepted);
    return {
      count: options.count,
      senders: options.senders,
      rounds: options.rounds,
      accepted: acceptedRate,
      acceptedAlone: rate(alone),
      raw: rate(raw),
      ratio: acceptedRate.perSecond / rate(raw).perSecond,
      roundRatios: accepted.rounds.map((a, i) => a / raw.rounds[i]),
      drainedPerSecond,
      drainAlonePerSecond,
      lagMs: { p50: Number(lag.p50), p99: Number(lag.p99), max: Number(lag.max) },
      goal: { acceptedPerSecond: GOAL, met: acceptedRate.perSecond >= GOAL },
    };
  } finally {
    log(`terminating the ${started.length} started workflows`);
    await inParallel(started.length, 16, async (i) => {
      await stack.client.workflow
        .getHandle(started[i])
        .terminate('benchmark clean-up')
        .catch(() => undefined);
    });
    await stack.stop();
  }
}

export function printIntake(r: IntakeResult): void {
  console.log(
    `\nDurable intake — ${r.count} signed deliveries per round from ${r.senders} senders (one endpoint each, back to back), ` +
      `${r.rounds} alternating rounds against ${r.count} bare starts at ${r.senders} in flight`,
  );
  const row = (label: string, m: Rate) => [
    label,
    fixed(m.perSecond),
    m.rounds.map((x) => fixed(x, 0)).join(' / '),
    ms(m.latencyMs.p50),
    ms(m.latencyMs.p99),
  ];
  console.log(
    table(
      ['<mode', 'per second', 'per round', 'p50', 'p99'],
      [
        row('accepted  POST /api/v1/hooks/:id', r.accepted),
        row('accepted, dispatcher paused', r.acceptedAlone),
        row('raw  client.workflow.start', r.raw),
      ],
    ),
  );
  console.log(
    `ratio accepted/raw: ${fixed(r.ratio, 2)} (per round ${r.roundRatios.map((x) => fixed(x, 2)).join(' / ')}); ` +
      `accepted ${fixed(r.accepted.perSecond, 0)}/s against the goal of ${r.goal.acceptedPerSecond}/s: ${r.goal.met ? 'met' : 'NOT met'}`,
  );
  console.log(
    `dispatcher: ${r.drainedPerSecond.map((x) => fixed(x, 0)).join(' / ')} started/s per round (first accept → inbox empty); ` +
      `alone from a backlog ${r.drainAlonePerSecond.map((x) => fixed(x, 0)).join(' / ')} started/s; ` +
      `accepted→started lag p50 ${ms(r.lagMs.p50)}, p99 ${ms(r.lagMs.p99)}, max ${ms(r.lagMs.max)} (a burst: the backlog waits its turn)`,
  );
}
