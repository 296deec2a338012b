/** Health, readiness (with task-queue pollers), metrics, the OpenAPI document, and live progress over SSE. */
import { startTestStack, waitFor, type TestStack } from '../support/harness';
import { sseEvents } from '../support/sse';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack('ops', { workers: [] });
});
afterAll(async () => {
  await stack?.stop();
});

async function readEvents(
  url: string,
  key: string,
  until: (events: { event: string; data: any }[]) => boolean,
  timeoutMs = 60_000,
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { event: string; data: any }[] = [];
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    for await (const event of sseEvents(res.body)) {
      events.push(event);
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('operations', () => {
  it('is live, and not ready while no worker polls its task queues', async () => {
    expect((await stack.request('GET', '/healthz', undefined, { key: null })).body).toEqual({ status: 'ok' });
    const notReady = await stack.request('GET', '/readyz', undefined, { key: null });
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ database: 'up', temporal: 'up', ready: false });
    expect(notReady.body.queues).toEqual([
      { name: `${stack.name}-main`, kind: 'main', pollers: 0 },
      { name: `${stack.name}-media`, kind: 'media', pollers: 0 },
      { name: `${stack.name}-browser`, kind: 'browser', pollers: 0 },
    ]);
    expect(notReady.body.errors).toContain(`No worker is polling the ${stack.name}-media task queue`);

    await stack.startWorkers();
    // A worker shows as a poller once its first poll reaches the server, a moment after it starts.
    const ready = await waitFor(
      'the API to report ready',
      async () => {
        const res = await stack.request('GET', '/readyz', undefined, { key: null });
        return res.status === 200 && res;
      },
      15_000,
      100,
    );
    expect(ready.body.ready).toBe(true);
    for (const q of ready.body.queues) expect(q.pollers).toBeGreaterThan(0);
    const status = await stack.request('GET', '/api/v1/system/status', undefined, { key: stack.keys.viewer });
    expect(status.body.ready).toBe(true);
  });

  it('streams a run’s progress as server-sent events until it ends', async () => {
    const brand = await stack.brand();
    const started = await stack.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: { brandId: brand.id, platform: 'tiktok', postType: 'trending', approval: { required: false } },
    });
    const events = await readEvents(
      `${stack.baseUrl}/api/v1/runs/${encodeURIComponent(started.body.id)}/events`,
      stack.keys.viewer,
      (e) => e.some((x) => x.event === 'end'),
    );
    const runs = events.filter((e) => e.event === 'run').map((e) => e.data);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs[runs.length - 1].status).toBe('completed');
    expect(runs[runs.length - 1].result.status).toBe('published');
    // TikTok defaults to the vertical story format.
    const image = runs[runs.length - 1].progress.steps.find((s: any) => s.name === 'render-image');
    expect(image.detail).toBe('1080×1920 PNG');
    expect(events[events.length - 1].event).toBe('end');
  });

  it('exposes Prometheus metrics', async () => {
    const res = await fetch(`${stack.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${stack.env.METRICS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('studioflow_http_request_duration_seconds_bucket');
    expect(text).toMatch(/studioflow_runs_started_total\{automation="social-post",source="api"\} [1-9]/);
  });

  it('serves an OpenAPI 3.1 document generated from the validation schemas', async () => {
    const res = await stack.request('GET', '/api/v1/openapi.json', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const input = res.body.components.schemas['social-post-input'];
    expect(input.properties.platform.enum).toEqual(['instagram', 'facebook', 'linkedin', 'x', 'tiktok']);
    expect(input.properties.postType.enum).toHaveLength(9);
    expect(input.required).toEqual(expect.arrayContaining(['brandId', 'platform', 'postType']));
    for (const p of [
      '/runs',
      '/runs/{id}',
      '/runs/{id}/approvals/{approvalId}',
      '/runs/{id}/cancel',
      '/hooks/{endpoint}',
      '/brands',
    ]) {
      expect(res.body.paths[p]).toBeDefined();
    }
  });

  it('answers unknown API routes with a problem document', async () => {
    const res = await stack.request('GET', '/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
