/**
 * `qualifyLeadWithAgent` against the run's real PostgreSQL (through the harness), the local site farm for pages, the
 * brand's real knowledge base (lexical embedder, PostgreSQL vectors) and the fake OpenAI-compatible server playing
 * the model, tool calls included. The activity runs in `MockActivityEnvironment`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CancelledFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createKnowledgeIntake } from '../../api/services/knowledge-intake';
import { createKnowledgeActivities } from '../../activities/knowledge/knowledge.activities';
import { createLexicalEmbedder } from '../../activities/knowledge/lexical-embedder';
import { createPostgresVectorStore } from '../../activities/knowledge/postgres-vector-store';
import {
  createCrawlActivities,
  createQualifyActivities,
  type CrawlLeadResult,
  type QualifyLeadInput,
  type QualifyLeadResult,
  type ResearchLimits,
  type ResearchModel,
} from '../../activities/leads';
import { TOOL_CAP_TEXT } from '../../activities/leads/research-agent';
import { createLocalFileStorage, type FileStorage } from '../../activities/storage';
import { createSafeFetcher } from '../../activities/web';
import { createKnowledgeRepository } from '../../db/repositories/knowledge.repository';
import { createLeadProfileRepository } from '../../db/repositories/lead-profile.repository';
import { createLeadRepository, type LeadRepository } from '../../db/repositories/lead.repository';
import { leadProfileSchema } from '../../lib/leads/profile';
import { scoreLead, type LeadScore } from '../../lib/leads/score';
import {
  replies,
  startFakeOpenAiServer,
  type ChatRequestBody,
  type FakeOpenAiServer,
} from '../fakes/openai-compatible-server';
import { startTestStack, type TestStack } from '../support/harness';
import { startSiteFarm, type SiteFarm } from '../support/site-farm';

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const environment = () => new MockActivityEnvironment(undefined, { logger: quiet });

let stack: TestStack;
let farm: SiteFarm;
let llm: FakeOpenAiServer;
let storage: FileStorage;
let leads: LeadRepository;
let brandId: string;
let crawl: CrawlLeadResult;
let knowledge: ReturnType<typeof createKnowledgeActivities>;
let model: ResearchModel;

const fetcher = () =>
  createSafeFetcher({ userAgent: 'StudioflowBot/1.0', allowedHosts: farm.allowedHosts, hostDelayMs: 0 });

const activities = (limits?: Partial<ResearchLimits>, withModel = true) =>
  createQualifyActivities({
    leads,
    profiles: createLeadProfileRepository(stack.db),
    storage,
    fetcher: fetcher(),
    retrievePassages: knowledge.retrievePassages,
    model: withModel ? model : null,
    limits,
  });

const qualify = (input: QualifyLeadInput, limits?: Partial<ResearchLimits>, withModel = true) =>
  environment().run(activities(limits, withModel).qualifyLeadWithAgent, input) as Promise<QualifyLeadResult>;

const PROFILE = leadProfileSchema.parse({
  categories: ['photo studio'],
  keywords: ['campaigns', 'product photos'],
  countries: ['FR'],
  mustHave: { email: true },
});

/** A lead of this file's workspace on the site farm's normal site, scored by the rules. */
async function newLead(fields: { emails?: string[]; phones?: string[] } = {}) {
  const n = Math.random().toString(36).slice(2, 8);
  const { lead } = await leads.upsert(stack.workspaceId, {
    brandId,
    fields: {
      companyName: 'Atelier Lumière',
      website: farm.url('normal'),
      domain: `atelier-${n}.example`,
      emails: fields.emails ?? [`hello@atelier-${n}.example`],
      phones: fields.phones ?? ['+33472000000'],
      city: 'Lyon',
      country: 'FR',
      description: 'Campaigns, product photos and short films for brands in Lyon.',
    },
    source: { kind: 'api', reference: null, row: null },
  });
  const rules: LeadScore = scoreLead(
    { ...lead, technologies: [], socials: {}, category: null, siteReachable: true },
    PROFILE,
  );
  return { lead, rules };
}

const input = (lead: { id: string }, rules: LeadScore, brand: string | null = brandId): QualifyLeadInput => ({
  workspaceId: stack.workspaceId,
  leadId: lead.id,
  brandId: brand,
  factsKey: crawl.factsKey,
  rules,
});

const answer = (over: Record<string, unknown> = {}) => ({
  score: 88,
  status: 'qualified',
  reasons: [
    {
      rule: 'fit',
      points: 40,
      detail: 'A photo studio founded in 2012 with a team of eight',
      source: farm.url('normal', '/about'),
    },
    { rule: 'location', points: 20, detail: 'In Lyon, France' },
  ],
  summary: 'An established photo and film studio in Lyon that shoots campaigns for brands.',
  ...over,
});

