/**
 * The model-backed analyst, the fallback chain and the activity, against a local OpenAI-compatible server
 * (test/fakes/openai-compatible-server.ts): no network, scripted replies, every request recorded.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAnalysisActivities } from '../../activities/analysis/analysis.activities';
import { createAnalystChain } from '../../activities/analysis/analyst-chain';
import { type AnalysisInput, type Analyst } from '../../activities/analysis/analyst.port';
import { createOfflineAnalyst, writeOfflineAnalysis } from '../../activities/analysis/offline-analyst';
import {
  apportion,
  createOpenAiAnalyst,
  evidenceCatalogue,
  type OpenAiAnalystOptions,
} from '../../activities/analysis/openai-analyst';
import { createAnalystFromConfig } from '../../activities/analysis/providers';
import { type ReportAnalysis } from '../../lib/report/types';
import { replies, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openai-compatible-server';
import { analysisInput } from '../support/analysis-fixture';
import { recordingLogger } from '../support/recording-logger';

const API_KEY = 'sk-test-123';
const PRICING = { inputPerMTok: 0.15, outputPerMTok: 0.6 };
const input = analysisInput();

/** The catalogue id the prompt gives a passage, found by its label. */
function passageId(label: string): string {
  const entry = [...evidenceCatalogue(input)].find(([, e]) => e.ref.kind === 'passage' && e.ref.label === label);
  if (!entry) throw new Error(`no passage labelled ${label}`);
  return entry[0];
}

const TONE = passageId('Brand book › Tone of voice');
const COMPETITORS = passageId('Market notes › Competitors');

