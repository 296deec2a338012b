import { ApplicationFailure } from '@temporalio/common';
import { createOpenAiWriter, type OpenAiWriterOptions } from '../../activities/text/openai-writer';
import { type PostCopyRequest } from '../../activities/text/text-writer.port';
import { type PostCopy } from '../../lib/social';
import { FAKE_COPY, replies, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-compatible-server';

const API_KEY = 'sk-test-123';

const request: PostCopyRequest = {
  brand: {
    name: 'Bluebird Roasters',
    slogan: 'Coffee, done right',
    keywords: ['specialty coffee', 'fair trade'],
    voice: 'warm',
  },
  platform: 'x',
  postType: 'promotional',
  topic: 'our autumn blend',
};

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAI-compatible writer', () => {
  let server: FakeOpenAiServer;
  const writer = (extra: Partial<OpenAiWriterOptions> = {}) =>
    createOpenAiWriter({ baseUrl: server.baseUrl, apiKey: API_KEY, model: 'fake-gpt', timeoutMs: 2000, ...extra });

  beforeAll(async () => {
    server = await startFakeOpenAiServer({ apiKey: API_KEY, model: 'fake-gpt' });
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('parses valid copy and records model and token usage', async () => {
    server.enqueue({
      kind: 'copy',
      copy: FAKE_COPY,
      model: 'fake-gpt-2025',
      usage: { prompt_tokens: 321, completion_tokens: 87 },
    });
    const result = await writer().writePostCopy(request);

    expect(result).toEqual({
      value: FAKE_COPY,
      provider: 'openai',
      model: 'fake-gpt-2025',
      usage: { inputTokens: 321, outputTokens: 87 },
    });
    const [body] = server.chatRequests();
    expect(body.model).toBe('fake-gpt');
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[0].content).toContain('280 characters');
    expect(body.messages[1].content).toContain('Brand name: Bluebird Roasters');
    expect(body.messages[1].content).toContain('Topic: our autumn blend');
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('computes the cost when per-1k prices are configured', async () => {
    server.enqueue(replies.validCopy(FAKE_COPY, { prompt_tokens: 2000, completion_tokens: 500 }));
    const result = await writer({ inputCostPer1k: 0.15, outputCostPer1k: 0.6, name: 'groq' }).writePostCopy(request);
    expect(result.provider).toBe('groq');
    expect(result.usage).toEqual({ inputTokens: 2000, outputTokens: 500, costUsd: 0.6 });
  });

  it('normalises hashtags written with "#"', async () => {
    server.enqueue(replies.validCopy({ ...FAKE_COPY, hashtags: ['#AutumnBlend', ' #Coffee '] }));
    const result = await writer().writePostCopy(request);
    expect(result.value.hashtags).toEqual(['AutumnBlend', 'Coffee']);
  });

  it('accepts JSON wrapped in a code fence', async () => {
    server.enqueue({ kind: 'content', content: '```json\n' + JSON.stringify(FAKE_COPY) + '\n```' });
    await expect(writer().writePostCopy(request)).resolves.toMatchObject({ value: FAKE_COPY });
  });

  it('retries once with the problem fed back when the reply is garbage', async () => {
    server.enqueue(
      {
        ...replies.garbage('Sure! Here is a post about coffee.'),
        usage: { prompt_tokens: 100, completion_tokens: 10 },
      },
      replies.validCopy(FAKE_COPY, { prompt_tokens: 150, completion_tokens: 40 }),
    );
    const result = await writer().writePostCopy(request);

    expect(result.value).toEqual(FAKE_COPY);
    expect(result.usage).toEqual({ inputTokens: 250, outputTokens: 50 });
    const bodies = server.chatRequests();
    expect(bodies).toHaveLength(2);
    const retry = bodies[1].messages;
    expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2].content).toBe('Sure! Here is a post about coffee.');
    expect(retry[3].content).toMatch(/does not contain a JSON object/);
  });

  it('retries once when the copy breaks the platform rules', async () => {
    const tooLong: PostCopy = { ...FAKE_COPY, caption: 'Coffee '.repeat(60).trim() };
    server.enqueue(replies.validCopy(tooLong), replies.validCopy());
    const result = await writer().writePostCopy(request);

    expect(result.value).toEqual(FAKE_COPY);
    const feedback = server.chatRequests()[1].messages[3].content;
    expect(feedback).toMatch(/x allows 280/);
  });

  it('gives up after the second unusable reply', async () => {
    server.enqueue(replies.garbage(), { kind: 'content', content: '{"caption": ""}' });
    const failure = await failureOf(writer().writePostCopy(request));

    expect(failure.type).toBe('ProviderOutputInvalid');
    // The writer asked twice already; like the analyst and the script writer it lets the chain fall back.
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/caption/);
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('maps 401 to a non-retryable ProviderAuth failure without retrying', async () => {
    const failure = await failureOf(writer({ apiKey: 'sk-wrong' }).writePostCopy(request));

    expect(failure.type).toBe('ProviderAuth');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('401');
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('maps 429 to a retryable failure that honours Retry-After', async () => {
    server.enqueue(replies.rateLimited(7));
    const failure = await failureOf(writer().writePostCopy(request));

    expect(failure.type).toBe('RateLimited');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(7000);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('maps a 429 with an exhausted quota to QuotaExhausted', async () => {
    server.enqueue(replies.quotaExhausted());
    const failure = await failureOf(writer().writePostCopy(request));
    expect(failure.type).toBe('QuotaExhausted');
    expect(failure.nonRetryable).toBe(true);
  });

  it('maps 400 to a non-retryable InvalidInput failure', async () => {
    server.enqueue(replies.badRequest());
    const failure = await failureOf(writer().writePostCopy(request));
    expect(failure.type).toBe('InvalidInput');
    expect(failure.nonRetryable).toBe(true);
  });

  it('maps 5xx to a retryable ProviderUnavailable failure, attempted once', async () => {
    server.enqueue(replies.unavailable());
    const failure = await failureOf(writer().writePostCopy(request));
    expect(failure.type).toBe('ProviderUnavailable');
    expect(failure.nonRetryable).toBe(false);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('maps a timeout to ProviderUnavailable', async () => {
    server.enqueue(replies.slow(1500));
    const failure = await failureOf(writer({ timeoutMs: 200 }).writePostCopy(request));
    expect(failure.type).toBe('ProviderUnavailable');
    expect(failure.nonRetryable).toBe(false);
  });

  it('maps a content-filter stop to ContentRejected', async () => {
    server.enqueue({ kind: 'content', content: '', finishReason: 'content_filter' });
    const failure = await failureOf(writer().writePostCopy(request));
    expect(failure.type).toBe('ContentRejected');
    expect(failure.nonRetryable).toBe(true);
  });

  it('surfaces cancellation instead of a provider error', async () => {
    server.enqueue(replies.slow(1500));
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await expect(writer().writePostCopy(request, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('checks connectivity and credentials by listing models', async () => {
    await expect(writer().check()).resolves.toBeUndefined();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);

    const failure = await failureOf(writer({ apiKey: 'sk-wrong' }).check());
    expect(failure.type).toBe('ProviderAuth');
  });

  it('reports an endpoint that is down as ProviderUnavailable', async () => {
    const down = await startFakeOpenAiServer();
    await down.close();
    const offline = createOpenAiWriter({ baseUrl: down.baseUrl, model: 'fake-gpt', timeoutMs: 2000 });

    const failure = await failureOf(offline.writePostCopy(request));
    expect(failure.type).toBe('ProviderUnavailable');
    expect(failure.nonRetryable).toBe(false);
    expect((await failureOf(offline.check())).type).toBe('ProviderUnavailable');
  });
});