/** The tool replies the model received, in order. */
const toolMessages = (request: ChatRequestBody) => request.messages.filter((m) => m.role === 'tool');
const toolNames = (request: ChatRequestBody) =>
  ((request.tools as { function: { name: string } }[] | undefined) ?? []).map((t) => t.function.name);

beforeAll(async () => {
  [stack, farm, llm] = await Promise.all([
    startTestStack('lead-agent', { workers: [] }),
    startSiteFarm(),
    startFakeOpenAiServer({ apiKey: 'sk-test', model: 'fake-gpt' }),
  ]);
  const root = fs.mkdtempSync(path.join(process.env.STUDIOFLOW_TEST_WORK_DIR!, 'lead-agent-'));
  storage = createLocalFileStorage({ rootDir: root, publicBaseUrl: 'http://127.0.0.1:1' });
  leads = createLeadRepository(stack.db);
  model = {
    provider: 'openai',
    baseUrl: llm.baseUrl,
    apiKey: 'sk-test',
    model: 'fake-gpt',
    timeoutMs: 10_000,
    pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  };

  const brand = await stack.brand({ name: 'Lumen Lighting' });
  brandId = brand.id;
  await createLeadProfileRepository(stack.db).put(stack.workspaceId, brandId, PROFILE);

  // The brand's knowledge base: one document, indexed for real.
  const repo = createKnowledgeRepository(stack.db);
  knowledge = createKnowledgeActivities({
    storage,
    repo,
    embedder: createLexicalEmbedder(),
    store: createPostgresVectorStore(repo),
  });
  const doc = await createKnowledgeIntake({ storage, repo }).upload(stack.workspaceId, {
    brandId,
    fileName: 'offer.md',
    data: Buffer.from(
      '# Our customers\n\nLumen sells continuous LED lighting to photo studios and film crews with a studio of their own, from 100 m² up.\n\n# Pricing\n\nKits start at 4,000 euros.',
    ),
  });
  await environment().run(knowledge.indexDocument, {
    workspaceId: stack.workspaceId,
    brandId,
    documentId: doc!.id,
  });

  // The facts, as the crawl stores them.
  crawl = (await environment().run(createCrawlActivities({ fetcher: fetcher(), storage }).crawlLead, {
    website: farm.url('normal'),
    factsKey: `leads/${stack.workspaceId}/atelier-facts.json`,
    country: 'FR',
  })) as CrawlLeadResult;
});

afterAll(async () => {
  await stack?.stop();
  await farm?.stop();
  await llm?.close().catch(() => undefined);
});

beforeEach(() => llm.reset());

it('fetches a page and searches the brand’s documents, then writes the qualification with its evidence on the lead', async () => {
  const { lead, rules } = await newLead();
  const aboutBefore = farm.requestsTo('normal', '/about').length;
  const script = () =>
    llm.enqueue(
      replies.toolCall(
        'fetch_page',
        { url: farm.url('normal', '/about') },
        { prompt_tokens: 700, completion_tokens: 20 },
      ),
      replies.toolCall(
        'search_brand_knowledge',
        { query: 'who are our customers' },
        { prompt_tokens: 900, completion_tokens: 15 },
      ),
      replies.toolCall('qualification', answer(), { prompt_tokens: 1_100, completion_tokens: 120 }),
    );
  script();

  const result = await qualify(input(lead, rules));

  expect(result).toMatchObject({
    outcome: 'written',
    score: 88,
    status: 'qualified',
    summary: answer().summary,
    writtenBy: 'openai',
    model: 'fake-gpt',
    toolCalls: 2,
    tokens: { input: 2_700, output: 155 },
  });
  expect(result.costUsd).toBeCloseTo((2_700 * 0.15 + 155 * 0.6) / 1_000_000, 10);
  expect(result.fallbackReason).toBeUndefined();
  expect(farm.requestsTo('normal', '/about').length).toBe(aboutBefore + 1);

  const requests = llm.chatRequests();
  expect(requests).toHaveLength(3);
  expect(toolNames(requests[0])).toEqual(['fetch_page', 'search_brand_knowledge', 'qualification']);
  // The prompt carries the profile, the crawl's sourced facts and the rules' score.
  const prompt = JSON.stringify(requests[0].messages);
  expect(prompt).toContain('Categories that fit: photo studio');
  expect(prompt).toContain(`(from ${farm.url('normal', '/contact')})`);
  expect(prompt).toContain(`RULE-BASED SCORE: ${rules.score}/100`);
  // The page came back as visible text, the passage from the brand's document.
  expect(toolMessages(requests[1])[0].content).toContain('Founded in 2012 by two photographers');
  expect(toolMessages(requests[1])[0].content).not.toContain('<h1>');
  expect(toolMessages(requests[2])[1].content).toMatch(/^\[1\] offer › Our customers: “.*photo studios and film crews/);

  const stored = await leads.get(stack.workspaceId, lead.id);
  expect(stored).toMatchObject({ score: 88, status: 'qualified' });
  expect(stored!.scoreReasons).toEqual(result.reasons);
  expect(stored!.scoreReasons[0]).toEqual({
    rule: 'fit',
    points: 40,
    detail: 'A photo studio founded in 2012 with a team of eight',
    source: farm.url('normal', '/about'),
  });

  // A retried attempt does the same research and writes the same thing again: harmless.
  script();
  const again = await qualify(input(lead, rules));
  expect(again).toMatchObject({ outcome: 'written', score: 88, status: 'qualified', reasons: result.reasons });
  expect(await leads.get(stack.workspaceId, lead.id)).toMatchObject({ score: 88, scoreReasons: result.reasons });
});

