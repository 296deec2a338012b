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
      LLM_TIMEOUT_MS: '5000',
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
