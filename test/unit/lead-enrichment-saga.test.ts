/**
 * One lead's enrichment with stubbed activities, every branch: a plain site; a page that needs JavaScript (rendered,
 * or kept plain when the render fails); a site that refuses (the lead's outcome, not the run's); Places filling the
 * gaps; the research agent's verdict; a CRM that refuses the callback; a step that breaks (the lead is marked failed
 * and the run fails).
 */
import type { QueueActivities } from '../../activities/queues';
import { failure } from '../../lib/failures';
import { leadEnrichmentWorkflow, type LeadEnrichmentInput } from '../../workflows/lead-enrichment.workflow';
import { failureOf, startSagaEnv, type SagaEnv } from '../support/saga-env';

jest.setTimeout(60_000);

type Main = QueueActivities['main'];
let calls: { name: string; input: any }[];
let scenario: {
  website: string | null;
  missingContactFacts: boolean;
  crawl: (input: any) => any;
  render: (input: any) => any;
  places: () => any;
  research: () => any;
  callback: () => any;
  record: () => any;
};

const crawled = (pages: number, needsBrowser = false, found = { phones: 1, city: 'Lyon' }) => ({
  factsKey: 'facts-key',
  pages: Array.from({ length: pages }, (_, i) => ({ url: `https://bistro.fr/${i}`, bytes: 100 })),
  skipped: [],
  found: { name: 'Bistro', emails: 1, socials: 1, ...found },
  needsBrowser,
});
const recorded = (status = 'qualified', failureReason: string | null = null) => ({
  status,
  score: 72,
  reasons: [{ rule: 'category', points: 30, detail: 'Described as "bistro"' }],
  changed: ['phones'],
  failureReason,
});

const record = (name: string) => async (input: any) => {
  calls.push({ name, input });
};
const main: Partial<Main> = {
  startLeadEnrichment: async (input) => {
    calls.push({ name: 'start', input });
    return {
      brandId: null,
      companyName: 'Bistro',
      website: scenario.website,
      domain: 'bistro.fr',
      city: null,
      country: 'FR',
      missingContactFacts: scenario.missingContactFacts,
    };
  },
  crawlLead: async (input) => {
    calls.push({ name: 'crawl', input });
    return scenario.crawl(input);
  },
  lookupLeadPlace: async (input) => {
    calls.push({ name: 'places', input });
    return scenario.places();
  },
  recordLeadEnrichment: async (input) => {
    calls.push({ name: 'record', input });
    return scenario.record();
  },
  qualifyLeadWithAgent: async (input) => {
    calls.push({ name: 'research', input });
    return scenario.research();
  },
  noteLeadResearch: record('note-research') as never,
  sendLeadCallback: async (input) => {
    calls.push({ name: 'callback', input });
    return scenario.callback();
  },
  noteLeadCallbackFailed: record('callback-failed') as never,
  failLeadEnrichment: record('fail') as never,
};
const browser: Partial<QueueActivities['browser']> = {
  renderLeadPage: async (input) => {
    calls.push({ name: 'render', input });
    return scenario.render(input);
  },
};

let saga: SagaEnv;
beforeAll(async () => {
  saga = await startSagaEnv({ main, browser }, 'lead-saga');
}, 120_000);
afterAll(() => saga?.stop());
beforeEach(() => {
  calls = [];
  scenario = {
    website: 'https://bistro.fr/',
    missingContactFacts: true,
    crawl: () => crawled(2),
    render: (input) => ({
      key: input.key,
      finalUrl: 'https://bistro.fr/app',
      bytes: 900,
      title: 'Bistro',
      requests: {},
    }),
    places: () => ({ status: 'not-configured' }),
    research: () => ({
      outcome: 'no-model',
      score: 72,
      status: 'qualified',
      reasons: [],
      writtenBy: 'rules',
      toolCalls: 0,
    }),
    callback: () => ({ outcome: 'sent', status: 204, webhookId: 'msg_1', deduplicated: false, attempts: 1 }),
    record: () => recorded(),
  };
});

const input = (places = false): LeadEnrichmentInput => ({
  workspaceId: 'w1',
  leadId: 'l1',
  batchWorkflowId: 'batch-1',
  places,
});
const names = () => calls.map((c) => c.name);
const run = async (places = false) => {
  const handle = await saga.start(leadEnrichmentWorkflow, input(places));
  return { handle, result: await handle.result() };
};
const steps = async (handle: { query: (q: string) => Promise<any> }) =>
  Object.fromEntries(((await handle.query('progress')).steps as any[]).map((s) => [s.name, [s.status, s.detail]]));