it('offers no knowledge search when the batch has no brand', async () => {
  const { lead, rules } = await newLead();
  llm.enqueue(replies.toolCall('qualification', answer()));
  const result = await qualify(input(lead, rules, null));
  expect(result.outcome).toBe('written');
  expect(toolNames(llm.chatRequests()[0])).toEqual(['fetch_page', 'qualification']);
});

it('falls back to the rules’ result when the model answers invalid JSON, and leaves the lead untouched', async () => {
  const { lead, rules } = await newLead();
  const before = await leads.get(stack.workspaceId, lead.id);
  llm.enqueue(replies.toolCall('qualification', '{"score": 88, "status": "qualif'));

  const result = await qualify(input(lead, rules));

  expect(result).toMatchObject({
    outcome: 'fallback',
    score: rules.score,
    status: rules.status,
    reasons: rules.reasons,
    writtenBy: 'rules',
    toolCalls: 0,
  });
  expect(result.fallbackReason).toMatch(/not valid JSON/);
  expect(result.tokens).toEqual({ input: expect.any(Number), output: expect.any(Number) });
  expect(await leads.get(stack.workspaceId, lead.id)).toEqual(before);
});

it('feeds an answer that breaks the schema back to the model, and writes its corrected answer', async () => {
  const { lead, rules } = await newLead();
  llm.enqueue(
    replies.toolCall('qualification', answer({ score: 150 })),
    replies.toolCall('qualification', answer({ score: 75 })),
  );
  const result = await qualify(input(lead, rules));
  expect(result).toMatchObject({ outcome: 'written', score: 75 });
  const correction = toolMessages(llm.chatRequests()[1]).at(-1)!.content;
  expect(correction).toMatch(/score/);
});

it('falls back when the answer passes the JSON schema but not the zod check', async () => {
  const { lead, rules } = await newLead();
  llm.enqueue(replies.toolCall('qualification', answer({ reasons: [{ rule: 'fit', points: 10, detail: '   ' }] })));
  const result = await qualify(input(lead, rules));
  expect(result).toMatchObject({ outcome: 'fallback', score: rules.score, writtenBy: 'rules' });
  expect(result.fallbackReason).toMatch(/^the answer did not validate: reasons\.0\.detail:/);
  expect((await leads.get(stack.workspaceId, lead.id))!.score).toBeNull();
});

