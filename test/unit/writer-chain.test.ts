import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createOfflineWriter } from '../../activities/text/offline-writer';
import { createOpenAiWriter } from '../../activities/text/openai-writer';
import { createTextActivities, type GeneratedCopy } from '../../activities/text/text.activities';
import { type PostCopyRequest, type TextWriter } from '../../activities/text/text-writer.port';
import { createTextWritersFromConfig, createWriterChain } from '../../activities/text/writer-chain';
import { checkPostCopy } from '../../lib/social';
import { FAKE_COPY, replies, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-compatible-server';
import { recordingLogger } from '../support/recording-logger';

const request: PostCopyRequest = {
  brand: { name: 'Bluebird Roasters', keywords: ['specialty coffee', 'fair trade'] },
  platform: 'instagram',
  postType: 'engagement',
};

/** A writer that always fails the way a provider would. */
function failingWriter(name: string, failure: Error): TextWriter & { calls: number } {
  const writer = {
    name,
    calls: 0,
    async writePostCopy(): Promise<never> {
      writer.calls += 1;
      throw failure;
    },
    async check(): Promise<void> {
      throw failure;
    },
  };
  return writer;
}

describe('writer chain', () => {
  let server: FakeOpenAiServer;
  let downUrl: string;
  const openai = (baseUrl: string) => createOpenAiWriter({ baseUrl, apiKey: 'sk', model: 'fake-gpt', timeoutMs: 2000 });

  beforeAll(async () => {
    server = await startFakeOpenAiServer({ model: 'fake-gpt' });
    const down = await startFakeOpenAiServer();
    await down.close();
    downUrl = down.baseUrl;
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('uses the first provider when it succeeds, with no fallbacks', async () => {
    const chain = createWriterChain([openai(server.baseUrl), createOfflineWriter()]);
    const result = await chain.writePostCopy(request);

    expect(result.provider).toBe('openai');
    expect(result.model).toBe('fake-gpt');
    expect(result.value).toEqual(FAKE_COPY);
    expect(result.fallbacks).toEqual([]);
  });

  it('falls back to offline when the endpoint is down and records why', async () => {
    const chain = createWriterChain([openai(downUrl)]);
    const result = await chain.writePostCopy(request);

    expect(result.provider).toBe('offline');
    expect(checkPostCopy(result.value, 'instagram')).toEqual([]);
    expect(result.fallbacks).toEqual([
      { provider: 'openai', error: expect.stringMatching(/^ProviderUnavailable: Connection error/) },
    ]);
  });

  it('falls back on a rejected API key and on a model that keeps replying garbage', async () => {
    const auth = failingWriter('primary', ApplicationFailure.nonRetryable('bad key', 'ProviderAuth'));
    server.setDefault(replies.garbage());
    const chain = createWriterChain([auth, openai(server.baseUrl)]);
    const result = await chain.writePostCopy(request);

    expect(result.provider).toBe('offline');
    expect(result.fallbacks?.map((f) => f.provider)).toEqual(['primary', 'openai']);
    expect(result.fallbacks?.[0].error).toBe('ProviderAuth: bad key');
    expect(result.fallbacks?.[1].error).toMatch(/^ProviderOutputInvalid:/);
  });

  it.each(['InvalidInput', 'ContentRejected'])('does not fall back on %s', async (type) => {
    const failure = ApplicationFailure.nonRetryable('no', type);
    const primary = failingWriter('primary', failure);
    const chain = createWriterChain([primary]);

    await expect(chain.writePostCopy(request)).rejects.toBe(failure);
    expect(primary.calls).toBe(1);
  });

  it('does not fall back once the activity is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const failure = ApplicationFailure.retryable('aborted', 'ProviderUnavailable');
    const chain = createWriterChain([failingWriter('primary', failure)]);

    await expect(chain.writePostCopy(request, { signal: controller.signal })).rejects.toBe(failure);
  });

  it('always ends with the offline writer', () => {
    expect(createWriterChain([openai(downUrl)]).name).toBe('openai>offline');
    expect(createWriterChain([]).name).toBe('offline');
    expect(() => createWriterChain([createOfflineWriter(), openai(downUrl)])).toThrow(
      /offline text writer must be last/,
    );
  });

  it('reports each provider check without throwing, and throws from check() when one fails', async () => {
    const chain = createWriterChain([openai(downUrl)]);
    await expect(chain.checkEach()).resolves.toEqual([
      { provider: 'openai', ok: false, error: expect.stringMatching(/^ProviderUnavailable:/) },
      { provider: 'offline', ok: true },
    ]);
    await expect(chain.check()).rejects.toThrow(/Text providers failed their check: openai/);
    await expect(createWriterChain([openai(server.baseUrl)]).check()).resolves.toBeUndefined();
  });
});

describe('createTextWritersFromConfig', () => {
  const openai = { baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-4o-mini', timeoutMs: 1000 };

  it('builds the chain in the configured order with offline last', () => {
    expect(createTextWritersFromConfig({ providers: ['openai', 'offline'], openai }).name).toBe('openai>offline');
    expect(createTextWritersFromConfig({ providers: ['openai'], openai }).name).toBe('openai>offline');
    expect(createTextWritersFromConfig({ providers: ['offline'] }).name).toBe('offline');
    expect(createTextWritersFromConfig({ providers: [] }).name).toBe('offline');
  });

  it('fails at boot on an unknown provider name', () => {
    expect(() => createTextWritersFromConfig({ providers: ['openai', 'gemini'], openai })).toThrow(
      'Unknown text provider "gemini"; known providers: openai, offline',
    );
  });

  it('fails at boot on missing settings, duplicates and a misplaced offline', () => {
    expect(() => createTextWritersFromConfig({ providers: ['openai'] })).toThrow(/settings .* are missing/);
    expect(() => createTextWritersFromConfig({ providers: ['openai', 'openai'], openai })).toThrow(/listed twice/);
    expect(() => createTextWritersFromConfig({ providers: ['offline', 'openai'], openai })).toThrow(/must be last/);
  });
});

describe('text activities', () => {
  it('generatePostCopy returns the copy, the provider used and the fallbacks, and logs them', async () => {
    const down = failingWriter('openai', ApplicationFailure.retryable('503 overloaded', 'ProviderUnavailable'));
    const { generatePostCopy } = createTextActivities({ writer: createWriterChain([down]) });
    const logger = recordingLogger();
    const result: GeneratedCopy = await new MockActivityEnvironment(undefined, { logger }).run(
      generatePostCopy,
      request,
    );

    expect(result.provider).toBe('offline');
    expect(checkPostCopy(result.copy, 'instagram')).toEqual([]);
    expect(result.fallbacks).toEqual([{ provider: 'openai', error: 'ProviderUnavailable: 503 overloaded' }]);
    const messages = logger.lines.map((l) => [l.level, l.message, l.meta?.provider]);
    expect(messages).toEqual(
      expect.arrayContaining([
        ['WARN', 'Text provider skipped', 'openai'],
        ['INFO', 'Post copy generated', 'offline'],
      ]),
    );
  });

  it('passes the activity cancellation signal to the writer', async () => {
    let seen: AbortSignal | undefined;
    const spy: TextWriter = {
      name: 'spy',
      async writePostCopy(_req, opts) {
        seen = opts?.signal;
        return { value: FAKE_COPY, provider: 'spy' };
      },
      async check() {},
    };
    const env = new MockActivityEnvironment(undefined, { logger: recordingLogger() });
    const result: GeneratedCopy = await env.run(createTextActivities({ writer: spy }).generatePostCopy, request);

    expect(seen).toBeInstanceOf(AbortSignal);
    expect(result).toEqual({ copy: FAKE_COPY, provider: 'spy', model: undefined, usage: undefined, fallbacks: [] });
  });
});
