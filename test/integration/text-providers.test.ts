/**
 * The social post with an OpenAI-compatible model configured (a local server speaking the
 * chat-completions shape): the model writes the copy, and when it is down the run falls back
 * to the offline writer and says so in its progress.
 */
import { replies, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-compatible-server';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';

let llm: FakeOpenAiServer;
let stack: TestStack;
let brand: { id: string; name: string };

const start = (platform = 'instagram') =>
  stack.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: {
      brandId: brand.id,
      platform,
      postType: 'promotional',
      topic: 'autumn blend',
      approval: { required: false },
    },
  });

beforeAll(async () => {
  llm = await startFakeOpenAiServer({ apiKey: 'sk-test', model: 'fake-gpt' });
  stack = await startTestStack('llm', {
    workers: ['main', 'browser'],
    env: {
      TEXT_PROVIDERS: 'openai,offline',
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_MODEL: 'fake-gpt',
      // Longer than the slow reply below: only a cancel may end that request early.
      LLM_TIMEOUT_MS: '30000',
    },
  });
  brand = await stack.brand({ name: 'Bluebird Roasters' });
});
afterAll(async () => {
  await stack?.stop();
  await llm?.close().catch(() => undefined);
});

it('writes the copy with the configured model and records the provider', async () => {
  llm.enqueue(replies.validCopy());
  const started = await start();
  const done = await waitForRun(stack, started.body.id, (r) => r.status === 'completed');
  expect(done.result.writtenBy).toBe('openai');
  expect(done.result.copy.caption).toContain('autumn blend is here');
  const write = done.progress.steps.find((s: any) => s.name === 'write-copy');
  expect(write.provider).toBe('openai:fake-gpt');
  const request = llm.chatRequests()[0];
  expect(request.model).toBe('fake-gpt');
  expect(JSON.stringify(request.messages)).toContain('Bluebird Roasters');
});

it('a cancel reaches a model call in seconds: the request is abandoned, not waited for', async () => {
  llm.enqueue(replies.slow(25_000));
  const before = llm.chatRequests().length;
  const started = await start('linkedin');
  const id = encodeURIComponent(started.body.id);
  const asked = Date.now();
  while (llm.chatRequests().length === before) {
    if (Date.now() - asked > 30_000) throw new Error('The model was never asked');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cancelledAt = Date.now();
  expect((await stack.request('POST', `/api/v1/runs/${id}/cancel`)).status).toBe(202);
  await waitForRun(stack, started.body.id, (r) => r.status === 'cancelled', 15_000);
  // The activity heartbeats while the model writes, so the cancel reaches it and aborts the HTTP call, well within
  // the llm preset's 20 s heartbeat timeout and long before the reply (25 s) or the attempt's timeout would end it.
  while (llm.abandoned.length === 0 && Date.now() - cancelledAt < 20_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(llm.abandoned).toHaveLength(1);
  expect(llm.abandoned[0] - cancelledAt).toBeLessThan(10_000);
});

it('falls back to the offline writer when the model endpoint is down, and says why', async () => {
  await llm.close();
  const started = await start('x');
  const done = await waitForRun(stack, started.body.id, (r) => r.status === 'completed');
  expect(done.result.writtenBy).toBe('offline');
  const write = done.progress.steps.find((s: any) => s.name === 'write-copy');
  expect(write.provider).toBe('offline');
  expect(write.detail).toMatch(/^Written by offline after: openai failed/);
  expect(done.result.copy.caption).toContain('Bluebird Roasters');
});
