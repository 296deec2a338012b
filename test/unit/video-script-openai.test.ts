/**
 * The model-backed script writer, the fallback chain and the activities, against a local OpenAI-compatible server
 * (test/fakes/openai-compatible-server.ts): no network, scripted replies, every request recorded.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { writeOfflineMetadata, writeOfflineScript } from '../../activities/script/offline-script-writer';
import { createOpenAiScriptWriter, type OpenAiScriptWriterOptions } from '../../activities/script/openai-script-writer';
import { createScriptWriterFromConfig } from '../../activities/script/providers';
import { createScriptActivities } from '../../activities/script/script.activities';
import { createScriptWriterChain } from '../../activities/script/script-chain';
import {
  type MetadataRequest,
  type ScriptRequest,
  type ScriptWriter,
  type WrittenMetadata,
} from '../../activities/script/script-writer.port';
import { checkMetadata, checkScript } from '../../lib/video/script-rules';
import { type VideoBrand } from '../../lib/video/types';
import { replies, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-compatible-server';
import { recordingLogger } from '../support/recording-logger';

const API_KEY = 'sk-test-123';
const PRICING = { inputPerMTok: 0.15, outputPerMTok: 0.6 };

const BRAND: VideoBrand = {
  id: '6f1c2a1e-0b7e-4a35-9d5f-2f3f1f6d8c11',
  name: 'Bluebird Roasters',
  slug: 'bluebird-roasters',
  slogan: 'Roasted with care, shared with joy',
  mission: 'We help people brew better coffee at home.',
  category: 'Coffee roaster',
  keywords: ['specialty coffee', 'fresh roasting'],
  colors: { primary: '#1d3557', secondary: '#f1faee' },
  fontFamily: null,
  logoDataUrl: null,
};

const REQUEST: ScriptRequest = {
  brand: BRAND,
  brief: {
    topic: 'How to brew better coffee at home',
    audience: 'home baristas',
    tone: 'friendly, expert',
    language: 'en',
    callToAction: 'Visit our shop',
  },
  format: 'vertical',
  targetSeconds: 30,
  wordsPerMinute: 160,
  language: 'en',
};

const sentence = (n: number, word: string) => `${Array.from({ length: n }, () => word).join(' ')}.`;

/** What a model replies: five scenes of 16 words, 80 words in all, 30 s at 160 words per minute. */
function modelScript(overrides: { scenes?: unknown[]; title?: string } = {}) {
  return {
    title: 'Better coffee at home',
    scenes: ['Hook', 'Problem', 'Grind fresh', 'Why Bluebird', 'Visit our shop'].map((headline, i) => ({
      narration: sentence(16, ['brew', 'grind', 'pour', 'taste', 'visit'][i]),
      onScreenText: headline,
      visual: `Frame ${i + 1}: a close-up of the ${headline.toLowerCase()} moment.`,
    })),
    ...overrides,
  };
}

const META_REQUEST = (): MetadataRequest => ({
  brand: BRAND,
  brief: REQUEST.brief,
  script: writeOfflineScript(REQUEST),
  platforms: ['youtube', 'x', 'instagram'],
});

