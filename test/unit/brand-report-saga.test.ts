/**
 * The brand report's branches with stubbed activities: the report's row follows the run to its end exactly once —
 * sent (one email under the run's idempotency key), ready without recipients, rejected, failed on an approval timeout
 * with policy `fail`, on a render that fails and on a cancel during the render (in a non-cancellable scope) — and a
 * run that fails before its row exists marks nothing.
 */
import type { QueueActivities } from '../../activities/queues';
import { failure } from '../../lib/failures';
import { brandReportWorkflow, type BrandReportInput } from '../../workflows/brand-report.workflow';
import { failureOf, gate, startSagaEnv, waitForApproval, type SagaEnv } from '../support/saga-env';

jest.setTimeout(60_000);

interface Seen {
  statuses: { status: string; error?: string }[];
  outcomes: number;
  emails: { idempotencyKey: string; to: string[]; subject: string; text: string }[];
  sent: string[][];
}
let seen: Seen;
let behaviour: { loadFails?: boolean; renderFails?: boolean; renderGate?: Promise<void> };
let renderStarted: () => void;
let renderRunning: Promise<void>;

const main: Partial<QueueActivities['main']> = {
  loadReportInputs: async (ref) => {
    if (behaviour.loadFails) throw failure('NotFound', `Diagnosis ${ref.diagnosisId} was not found`);
    return {
      brand: { id: ref.brandId, name: 'Saga Skincare', slug: 'saga-skincare', keywords: ['serum'], colors: {} },
      diagnosis: { id: ref.diagnosisId, completedAt: '2026-11-30T10:00:00.000Z', answers: {} },
      kpis: [],
    } as never;
  },
  startReport: async () => ({ reportId: 'r1' }),
  scoreReportToStorage: async (input) => ({ key: input.key, overall: 62, popularityIndex: null, clusterCount: 2 }),
  retrieveReportPassages: async (input) => ({ key: input.key, found: 0, documentsSearched: 0, embedder: 'lexical' }),
  writeStoredReportAnalysis: async (input) => ({
    key: input.key,
    summary: 'A clear identity, a thin content plan.',
    recommendationCount: 6,
    topRecommendations: [1, 2, 3, 4, 5].map((priority) => ({ priority, title: `Step ${priority}` })),
    provenance: [{ section: 'summary', provider: 'offline', inputTokens: 0, outputTokens: 0, costUsd: 0 }],
  }),
  recordStoredReportOutcome: async () => {
    seen.outcomes++;
  },
  markReportStatus: async (input) => {
    seen.statuses.push({ status: input.status, ...(input.error ? { error: input.error } : {}) });
  },
  sendEmail: async (input) => {
    seen.emails.push({ idempotencyKey: input.idempotencyKey, to: input.to, subject: input.subject, text: input.text! });
    return {
      accepted: input.to,
      messageId: '<m1@saga>',
      sentAt: '2026-12-03T08:00:00.000Z',
      provider: 'smtp',
    } as never;
  },
  markReportSent: async (input) => {
    seen.sent.push(input.recipients);
  },
};
const browser: Partial<QueueActivities['browser']> = {
  renderStoredReportPdf: async (input) => {
    renderStarted();
    await behaviour.renderGate;
    if (behaviour.renderFails) throw failure('InvalidInput', 'the analysis has no summary');
    return {
      pdf: { key: `${input.keyPrefix}/report.pdf`, bytes: 90_000, sha256: 'x', pages: 9 },
      html: { key: `${input.keyPrefix}/report.html`, bytes: 40_000, sha256: 'y' },
    };
  },
};

let saga: SagaEnv;
beforeAll(async () => {
  saga = await startSagaEnv({ main, browser }, 'report-saga');
}, 120_000);
afterAll(() => saga?.stop());
beforeEach(() => {
  seen = { statuses: [], outcomes: 0, emails: [], sent: [] };
  behaviour = {};
  renderRunning = new Promise((resolve) => (renderStarted = resolve));
});

