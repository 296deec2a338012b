/** The report's writer when the model endpoint is down: the offline analyst writes it and every section says why. */
import { createServer } from 'node:net';
import { prepareReportBrand } from '../support/report-setup';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';

let stack: TestStack;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  stack = await startTestStack('report-model-down', {
    workers: ['main', 'browser'],
    env: {
      TEXT_PROVIDERS: 'openai,offline',
      OPENAI_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1`,
      OPENAI_API_KEY: 'sk-test',
      LLM_TIMEOUT_MS: '2000',
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

it('falls back to the offline writer and records the reason on every section', async () => {
  const { brand } = await prepareReportBrand(stack, { name: 'Aurora Offline' });
  const res = await stack.request('POST', '/api/v1/runs', { automation: 'brand-report', input: { brandId: brand.id } });
  expect(res.status).toBe(201);
  const done = await waitForRun(stack, res.body.id, (r) => r.status === 'completed', 120_000);
  const write = done.progress.steps.find((s: { name: string }) => s.name === 'write');
  expect(write.detail).toMatch(/fallback: openai/i);
  expect(write.provider).toBe('offline');
  const report = (await stack.request('GET', `/api/v1/brands/${brand.id}/reports`)).body.items[0];
  expect(report.status).toBe('ready');
  expect(report.providers.map((p: { section: string }) => p.section).sort()).toEqual([
    'recommendations',
    'summary',
    'swot',
  ]);
  for (const p of report.providers) {
    expect(p).toMatchObject({ provider: 'offline', inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(p.fallbackReason).toMatch(/^openai: /);
  }
});