describe('leadEnrichmentWorkflow', () => {
  it('reads the site, scores the lead and tells the CRM once, keyed by its own run', async () => {
    const { handle, result } = await run();
    expect(names()).toEqual(['start', 'crawl', 'record', 'research', 'callback']);
    const workflowId = handle.workflowId;
    expect(calls[0].input).toEqual({ workspaceId: 'w1', leadId: 'l1', workflowId, batchWorkflowId: 'batch-1' });
    expect(calls[1].input.factsKey).toBe(`leads/w1/l1/facts-${workflowId.replace(/[^A-Za-z0-9_-]+/g, '_')}.json`);
    expect(calls[2].input).toMatchObject({ factsKey: 'facts-key', pages: 2, siteFailure: null, places: null });
    expect(result).toEqual({
      leadId: 'l1',
      status: 'qualified',
      score: 72,
      failure: null,
      pages: 2,
      writtenBy: 'rules',
      callback: 'sent',
    });
    const s = await steps(handle);
    expect(s.places).toEqual(['skipped', 'Google Places is not configured']);
    expect(s.research).toEqual(['skipped', 'No model configured']);
  });

  it('renders a page that needs JavaScript and crawls what Chromium rendered', async () => {
    scenario.crawl = (i) => (i.homeHtmlKey ? crawled(3) : crawled(1, true));
    const { handle, result } = await run();
    expect(names()).toEqual(['start', 'crawl', 'render', 'crawl', 'record', 'research', 'callback']);
    expect(calls[3].input).toMatchObject({ homeHtmlKey: calls[2].input.key, homeUrl: 'https://bistro.fr/app' });
    expect(result.pages).toBe(3);
    expect((await steps(handle))['fetch-site'][1]).toMatch(/^3 pages, rendered in Chromium:/);
  });

  it('keeps the plain crawl when the render fails', async () => {
    scenario.crawl = () => crawled(1, true);
    scenario.render = () => {
      throw failure('AddressRefused', 'a script went to 169.254.169.254');
    };
    const { handle, result } = await run();
    expect(names()).toEqual(['start', 'crawl', 'render', 'record', 'research', 'callback']);
    expect(result.pages).toBe(1);
    expect((await steps(handle))['fetch-site'][1]).toMatch(/not rendered in Chromium \(a script went to 169/);
  });

  it("makes a site that refuses the lead's outcome, not the run's, and skips the research", async () => {
    scenario.crawl = () => {
      throw failure('BlockedByRobots', 'robots.txt disallows /');
    };
    scenario.record = () => recorded('failed', 'Blocked by robots rules: robots.txt disallows /');
    const { handle, result } = await run();
    expect(names()).toEqual(['start', 'crawl', 'record', 'callback']);
    expect(calls[2].input).toMatchObject({
      factsKey: null,
      pages: 0,
      siteFailure: { type: 'BlockedByRobots', message: 'robots.txt disallows /' },
    });
    expect(result).toMatchObject({ status: 'failed', failure: 'Blocked by robots rules: robots.txt disallows /' });
    const s = await steps(handle);
    expect(s['fetch-site']).toEqual(['failed', 'robots.txt disallows /']);
    expect(s.research).toEqual(['skipped', 'The site could not be read']);
  });

  it('asks Places only for a lead the site left without contact facts, and merges what it matched', async () => {
    scenario.crawl = () => crawled(2, false, { phones: 0, city: null } as never);
    scenario.places = () => ({ status: 'matched', placeId: 'p1', fields: { phones: ['+33472000000'] }, mapsUrl: null });
    await run(true);
    expect(names()).toEqual(['start', 'crawl', 'places', 'record', 'research', 'callback']);
    expect(calls[3].input.places).toEqual({ placeId: 'p1', fields: { phones: ['+33472000000'] } });

    calls = [];
    scenario.crawl = () => crawled(2);
    await run(true);
    expect(names()).not.toContain('places');
  });

  it("takes the research agent's verdict and records who wrote it", async () => {
    scenario.research = () => ({
      outcome: 'written',
      score: 41,
      status: 'disqualified',
      reasons: [],
      writtenBy: 'openai',
      model: 'gpt-4o-mini',
      tokens: { input: 1200, output: 80 },
      costUsd: 0.0002,
      toolCalls: 2,
    });
    const { result } = await run();
    expect(names()).toEqual(['start', 'crawl', 'record', 'research', 'note-research', 'callback']);
    expect(calls[4].input).toMatchObject({
      score: 41,
      writtenBy: 'openai:gpt-4o-mini',
      tokens: { input: 1200, output: 80 },
    });
    expect(result).toMatchObject({ status: 'disqualified', score: 41, writtenBy: 'openai:gpt-4o-mini' });
  });

  it('notes a callback the CRM refuses, and the enrichment stands', async () => {
    scenario.callback = () => {
      throw failure('RequestRefused', 'http://crm/ answered 410');
    };
    const { handle, result } = await run();
    expect(names()).toEqual(['start', 'crawl', 'record', 'research', 'callback', 'callback-failed']);
    expect(result).toMatchObject({ status: 'qualified', callback: 'failed' });
    expect((await steps(handle)).callback).toEqual(['failed', 'http://crm/ answered 410']);
  });

  it('marks the lead failed when a step breaks, and fails the run', async () => {
    scenario.record = () => {
      throw failure('InvalidInput', 'the facts do not parse');
    };
    const handle = await saga.start(leadEnrichmentWorkflow, input());
    expect(await failureOf(handle.result())).toBe('InvalidInput: the facts do not parse');
    expect(calls.at(-1)).toEqual({
      name: 'fail',
      input: { workspaceId: 'w1', leadId: 'l1', workflowId: handle.workflowId, message: 'the facts do not parse' },
    });
  });
});
