/**
 * A lead batch with stubbed activities (its children are real lead runs): a window of `concurrency` leads at most,
 * each outcome counted once, continue-as-new every `runSize` leads from where it stopped, a broken lead counted as
 * failed while the batch goes on, and a cancel that starts nothing new and lets running leads finish.
 */
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { QueueActivities } from '../../activities/queues';
import { failure } from '../../lib/failures';
import {
  leadEnrichmentBatchWorkflow,
  type LeadEnrichmentBatchInput,
} from '../../workflows/lead-enrichment-batch.workflow';
import { gate, startSagaEnv, type SagaEnv } from '../support/saga-env';

jest.setTimeout(90_000);

let ids: string[];
let pages: { offset: number; limit: number }[];
let inFlight: number;
let maxInFlight: number;
let enriched: string[];
let hold: { promise: Promise<void>; open: () => void } | null;
let broken: Set<string>;

const statusOf = (leadId: string) =>
  Number(leadId.slice(1)) % 3 === 0 ? 'failed' : leadId < 'l5' ? 'qualified' : 'disqualified';

const main: Partial<QueueActivities['main']> = {
  snapshotLeadSelection: async (input) => ({ key: input.key, total: ids.length, matched: ids.length + 2, unknown: 0 }),
  readLeadBatchPage: async ({ offset, limit }) => {
    pages.push({ offset, limit });
    return ids.slice(offset, offset + limit);
  },
  startLeadEnrichment: async ({ leadId }) => {
    if (broken.has(leadId)) throw failure('NotFound', `Lead ${leadId} not found`);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return {
      brandId: null,
      companyName: leadId,
      website: null,
      domain: null,
      city: null,
      country: null,
      missingContactFacts: false,
    };
  },
  recordLeadEnrichment: async ({ leadId }) => {
    await (hold?.promise ?? new Promise((resolve) => setTimeout(resolve, 30)));
    return { status: statusOf(leadId), score: 50, reasons: [], changed: [], failureReason: null } as never;
  },
  qualifyLeadWithAgent: async () =>
    ({ outcome: 'no-model', score: 50, status: 'qualified', reasons: [], writtenBy: 'rules', toolCalls: 0 }) as never,
  sendLeadCallback: async ({ leadId }) => {
    inFlight -= 1;
    enriched.push(leadId);
    return { outcome: 'not-configured' };
  },
  failLeadEnrichment: async () => undefined,
};

let saga: SagaEnv;
beforeAll(async () => {
  saga = await startSagaEnv({ main }, 'lead-batch-saga');
}, 120_000);
afterAll(() => saga?.stop());
beforeEach(() => {
  ids = Array.from({ length: 7 }, (_, i) => `l${i + 1}`);
  pages = [];
  inFlight = 0;
  maxInFlight = 0;
  enriched = [];
  hold = null;
  broken = new Set();
});

const input = (fields: Partial<LeadEnrichmentBatchInput> = {}): LeadEnrichmentBatchInput => ({
  workspaceId: 'w1',
  brandId: null,
  selection: { filter: {} },
  concurrency: 2,
  places: false,
  ...fields,
});

describe('leadEnrichmentBatchWorkflow', () => {
  it('keeps the window, counts each lead once and continues as new where it stopped', async () => {
    const handle = await saga.start(leadEnrichmentBatchWorkflow, input({ runSize: 3 }));
    const result = await handle.result();
    expect(result).toEqual({
      status: 'completed',
      total: 7,
      matched: 9,
      counts: { total: 7, started: 7, qualified: 3, disqualified: 2, failed: 2 },
    });
    expect(maxInFlight).toBe(2);
    expect(enriched.sort()).toEqual(ids);
    // Three runs of at most 3 leads; each page read from where the previous run stopped.
    expect(pages).toEqual([
      { offset: 0, limit: 3 },
      { offset: 3, limit: 3 },
      { offset: 6, limit: 3 },
    ]);
    const progress = await handle.query<any, []>('progress');
    expect(progress.counts).toEqual({ queued: 0, running: 0, enriched: 5, qualified: 3, failed: 2 });
    expect(progress.steps.map((s: any) => [s.name, s.status, s.detail])).toEqual([
      ['select', 'done', '7 leads'],
      ['enrich', 'done', '7 of 7 leads done: 5 enriched (3 qualified), 2 failed'],
    ]);
  });

  it('counts a lead whose run breaks as failed, and goes on', async () => {
    broken = new Set(['l2']);
    ids = ['l1', 'l2', 'l4'];
    const result = await (await saga.start(leadEnrichmentBatchWorkflow, input())).result();
    expect(result.counts).toEqual({ total: 3, started: 3, qualified: 2, disqualified: 0, failed: 1 });
    expect(enriched.sort()).toEqual(['l1', 'l4']);
  });

  it('says when the selection was cut, and reads the rest', async () => {
    const handle = await saga.start(leadEnrichmentBatchWorkflow, input());
    await handle.result();
    const progress = await handle.query<any, []>('progress');
    expect(progress.steps[0].detail).toBe('7 leads (the first 7 of 9 matching)');
  });

  it('starts nothing new when cancelled, and lets the running leads finish', async () => {
    hold = gate();
    const handle = await saga.start(leadEnrichmentBatchWorkflow, input());
    for (let i = 0; i < 200 && inFlight < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(inFlight).toBe(2);
    await handle.cancel();
    await new Promise((r) => setTimeout(r, 500));
    const waiting = await handle.query<any, []>('progress');
    expect(waiting.steps[1]).toMatchObject({
      status: 'waiting',
      detail: 'Cancelled: waiting for 2 running leads to finish',
    });
    hold.open();
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as Error).cause).toBeInstanceOf(CancelledFailure);
    expect(enriched.sort()).toEqual(['l1', 'l2']);
    const progress = await handle.query<any, []>('progress');
    expect(progress.phase).toBe('cancelled');
    expect(progress.counts).toMatchObject({ queued: 5, running: 0, enriched: 2 });
  });
});