function modelMetadata(xDescription = 'Three habits for better coffee at home. Visit our shop.') {
  return {
    items: [
      { platform: 'instagram', title: 'Better coffee', description: 'Brew better at home.', hashtags: ['#Coffee'] },
      {
        platform: 'youtube',
        title: 'Better coffee at home',
        description: 'All you need.',
        hashtags: ['Coffee', 'HomeBarista'],
      },
      { platform: 'x', title: 'Better coffee', description: xDescription, hashtags: ['# Coffee'] },
    ],
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAI-compatible script writer', () => {
  let server: FakeOpenAiServer;
  let downUrl: string;
  const writer = (extra: Partial<OpenAiScriptWriterOptions> = {}) =>
    createOpenAiScriptWriter({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      model: 'fake-gpt',
      timeoutMs: 2000,
      pricing: PRICING,
      ...extra,
    });
  const chain = (extra: Partial<OpenAiScriptWriterOptions> = {}) => createScriptWriterChain([writer(extra)]);

  beforeAll(async () => {
    server = await startFakeOpenAiServer({ apiKey: API_KEY, model: 'fake-gpt' });
    const down = await startFakeOpenAiServer();
    await down.close();
    downUrl = down.baseUrl;
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  describe('script', () => {
    it('uses a good reply: the scenes planned at the rate, with provider, model, tokens and cost', async () => {
      server.enqueue({
        kind: 'json',
        value: modelScript(),
        model: 'fake-gpt-2025',
        usage: { prompt_tokens: 1200, completion_tokens: 600 },
      });
      const written = await writer().writeScript(REQUEST);

      expect(written).toMatchObject({
        provider: 'openai',
        model: 'fake-gpt-2025',
        inputTokens: 1200,
        outputTokens: 600,
      });
      expect(written.costUsd).toBeCloseTo((1200 * 0.15 + 600 * 0.6) / 1e6, 10);
      expect(written.script.title).toBe('Better coffee at home');
      expect(written.script.scenes.map((s) => [s.index, s.onScreenText, s.plannedSeconds])).toEqual([
        [0, 'Hook', 6],
        [1, 'Problem', 6],
        [2, 'Grind fresh', 6],
        [3, 'Why Bluebird', 6],
        [4, 'Visit our shop', 6],
      ]);
      expect(written.script).toMatchObject({ plannedSeconds: 30, wordsPerMinute: 160 });
      expect(checkScript(written.script, { targetSeconds: 30 })).toEqual([]);
    });

    it('asks in JSON mode for the words that fit the length at the rate, in the brief’s language', async () => {
      server.enqueue(replies.json(modelScript({ scenes: modelScript().scenes })));
      await writer().writeScript({ ...REQUEST, language: 'it' });

      const [body] = server.chatRequests();
      expect(body.model).toBe('fake-gpt');
      expect(body.response_format).toEqual({ type: 'json_object' });
      expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
      const system = body.messages[0].content;
      expect(system).toContain('vertical 1080×1920 video of about 30 seconds');
      expect(system).toContain('160 words per minute');
      // 30 s less the pauses around 5 scenes: 28.1 s of narration.
      expect(system).toContain('about 75 words (between 68 and 82)');
      expect(system).toContain('scenes: about 5');
      expect(system).toContain('Write the title, narration and on-screen text in Italian');
      expect(system).toContain('at most 40 characters');
      const user = body.messages[1].content;
      expect(user).toContain('Brand name: Bluebird Roasters');
      expect(user).toContain('Topic: How to brew better coffee at home');
      expect(user).toContain('Call to action: Visit our shop');
      expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    });

    it('feeds the rule violations back for one corrective attempt, and counts both', async () => {
      const bad = modelScript({
        scenes: [
          { narration: sentence(10, 'brew'), onScreenText: 'x'.repeat(70), visual: 'A cup.' },
          { narration: sentence(10, 'pour'), onScreenText: 'Visit our shop', visual: '' },
        ],
      });
      server.enqueue(
        replies.json(bad, { prompt_tokens: 1000, completion_tokens: 100 }),
        replies.json(modelScript(), { prompt_tokens: 1300, completion_tokens: 400 }),
      );
      const written = await writer().writeScript(REQUEST);

      expect(written.script.scenes).toHaveLength(5);
      expect([written.inputTokens, written.outputTokens]).toEqual([2300, 500]);
      const bodies = server.chatRequests();
      expect(bodies).toHaveLength(2);
      expect(bodies[1].messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      const feedback = bodies[1].messages[3].content;
      expect(feedback).toContain('scenes.0.onScreenText: is 70 characters; at most 60');
      expect(feedback).toContain('scenes.1.visual: must not be empty');
      expect(feedback).toContain(
        'scenes: the narration plans 7.6 s (20 words at 160 words per minute), a 8.7 s video with the pauses between scenes; the target is 30 s ± 15 % (25.5–34.5 s): about 75 words in all',
      );
    });

    it('fails as ProviderOutputInvalid, non-retryable, with the spend, after a second bad reply', async () => {
      server.enqueue(replies.garbage(), replies.json({ title: 'Only a title' }));
      const failure = await failureOf(writer().writeScript(REQUEST));

      expect(failure.type).toBe('ProviderOutputInvalid');
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toMatch(/^openai: the model's script was unusable after 2 attempts: scenes/);
      expect(failure.details?.[0]).toMatchObject({ model: 'fake-gpt', inputTokens: expect.any(Number) });
      expect(server.chatRequests()).toHaveLength(2);
    });

    it('falls back to the offline script after two bad replies, recording the reason and the spend', async () => {
      server.setDefault(replies.json(modelScript({ scenes: [modelScript().scenes[0]] })));
      const written = await chain().writeScript(REQUEST);

      expect(written.script).toEqual(writeOfflineScript(REQUEST));
      expect(written).toMatchObject({ provider: 'offline', inputTokens: 0, outputTokens: 0, costUsd: 0 });
      expect(written.fallbacks).toEqual([
        {
          provider: 'openai',
          reason: expect.stringMatching(
            /^openai: ProviderOutputInvalid: the model's script was unusable after 2 attempts: scenes: has 1 scenes/,
          ),
          inputTokens: expect.any(Number),
          outputTokens: expect.any(Number),
          costUsd: expect.any(Number),
        },
      ]);
      expect(written.fallbacks![0].costUsd).toBeGreaterThan(0);
      expect(server.chatRequests()).toHaveLength(2);
    });

    it('falls back to the offline script when the endpoint is down or rejects the key', async () => {
      const down = await chain({ baseUrl: downUrl }).writeScript(REQUEST);
      expect(down.provider).toBe('offline');
      expect(down.script).toEqual(writeOfflineScript(REQUEST));
      expect(down.fallbacks).toEqual([
        { provider: 'openai', reason: expect.stringMatching(/^openai: ProviderUnavailable: Connection error/) },
      ]);

      const auth = await chain({ apiKey: 'sk-wrong' }).writeScript(REQUEST);
      expect(auth.fallbacks?.[0].reason).toBe('openai: ProviderAuth: 401 Incorrect API key provided.');
    });

    it('falls back on a request the server refuses, but not on flagged content', async () => {
      server.enqueue(replies.badRequest("'response_format' of type 'json_object' is not supported with this model."));
      const refused = await chain().writeScript(REQUEST);
      expect(refused.provider).toBe('offline');
      expect(refused.fallbacks?.[0].reason).toMatch(/^openai: InvalidInput: 400 'response_format'/);

      server.enqueue({ kind: 'content', content: '', finishReason: 'content_filter' });
      const flagged = await failureOf(chain().writeScript(REQUEST));
      expect([flagged.type, flagged.nonRetryable]).toEqual(['ContentRejected', true]);
    });

    it('surfaces cancellation instead of falling back', async () => {
      server.enqueue({ ...replies.json(modelScript()), delayMs: 1500 });
      const controller = new AbortController();
      const reason = new Error('activity cancelled');
      setTimeout(() => controller.abort(reason), 100);
      await expect(chain().writeScript(REQUEST, { signal: controller.signal })).rejects.toBe(reason);
    });
  });

  describe('metadata', () => {
    it('uses a good reply: one item per platform in the requested order, hashtags without "#"', async () => {
      server.enqueue(replies.json(modelMetadata(), { prompt_tokens: 900, completion_tokens: 200 }));
      const written = await writer().writeMetadata(META_REQUEST());

      expect(written).toMatchObject({ provider: 'openai', model: 'fake-gpt', inputTokens: 900, outputTokens: 200 });
      expect(written.items.map((i) => [i.platform, i.hashtags])).toEqual([
        ['youtube', ['Coffee', 'HomeBarista']],
        ['x', ['Coffee']],
        ['instagram', ['Coffee']],
      ]);
      for (const item of written.items) expect(checkMetadata(item)).toEqual([]);

      const [system, user] = server.chatRequests()[0].messages.map((m) => m.content);
      expect(system).toContain('"platform" exactly one of: youtube, x, instagram');
      expect(system).toContain('- x (X): title ≤ 100 characters; description plus the hashtags');
      expect(system).toContain('≤ 280 characters, where a link counts 23');
      expect(system).toContain('- youtube (YouTube): title ≤ 100 characters;');
      expect(system).toContain('hashtags ≤ 500 characters in all; no "<" or ">"');
      expect(user).toContain('SCRIPT: How to brew better coffee at home (about 30 s)');
      expect(user).toContain('1. [How to brew better coffee at home]');
    });

    it('feeds back a post too long for X and a missing platform, then uses the corrected reply', async () => {
      const tooLong = modelMetadata('a'.repeat(275));
      tooLong.items = tooLong.items.filter((i) => i.platform !== 'instagram');
      server.enqueue(replies.json(tooLong), replies.json(modelMetadata()));
      const written = await writer().writeMetadata(META_REQUEST());

      expect(written.items.map((i) => i.platform)).toEqual(['youtube', 'x', 'instagram']);
      const feedback = server.chatRequests()[1].messages[3].content;
      expect(feedback).toContain('x.description: is 284 characters as X counts them with the hashtags; x allows 280');
      expect(feedback).toContain('items: write exactly one item for instagram (found 0)');
    });

    it('falls back to the offline metadata after two bad replies', async () => {
      server.setDefault(replies.garbage());
      const req = META_REQUEST();
      const written = await chain().writeMetadata(req);
      expect(written.items).toEqual(writeOfflineMetadata(req));
      expect(written.provider).toBe('offline');
      expect(written.fallbacks?.[0].reason).toMatch(
        /^openai: ProviderOutputInvalid: the model's metadata was unusable after 2 attempts: the reply does not contain a JSON object/,
      );
    });
  });

  it('checks connectivity and credentials; the chain always ends offline', async () => {
    await expect(writer().check()).resolves.toBeUndefined();
    expect((await failureOf(writer({ apiKey: 'sk-wrong' }).check())).type).toBe('ProviderAuth');
    const down = chain({ baseUrl: downUrl });
    expect(down.name).toBe('openai>offline');
    await expect(down.checkEach()).resolves.toEqual([
      { provider: 'openai', ok: false, error: expect.stringMatching(/^ProviderUnavailable:/) },
      { provider: 'offline', ok: true },
    ]);
    await expect(down.check()).rejects.toThrow(/Script providers failed their check: openai/);
    expect(createScriptWriterChain([]).name).toBe('offline');
  });
});

describe('createScriptWriterFromConfig', () => {
  const openai = { baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-4o-mini', timeoutMs: 1000, pricing: PRICING };

  it('builds the chain from the text providers in order, offline last', () => {
    expect(createScriptWriterFromConfig({ providers: ['openai', 'offline'], openai }).name).toBe('openai>offline');
    expect(createScriptWriterFromConfig({ providers: ['openai'], openai }).name).toBe('openai>offline');
    expect(createScriptWriterFromConfig({ providers: ['offline'] }).name).toBe('offline');
  });

  it('fails at boot on an unknown name, missing settings, a duplicate or offline not last', () => {
    expect(() => createScriptWriterFromConfig({ providers: ['gemini'] })).toThrow(
      'Unknown text provider "gemini"; known providers: openai, offline',
    );
    expect(() => createScriptWriterFromConfig({ providers: ['openai'] })).toThrow(/settings .* are missing/);
    expect(() => createScriptWriterFromConfig({ providers: ['offline', 'offline'] })).toThrow(/listed twice/);
    expect(() => createScriptWriterFromConfig({ providers: ['offline', 'openai'], openai })).toThrow(
      /offline script writer must be last/,
    );
  });
});

describe('script activities', () => {
  const downWriter: ScriptWriter = {
    name: 'openai',
    writeScript: () => Promise.reject(ApplicationFailure.retryable('openai: 503 overloaded', 'ProviderUnavailable')),
    writeMetadata: () => Promise.reject(ApplicationFailure.retryable('openai: 503 overloaded', 'ProviderUnavailable')),
    check: async () => undefined,
  };
  const activities = () => createScriptActivities({ writer: createScriptWriterChain([downWriter]) });

  it('writeVideoScript returns the script with its provider and fallbacks, and logs them', async () => {
    const logger = recordingLogger();
    const { writeVideoScript } = activities();
    const written = await new MockActivityEnvironment(undefined, { logger }).run(writeVideoScript, REQUEST);

    expect(written).toEqual({
      script: writeOfflineScript(REQUEST),
      provider: 'offline',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      fallbacks: [{ provider: 'openai', reason: 'openai: ProviderUnavailable: 503 overloaded' }],
    });
    const lines = logger.lines.filter((l) => l.level === 'WARN' || l.level === 'INFO');
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['WARN', 'Script provider skipped'],
      ['INFO', 'Video script written'],
    ]);
    expect(lines[0].meta).toMatchObject({ provider: 'openai', reason: 'openai: ProviderUnavailable: 503 overloaded' });
    expect(lines[1].meta).toMatchObject({ provider: 'offline', scenes: 5, targetSeconds: 30, fallbacks: 1 });
  });

  it('writeVideoMetadata returns one item per platform within its limits', async () => {
    const { writeVideoMetadata } = activities();
    const req = META_REQUEST();
    const written: WrittenMetadata = await new MockActivityEnvironment(undefined, { logger: recordingLogger() }).run(
      writeVideoMetadata,
      req,
    );
    expect(written.items).toEqual(writeOfflineMetadata(req));
    expect(written.fallbacks).toHaveLength(1);
  });

  it('refuses an invalid input as InvalidInput, non-retryable, before any provider is called', async () => {
    const calls: string[] = [];
    const spy: ScriptWriter = {
      name: 'spy',
      writeScript: (req) => (
        calls.push('script'),
        Promise.resolve({
          script: writeOfflineScript(req),
          provider: 'spy',
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
        })
      ),
      writeMetadata: () => (calls.push('metadata'), Promise.reject(new Error('unexpected'))),
      check: async () => undefined,
    };
    const { writeVideoScript, writeVideoMetadata } = createScriptActivities({ writer: spy });
    const env = new MockActivityEnvironment(undefined, { logger: recordingLogger() });

    const tooLong = await failureOf(env.run(writeVideoScript, { ...REQUEST, targetSeconds: 600 }));
    expect([tooLong.type, tooLong.nonRetryable]).toEqual(['InvalidInput', true]);
    expect(tooLong.message).toMatch(/^Invalid script input: targetSeconds: /);

    const repeated = await failureOf(
      env.run(writeVideoMetadata, { ...META_REQUEST(), platforms: ['x', 'x'] as MetadataRequest['platforms'] }),
    );
    expect(repeated.message).toBe('Invalid metadata input: platforms: must not repeat a platform');
    const unknown = await failureOf(
      env.run(writeVideoMetadata, {
        ...META_REQUEST(),
        platforms: ['myspace'] as unknown as MetadataRequest['platforms'],
      }),
    );
    expect(unknown.type).toBe('InvalidInput');
    expect(calls).toEqual([]);
  });
});