/** A well-formed reply, with the slips a real model makes: shuffled priorities, a bare id, an invented code. */
function modelReply(overrides: Record<string, unknown> = {}) {
  const rec = (priority: number, code: string | null, dimension: string, evidence: unknown) => ({
    priority,
    code,
    dimension,
    title: `Recommendation ${priority}`,
    detail: `Why and how for recommendation ${priority}.`,
    evidence,
  });
  return {
    summary: 'Bluebird Roasters scores 58/100 overall; content strategy and competitive awareness are the weakest.',
    // `value` is the model's own number: it must be ignored in favour of the input's.
    strengths: [{ text: 'A strong, clear identity.', evidence: ['identity', 'identity.clarity'], value: 99 }],
    weaknesses: [
      { text: 'Content is planned ad hoc.', evidence: ['content', 'channels.frequency'] },
      { text: 'Competitors go untracked.', evidence: ['competition'] },
    ],
    opportunities: [{ text: 'The brand book already defines the voice.', evidence: [TONE, 'content'] }],
    threats: [{ text: 'Followers are falling.', evidence: ['trendScore', 'kpi:followers'] }],
    recommendations: [
      rec(2, 'content.define-content-pillars', 'content', ['content', TONE]),
      rec(1, 'channels.grow-audience-reach', 'channels', ['popularityIndex']),
      rec(3, null, 'competition', [COMPETITORS, 'competition']),
      rec(4, 'performance.reverse-declining-trend', 'marketing', 'trendScore'),
      rec(5, 'audience.invented-rule', 'audience', ['target.research']),
      rec(6, 'audience.run-customer-research', 'audience', ['dimension:audience']),
    ],
    ...overrides,
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

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('OpenAI-compatible analyst', () => {
  let server: FakeOpenAiServer;
  let downUrl: string;
  const analyst = (extra: Partial<OpenAiAnalystOptions> = {}) =>
    createOpenAiAnalyst({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      model: 'fake-gpt',
      timeoutMs: 2000,
      pricing: PRICING,
      ...extra,
    });

  beforeAll(async () => {
    server = await startFakeOpenAiServer({ apiKey: API_KEY, model: 'fake-gpt' });
    const down = await startFakeOpenAiServer();
    await down.close();
    downUrl = down.baseUrl;
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('uses a well-formed reply: evidence from the input, provider, model, tokens and cost per section', async () => {
    server.enqueue({
      kind: 'json',
      value: modelReply(),
      model: 'fake-gpt-2025',
      usage: { prompt_tokens: 3000, completion_tokens: 1200 },
    });
    const { analysis, provenance } = await analyst().analyse(input);

    expect(analysis.summary).toMatch(/^Bluebird Roasters scores 58\/100/);
    expect(analysis.strengths).toEqual([
      {
        text: 'A strong, clear identity.',
        evidence: [
          { kind: 'dimension', id: 'identity', value: 89.62, label: 'Brand identity 89.6/100' },
          {
            kind: 'question',
            id: 'identity.clarity',
            value: 100,
            label: 'Clarity of what the brand stands for 100/100',
          },
        ],
      },
    ]);
    expect(analysis.opportunities[0].evidence[0]).toEqual({
      kind: 'passage',
      id: 'doc-brandbook',
      label: 'Brand book › Tone of voice',
    });
    expect(analysis.threats[0].evidence.map((e) => [e.id, e.value])).toEqual([
      ['trendScore', input.scores.kpis.trendScore],
      ['followers', 1380],
    ]);

    // Renumbered by the model's priorities; the dimension comes from a known rule; an invented code is dropped.
    expect(analysis.recommendations.map((r) => [r.priority, r.code, r.dimension])).toEqual([
      [1, 'channels.grow-audience-reach', 'channels'],
      [2, 'content.define-content-pillars', 'content'],
      [3, undefined, 'competition'],
      [4, 'performance.reverse-declining-trend', 'performance'],
      [5, undefined, 'audience'],
      [6, 'audience.run-customer-research', 'audience'],
    ]);
    expect(analysis.recommendations[3].evidence).toEqual([
      expect.objectContaining({ kind: 'kpi', id: 'trendScore', value: input.scores.kpis.trendScore }),
    ]);
    expect(analysis.recommendations[5].evidence[0]).toMatchObject({ id: 'audience', value: 50 });

    expect(provenance.map((p) => [p.section, p.provider, p.model])).toEqual([
      ['summary', 'openai', 'fake-gpt-2025'],
      ['swot', 'openai', 'fake-gpt-2025'],
      ['recommendations', 'openai', 'fake-gpt-2025'],
    ]);
    expect(sum(provenance.map((p) => p.inputTokens))).toBe(3000);
    expect(sum(provenance.map((p) => p.outputTokens))).toBe(1200);
    expect(sum(provenance.map((p) => p.costUsd))).toBeCloseTo((3000 * 0.15 + 1200 * 0.6) / 1e6, 7);
    expect(provenance.every((p) => p.inputTokens > 0 && p.costUsd > 0 && p.fallbackReason === undefined)).toBe(true);
  });

  it('sends JSON mode, the brand, the evidence catalogue and the rule candidates', async () => {
    server.enqueue(replies.json(modelReply()));
    await analyst().analyse({ ...input, language: 'it' });

    const [body] = server.chatRequests();
    expect(body.model).toBe('fake-gpt');
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[0].content).toContain('Write in Italian');
    const prompt = body.messages[1].content;
    expect(prompt).toContain('Brand name: Bluebird Roasters');
    expect(prompt).toContain('Overall diagnosis score: 58/100 (weak)');
    expect(prompt).toContain('content | Content strategy 32.5/100 (critical, dimension)');
    expect(prompt).toContain('channels.frequency | Publishing frequency 35/100 (answer feeding content)');
    expect(prompt).toContain(`${TONE} | Brand book › Tone of voice: “We speak like a roaster`);
    expect(prompt).toMatch(/code content\.define-content-pillars \| dimension content \| rests on content/);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('retries once with the problem fed back when the reply is garbage, and counts both attempts', async () => {
    server.enqueue(
      {
        ...replies.garbage('Here is my analysis: the brand is doing fine.'),
        usage: { prompt_tokens: 900, completion_tokens: 15 },
      },
      replies.json(modelReply(), { prompt_tokens: 1000, completion_tokens: 700 }),
    );
    const { analysis, provenance } = await analyst().analyse(input);

    expect(analysis.recommendations).toHaveLength(6);
    expect(sum(provenance.map((p) => p.inputTokens))).toBe(1900);
    expect(sum(provenance.map((p) => p.outputTokens))).toBe(715);
    const bodies = server.chatRequests();
    expect(bodies).toHaveLength(2);
    expect(bodies[1].messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(bodies[1].messages[2].content).toBe('Here is my analysis: the brand is doing fine.');
    expect(bodies[1].messages[3].content).toMatch(/does not contain a JSON object/);
  });

  it('feeds back evidence ids that are not in the catalogue and too few recommendations', async () => {
    const bad = modelReply({
      threats: [{ text: 'Rivals.', evidence: ['competitorShare'] }],
      recommendations: modelReply().recommendations.slice(0, 3),
    });
    server.enqueue(replies.json(bad), replies.json(modelReply()));
    await analyst().analyse(input);

    const feedback = server.chatRequests()[1].messages[3].content;
    expect(feedback).toContain('recommendations: write 5 to 10 recommendations');
    server.reset();

    server.enqueue(replies.json(modelReply({ threats: [{ text: 'Rivals.', evidence: ['competitorShare'] }] })));
    server.enqueue(replies.json(modelReply()));
    await analyst().analyse(input);
    expect(server.chatRequests()[1].messages[3].content).toContain('threats.0.evidence: unknown id "competitorShare"');
  });

  it('fails as ProviderOutputInvalid, non-retryable, with the spend, after a second unusable reply', async () => {
    server.enqueue(replies.garbage(), replies.json({ summary: 'Only a summary.' }));
    const failure = await failureOf(analyst().analyse(input));

    expect(failure.type).toBe('ProviderOutputInvalid');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/unusable after 2 attempts: strengths/);
    expect(failure.details?.[0]).toMatchObject({ model: 'fake-gpt', inputTokens: expect.any(Number) });
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('honours a configured number of corrective attempts', async () => {
    server.setDefault(replies.garbage());
    await failureOf(analyst({ outputRetries: 2 }).analyse(input));
    expect(server.chatRequests()).toHaveLength(3);
    server.reset();
    server.setDefault(replies.garbage());
    await failureOf(analyst({ outputRetries: 0 }).analyse(input));
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('maps 401, a down endpoint and 429 to the house error types', async () => {
    const auth = await failureOf(analyst({ apiKey: 'sk-wrong' }).analyse(input));
    expect([auth.type, auth.nonRetryable]).toEqual(['ProviderAuth', true]);
    const down = await failureOf(analyst({ baseUrl: downUrl }).analyse(input));
    expect([down.type, down.nonRetryable]).toEqual(['ProviderUnavailable', false]);
    server.enqueue(replies.rateLimited(3));
    const limited = await failureOf(analyst().analyse(input));
    expect([limited.type, limited.nextRetryDelay]).toEqual(['RateLimited', 3000]);
  });

  it('surfaces cancellation instead of a provider error', async () => {
    server.enqueue(replies.slow(1500));
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await expect(analyst().analyse(input, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('checks connectivity and credentials by listing models', async () => {
    await expect(analyst().check()).resolves.toBeUndefined();
    expect((await failureOf(analyst({ apiKey: 'sk-wrong' }).check())).type).toBe('ProviderAuth');
    expect((await failureOf(analyst({ baseUrl: downUrl }).check())).type).toBe('ProviderUnavailable');
  });

  describe('in the chain', () => {
    const offline = writeOfflineAnalysis(input);

    it('keeps the model’s analysis when it is usable, with no fallback', async () => {
      server.enqueue(replies.json(modelReply()));
      const out = await createAnalystChain([analyst()]).analyse(input);
      expect(out.provenance.map((p) => p.provider)).toEqual(['openai', 'openai', 'openai']);
      expect(out.fallbacks).toEqual([]);
    });

    it('falls back to offline after two unusable replies, recording the reason and the spend', async () => {
      server.setDefault(replies.garbage());
      const out = await createAnalystChain([analyst()]).analyse(input);

      expect(out.analysis).toEqual(offline);
      expect(out.provenance.map((p) => [p.provider, p.inputTokens, p.costUsd])).toEqual([
        ['offline', 0, 0],
        ['offline', 0, 0],
        ['offline', 0, 0],
      ]);
      for (const p of out.provenance) {
        expect(p.fallbackReason).toMatch(
          /^openai: ProviderOutputInvalid: the model's reply was unusable after 2 attempts: the reply does not contain a JSON object/,
        );
      }
      expect(out.fallbacks).toEqual([
        {
          provider: 'openai',
          reason: out.provenance[0].fallbackReason,
          inputTokens: expect.any(Number),
          outputTokens: expect.any(Number),
          costUsd: expect.any(Number),
        },
      ]);
      expect(out.fallbacks![0].inputTokens).toBeGreaterThan(0);
    });

    it('falls back to offline when the endpoint is down', async () => {
      const out = await createAnalystChain([analyst({ baseUrl: downUrl })]).analyse(input);
      expect(out.analysis).toEqual(offline);
      expect(out.provenance[0]).toMatchObject({ section: 'summary', provider: 'offline' });
      expect(out.provenance[0].fallbackReason).toMatch(/^openai: ProviderUnavailable: Connection error/);
    });

    it('falls back to offline on a rejected API key, with a clear reason', async () => {
      const out = await createAnalystChain([analyst({ apiKey: 'sk-wrong' })]).analyse(input);
      expect(out.provenance.map((p) => p.provider)).toEqual(['offline', 'offline', 'offline']);
      expect(out.provenance[2].fallbackReason).toBe('openai: ProviderAuth: 401 Incorrect API key provided.');
    });

    it('joins the reasons when several providers fail', async () => {
      const groq = analyst({ name: 'groq', baseUrl: downUrl });
      const out = await createAnalystChain([groq, analyst({ apiKey: 'sk-wrong' })]).analyse(input);
      expect(out.fallbacks?.map((f) => f.provider)).toEqual(['groq', 'openai']);
      expect(out.provenance[0].fallbackReason).toMatch(/^groq: ProviderUnavailable: .*; openai: ProviderAuth: /);
    });

    it('does not fall back once the activity is cancelled', async () => {
      const controller = new AbortController();
      controller.abort(new Error('cancelled'));
      const failure = ApplicationFailure.retryable('aborted', 'ProviderUnavailable');
      const failing: Analyst = {
        id: 'openai',
        analyse: () => Promise.reject(failure),
        check: async () => undefined,
      };
      await expect(createAnalystChain([failing]).analyse(input, { signal: controller.signal })).rejects.toBe(failure);
    });

    it('always ends with the offline analyst and reports each check', async () => {
      expect(createAnalystChain([analyst({ baseUrl: downUrl })]).id).toBe('openai>offline');
      expect(createAnalystChain([]).id).toBe('offline');
      expect(() => createAnalystChain([createOfflineAnalyst(), analyst()])).toThrow(/offline analyst must be last/);
      const chain = createAnalystChain([analyst({ baseUrl: downUrl })]);
      await expect(chain.checkEach()).resolves.toEqual([
        { provider: 'openai', ok: false, error: expect.stringMatching(/^ProviderUnavailable:/) },
        { provider: 'offline', ok: true },
      ]);
      await expect(chain.check()).rejects.toThrow(/Analysis providers failed their check: openai/);
    });
  });
});

describe('createAnalystFromConfig', () => {
  const openai = { baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-4o-mini', timeoutMs: 1000, pricing: PRICING };

  it('builds the chain from the text providers in order, offline last', () => {
    expect(createAnalystFromConfig({ providers: ['openai', 'offline'], openai }).id).toBe('openai>offline');
    expect(createAnalystFromConfig({ providers: ['openai'], openai }).id).toBe('openai>offline');
    expect(createAnalystFromConfig({ providers: ['offline'] }).id).toBe('offline');
  });

  it('fails at boot on an unknown name, missing settings or a duplicate', () => {
    expect(() => createAnalystFromConfig({ providers: ['gemini'] })).toThrow(
      'Unknown analysis provider "gemini"; known providers: openai, offline',
    );
    expect(() => createAnalystFromConfig({ providers: ['openai'] })).toThrow(/settings .* are missing/);
    expect(() => createAnalystFromConfig({ providers: ['openai', 'openai'], openai })).toThrow(/listed twice/);
  });
});

describe('analysis activities', () => {
  const downAnalyst: Analyst = {
    id: 'openai',
    analyse: () => Promise.reject(ApplicationFailure.retryable('openai: 503 overloaded', 'ProviderUnavailable')),
    check: async () => undefined,
  };

  it('writeReportAnalysis returns the analysis with its provenance and logs the providers', async () => {
    const logger = recordingLogger();
    const { writeReportAnalysis } = createAnalysisActivities({ analyst: createAnalystChain([downAnalyst]) });
    const result: ReportAnalysis = await new MockActivityEnvironment(undefined, { logger }).run(
      writeReportAnalysis,
      input,
    );

    expect(result).toEqual({
      ...writeOfflineAnalysis(input),
      provenance: ['summary', 'swot', 'recommendations'].map((section) => ({
        section,
        provider: 'offline',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        fallbackReason: 'openai: ProviderUnavailable: 503 overloaded',
      })),
    });
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual(
      expect.arrayContaining([
        ['WARN', 'Analysis provider skipped'],
        ['INFO', 'Report analysis written'],
      ]),
    );
    const info = logger.lines.find((l) => l.message === 'Report analysis written')!;
    expect(info.meta).toMatchObject({ providers: ['summary=offline', 'swot=offline', 'recommendations=offline'] });
  });

  it('passes the activity cancellation signal to the analyst', async () => {
    let seen: AbortSignal | undefined;
    const spy: Analyst = {
      id: 'spy',
      async analyse(i, opts) {
        seen = opts?.signal;
        return createOfflineAnalyst().analyse(i);
      },
      check: async () => undefined,
    };
    const env = new MockActivityEnvironment(undefined, { logger: recordingLogger() });
    await env.run(createAnalysisActivities({ analyst: spy }).writeReportAnalysis, input);
    expect(seen).toBeInstanceOf(AbortSignal);
  });

  it('rejects a malformed input as non-retryable InvalidInput', async () => {
    const broken = { ...input, scores: { ...input.scores, diagnosis: undefined } } as unknown as AnalysisInput;
    const env = new MockActivityEnvironment(undefined, { logger: recordingLogger() });
    const failure = await failureOf(
      env.run(createAnalysisActivities({ analyst: createOfflineAnalyst() }).writeReportAnalysis, broken),
    );
    expect(failure.type).toBe('InvalidInput');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('scores.diagnosis');
  });
});

describe('apportion', () => {
  it('splits tokens in proportion and always sums to the total', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(1200, [100, 1300, 600])).toEqual([60, 780, 360]);
    expect(apportion(7, [0, 0, 0])).toEqual([7, 0, 0]);
    expect(apportion(0, [5, 5])).toEqual([0, 0]);
  });
});