it('falls back when the research outlasts its time budget, abandoning the model call', async () => {
  const { lead, rules } = await newLead();
  llm.enqueue({ ...replies.toolCall('qualification', answer()), delayMs: 5_000 });
  const started = Date.now();
  const result = await qualify(input(lead, rules), { timeBudgetMs: 500 });
  expect(Date.now() - started).toBeLessThan(3_000);
  expect(result).toMatchObject({ outcome: 'fallback', fallbackReason: 'no answer within the 0.5 s budget' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(llm.abandoned).toHaveLength(1);
});

it('falls back when the model keeps answering prose instead of a qualification', async () => {
  const { lead, rules } = await newLead();
  llm.enqueue(replies.garbage('This lead looks promising, I would give it 90.'));
  const result = await qualify(input(lead, rules));
  expect(result.outcome).toBe('fallback');
  expect(result.fallbackReason).toContain('did not answer with a qualification');
  expect((await leads.get(stack.workspaceId, lead.id))!.score).toBeNull();
});

it('falls back when the model endpoint refuses the key, with the provider’s reason', async () => {
  const { lead, rules } = await newLead();
  llm.enqueue(replies.unauthorized());
  const result = await qualify(input(lead, rules));
  expect(result).toMatchObject({ outcome: 'fallback', score: rules.score });
  expect(result.fallbackReason).toBe('openai: ProviderAuth: 401 Incorrect API key provided.');
});

describe('the tool-call cap', () => {
  it('refuses the calls past the cap without fetching; a model that then answers is written', async () => {
    const { lead, rules } = await newLead();
    const before = farm.requestsTo('normal', '/about').length;
    const fetchAbout = () => replies.toolCall('fetch_page', { url: farm.url('normal', '/about') });
    llm.enqueue(fetchAbout(), fetchAbout(), fetchAbout(), fetchAbout(), replies.toolCall('qualification', answer()));

    const result = await qualify(input(lead, rules), { maxToolCalls: 3 });

    expect(result).toMatchObject({ outcome: 'written', toolCalls: 3 });
    expect(farm.requestsTo('normal', '/about').length).toBe(before + 3);
    const last = llm.chatRequests().at(-1)!;
    expect(toolMessages(last).map((m) => m.content.slice(0, 20))).toEqual([
      'URL: ' + farm.url('normal', '/about').slice(0, 15),
      'URL: ' + farm.url('normal', '/about').slice(0, 15),
      'URL: ' + farm.url('normal', '/about').slice(0, 15),
      TOOL_CAP_TEXT.slice(0, 20),
    ]);
  });

  it('stops a model that never stops calling tools at the model-call cap and falls back', async () => {
    const { lead, rules } = await newLead();
    const before = farm.requestsTo('normal', '/about').length;
    llm.setDefault(replies.toolCall('fetch_page', { url: farm.url('normal', '/about') }));

    const result = await qualify(input(lead, rules), { maxToolCalls: 3 });

    expect(result).toMatchObject({ outcome: 'fallback', toolCalls: 3, score: rules.score });
    expect(result.fallbackReason).toBe('no answer within 5 model calls (3 tool calls run)');
    expect(llm.chatRequests()).toHaveLength(5);
    expect(farm.requestsTo('normal', '/about').length).toBe(before + 3);
    expect((await leads.get(stack.workspaceId, lead.id))!.score).toBeNull();
  });
});

it('refuses to fetch the cloud metadata address: the model is told why, and a citation of it is dropped', async () => {
  const { lead, rules } = await newLead();
  const metadata = 'http://169.254.169.254/latest/meta-data/';
  const farmRequests = farm.requests.length;
  llm.enqueue(
    replies.toolCall('fetch_page', { url: metadata }),
    replies.toolCall(
      'qualification',
      answer({ reasons: [{ rule: 'hosting', points: 5, detail: 'Runs on a cloud instance', source: metadata }] }),
    ),
  );

  const result = await qualify(input(lead, rules));

  const told = toolMessages(llm.chatRequests()[1])[0].content;
  // AddressRefused is decided on the URL, before any connection is opened.
  expect(told).toMatch(/^Not read: AddressRefused: .*169\.254\.169\.254/);
  expect(farm.requests.length).toBe(farmRequests);
  expect(result).toMatchObject({ outcome: 'written', toolCalls: 1 });
  expect(result.reasons).toEqual([{ rule: 'hosting', points: 5, detail: 'Runs on a cloud instance' }]);
});

it('disqualifies a lead missing a must-have even when the model qualifies it', async () => {
  const { lead, rules } = await newLead({ emails: [] });
  expect(rules.reasons.at(-1)).toEqual({ rule: 'must-have', points: 0, detail: 'Must have an email: none found' });
  llm.enqueue(replies.toolCall('qualification', answer()));

  const result = await qualify(input(lead, rules));

  expect(result).toMatchObject({ outcome: 'written', score: 88, status: 'disqualified' });
  expect(result.reasons.at(-1)).toEqual({ rule: 'must-have', points: 0, detail: 'Must have an email: none found' });
  expect(await leads.get(stack.workspaceId, lead.id)).toMatchObject({ score: 88, status: 'disqualified' });
});

it('returns the rules’ result untouched and asks no model when no provider is configured', async () => {
  const { lead, rules } = await newLead();
  const before = await leads.get(stack.workspaceId, lead.id);

  const result = await qualify(input(lead, rules), undefined, false);

  expect(result).toEqual({ outcome: 'no-model', ...rules, writtenBy: 'rules', toolCalls: 0 });
  expect(llm.requests).toHaveLength(0);
  expect(await leads.get(stack.workspaceId, lead.id)).toEqual(before);
});

it('throws the cancellation when cancelled mid-call, abandoning the request and writing nothing', async () => {
  const { lead, rules } = await newLead();
  llm.enqueue({ ...replies.toolCall('qualification', answer()), delayMs: 20_000 });
  const env = environment();
  const running = env.run(activities().qualifyLeadWithAgent, input(lead, rules));
  const started = Date.now();
  while (llm.chatRequests().length === 0 && Date.now() - started < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  env.cancel();
  await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(llm.abandoned).toHaveLength(1);
  expect((await leads.get(stack.workspaceId, lead.id))!.score).toBeNull();
});
