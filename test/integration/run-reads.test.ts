/**
 * Reads that do not grow with the number of viewers (issue 16): a closed run's final detail is kept once in PostgreSQL
 * and served without Temporal, to its own workspace only; the viewers of a running run share one poll loop.
 */
import type { Client } from '@temporalio/client';
import { QueryTypes } from 'sequelize';
import { createRunSnapshotRepository } from '../../db/repositories/run-snapshot.repository';
import { createRunService } from '../../api/services/run.service';
import { startTestStack, waitFor, type TestStack } from '../support/harness';
import { sseEvents, type SseEvent } from '../support/sse';

let a: TestStack;
let b: TestStack;
let brand: { id: string };
const enc = encodeURIComponent;

beforeAll(async () => {
  a = await startTestStack('reads-a', { workers: ['main', 'browser'] });
  b = await startTestStack('reads-b', { workers: [] });
  brand = await a.brand();
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

/** The real client, counting the runs it is asked about (describe, query, result all start from a handle). */
function countingClient(client: Client) {
  const calls = { handles: 0 };
  const workflow = new Proxy(client.workflow, {
    get(target, prop, receiver) {
      if (prop === 'getHandle')
        return (...args: Parameters<Client['workflow']['getHandle']>) => {
          calls.handles += 1;
          return target.getHandle(...args);
        };
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return {
    client: new Proxy(client, { get: (t, p, r) => (p === 'workflow' ? workflow : Reflect.get(t, p, r)) }),
    calls,
  };
}

/** A run service of its own: what another API process (or this one after a restart) would build. */
function freshRunService(
  stack: TestStack,
  client: Client,
  timing: { queryTimeoutMs?: number; watchIntervalMs?: number } = {},
) {
  return createRunService({
    client,
    ...timing,
    namespace: stack.config.temporal.namespace,
    taskQueue: stack.config.temporal.taskQueues.main,
    temporalUiUrl: stack.config.temporal.uiUrl,
    automations: stack.server.services.automations,
    snapshots: createRunSnapshotRepository(stack.db),
  });
}

const principalOf = (stack: TestStack) => ({
  workspaceId: stack.workspaceId,
  role: 'admin' as const,
  kind: 'apiKey' as const,
  id: 'test',
  name: 'test',
});

describe('closed runs', () => {
  let runId: string;

  beforeAll(async () => {
    const started = await a.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: { brandId: brand.id, platform: 'instagram', postType: 'educational', approval: { required: false } },
    });
    expect(started.status).toBe(201);
    runId = started.body.id;
    // Closed, as Temporal knows it; nothing has read it through the API yet.
    await a.client.workflow.getHandle(runId).result();
  });

  it('is read from Temporal once, then from its snapshot even with no worker left', async () => {
    const first = countingClient(a.client);
    const detail = await freshRunService(a, first.client).get(principalOf(a), runId);
    expect(detail.status).toBe('completed');
    expect(detail.progress?.steps.find((s) => s.name === 'publish')?.status).toBe('done');
    expect((detail.result as { postId?: string }).postId).toEqual(expect.any(String));
    expect(first.calls.handles).toBeGreaterThan(0);

    const rows = await a.db.sequelize.query<{ workspace_id: string; run_id: string }>(
      'SELECT workspace_id, run_id FROM run_snapshots WHERE workflow_id = :runId',
      { replacements: { runId }, type: QueryTypes.SELECT },
    );
    expect(rows).toEqual([{ workspace_id: a.workspaceId, run_id: detail.runId }]);

    // No worker could answer a progress query now: the full detail still comes back, without asking Temporal.
    await a.stopWorkers();
    const second = countingClient(a.client);
    const again = await freshRunService(a, second.client).get(principalOf(a), runId);
    expect(second.calls.handles).toBe(0);
    expect(again).toEqual(detail);

    const viaApi = await a.request('GET', `/api/v1/runs/${enc(runId)}`);
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.progress.steps).toEqual(JSON.parse(JSON.stringify(detail.progress!.steps)));
    expect(viaApi.body.result).toEqual(detail.result);
  });

  it('is a 404 for another workspace, from the snapshot as from Temporal', async () => {
    const res = await b.request('GET', `/api/v1/runs/${enc(runId)}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toHaveProperty('progress');
    expect(res.body).not.toHaveProperty('result');
    expect((await b.request('GET', `/api/v1/runs/${enc(runId)}/events`)).status).toBe(404);
    await expect(freshRunService(b, b.client).get(principalOf(b), runId)).rejects.toMatchObject({ status: 404 });
  });

  it('ends its event stream at once with the kept detail', async () => {
    const res = await fetch(`${a.baseUrl}/api/v1/runs/${enc(runId)}/events`, {
      headers: { authorization: `Bearer ${a.keys.viewer}` },
    });
    const events: SseEvent[] = [];
    for await (const event of sseEvents(res.body)) events.push(event);
    expect(events.map((e) => e.event)).toEqual(['run', 'end']);
    expect(events[0].data.status).toBe('completed');
    expect(events[0].data.progress.steps.length).toBeGreaterThan(0);
  });
});

describe('running runs', () => {
  it('two viewers of one run share one poll loop', async () => {
    // No worker polls b's queues: the run stays running.
    const bBrand = await b.brand();
    const started = await b.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: { brandId: bBrand.id, platform: 'x', postType: 'tips' },
    });
    expect(started.status).toBe(201);
    const controllers = [new AbortController(), new AbortController()];
    const seen: SseEvent[][] = [[], []];
    try {
      const streams = controllers.map(async (controller, i) => {
        const res = await fetch(`${b.baseUrl}/api/v1/runs/${enc(started.body.id)}/events`, {
          headers: { authorization: `Bearer ${b.keys.viewer}` },
          signal: controller.signal,
        });
        for await (const event of sseEvents(res.body)) seen[i].push(event);
      });
      await waitFor('both viewers see the run', async () => seen.every((s) => s.some((e) => e.event === 'run')));
      expect(b.server.services.runs.watchStats().pollLoops).toBe(1);
      expect(seen[0][0].data.status).toBe('running');
      // The other workspace cannot join it.
      expect((await a.request('GET', `/api/v1/runs/${enc(started.body.id)}/events`)).status).toBe(404);
      controllers.forEach((c) => c.abort());
      await Promise.allSettled(streams);
      await waitFor('the loop to stop', async () => b.server.services.runs.watchStats().pollLoops === 0, 10_000);
    } finally {
      controllers.forEach((c) => c.abort());
      await b.client.workflow.getHandle(started.body.id).terminate('test over');
    }
  });
});

describe('a running run whose worker does not answer', () => {
  it('keeps its last reading, approval included, and asks again on the next read', async () => {
    await a.startWorkers(['main', 'browser']);
    const started = await a.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: { brandId: brand.id, platform: 'x', postType: 'tips', approval: { required: true, timeoutSeconds: 600 } },
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const counted = countingClient(a.client);
    // Every read goes to Temporal (no 1 s reuse of the last load), and a query is given up after 3 s.
    const service = freshRunService(a, counted.client, { queryTimeoutMs: 3_000, watchIntervalMs: 1 });
    /** Handles a read took: 1 is the describe alone, 2 the describe and the progress query. */
    const read = async () => {
      await new Promise((resolve) => setTimeout(resolve, 10)); // older than the watch's 1 ms: loaded again
      const before = counted.calls.handles;
      const detail = await service.get(principalOf(a), id);
      return { detail, handles: counted.calls.handles - before };
    };
    try {
      const waiting = await waitFor('the approval', async () => {
        const { detail } = await read();
        return detail.progress?.approvals.length ? detail : undefined;
      });
      // No worker now, and the history grows (a signal), so the progress is asked for again: it goes unanswered.
      await a.stopWorkers();
      await a.client.workflow.getHandle(id).signal('nudge');
      const unanswered = await read();
      expect(unanswered.handles).toBe(2);
      expect(unanswered.detail.status).toBe('running');
      expect(unanswered.detail.progress?.approvals).toEqual(waiting.progress!.approvals);
      // A service that never read the run has nothing to keep: it comes back without progress.
      const stranger = freshRunService(a, a.client, { queryTimeoutMs: 1_000 });
      expect((await stranger.get(principalOf(a), id)).progress).toBeNull();
      // The kept reading is not taken for an answer: the next read asks the worker again (and keeps it again).
      const again = await read();
      expect(again.handles).toBe(2);
      expect(again.detail.progress?.approvals).toEqual(waiting.progress!.approvals);
      // With a worker back, a reading comes in, and once the history stops growing reads describe the run only.
      await a.startWorkers(['main', 'browser']);
      await waitFor('a read that needs no query', async () => (await read()).handles === 1);
      expect((await read()).detail.progress!.approvals[0].id).toBe(waiting.progress!.approvals[0].id);
    } finally {
      await a.client.workflow.getHandle(id).terminate('test over');
      await a.stopWorkers();
    }
  });
});