const input = (recipients: string[], approval?: Partial<BrandReportInput['approval']>): BrandReportInput => ({
  workspaceId: 'w1',
  brandId: 'b1',
  diagnosisId: 'd1',
  recipients,
  language: 'en',
  approval: { required: true, timeoutSeconds: 60, onTimeout: 'reject', ...approval },
});

describe('brand report saga', () => {
  it('approved, it emails the PDF once under the run’s idempotency key and marks the row sent', async () => {
    const handle = await saga.start(brandReportWorkflow, input(['cmo@saga.example']));
    const approvalId = await waitForApproval(handle);
    await handle.executeUpdate('decide', {
      args: [{ approvalId, action: 'edit', edits: { subject: 'Your diagnosis', recipients: ['ceo@saga.example'] } }],
    });
    expect(await handle.result()).toMatchObject({ status: 'sent', reportId: 'r1', pages: 9, overall: 62 });
    expect(seen.emails).toEqual([
      {
        idempotencyKey: `${handle.workflowId}/email`,
        to: ['ceo@saga.example'],
        subject: 'Your diagnosis',
        text: expect.stringContaining('1. Step 1\n2. Step 2\n3. Step 3\n4. Step 4\n5. Step 5'),
      },
    ]);
    expect(seen).toMatchObject({ outcomes: 1, sent: [['ceo@saga.example']], statuses: [] });
  });

  it('without recipients it stores the report, asks nobody and mails nothing', async () => {
    const handle = await saga.start(brandReportWorkflow, input([]));
    expect(await handle.result()).toMatchObject({ status: 'ready', recipients: [] });
    expect(seen).toEqual({ statuses: [], outcomes: 1, emails: [], sent: [] });
  });

  it('rejected, it marks the row rejected with the comment and mails nothing', async () => {
    const handle = await saga.start(brandReportWorkflow, input(['cmo@saga.example']));
    const approvalId = await waitForApproval(handle);
    await handle.executeUpdate('decide', { args: [{ approvalId, action: 'reject', comment: 'Wrong period' }] });
    expect(await handle.result()).toMatchObject({ status: 'rejected' });
    expect(seen).toMatchObject({ statuses: [{ status: 'rejected', error: 'Wrong period' }], emails: [], sent: [] });
  });

  it('an approval timeout whose policy is to fail marks the row failed once', async () => {
    const handle = await saga.start(
      brandReportWorkflow,
      input(['cmo@saga.example'], { timeoutSeconds: 1, onTimeout: 'fail' }),
    );
    expect(await failureOf(handle.result())).toMatch(/^ApprovalTimeout: No decision within 1 s/);
    expect(seen.statuses).toEqual([{ status: 'failed', error: expect.stringMatching(/No decision within 1 s/) }]);
    expect(seen.emails).toEqual([]);
  });

  it('a render that fails marks the row failed with the reason and records no outcome', async () => {
    behaviour.renderFails = true;
    const handle = await saga.start(brandReportWorkflow, input(['cmo@saga.example']));
    expect(await failureOf(handle.result())).toMatch(/^InvalidInput: the analysis has no summary/);
    expect(seen).toEqual({
      statuses: [{ status: 'failed', error: expect.stringMatching(/the analysis has no summary/) }],
      outcomes: 0,
      emails: [],
      sent: [],
    });
  });

  it('a cancel during the render marks the row failed, even though the run is being cancelled', async () => {
    const render = gate();
    behaviour.renderGate = render.promise;
    const handle = await saga.start(brandReportWorkflow, input(['cmo@saga.example']));
    await renderRunning;
    await handle.cancel();
    render.open();
    await expect(handle.result()).rejects.toThrow();
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect(seen).toEqual({ statuses: [{ status: 'failed', error: 'Cancelled' }], outcomes: 0, emails: [], sent: [] });
  });

  it('a load that fails ends the run before a row exists: nothing is marked', async () => {
    behaviour.loadFails = true;
    const handle = await saga.start(brandReportWorkflow, input(['cmo@saga.example']));
    expect(await failureOf(handle.result())).toMatch(/^NotFound: Diagnosis d1 was not found/);
    expect(seen).toEqual({ statuses: [], outcomes: 0, emails: [], sent: [] });
  });
});
