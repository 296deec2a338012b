/**
 * Workspace credits against the run's real PostgreSQL (migration 0004): the ledger's arithmetic, the saga steps and
 * their idempotency, concurrent reservations, the database's append-only and overdraw guards, the activities in
 * `MockActivityEnvironment`, and the HTTP routes mounted behind the real authentication.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import express from 'express';
import { QueryTypes } from 'sequelize';
import { createCreditActivities, type CreditActivities } from '../../activities/credits';
import { Workspace } from '../../db';
import {
  createCreditRepository,
  CreditReservationConflictError,
  type CreditRepository,
} from '../../db/repositories/credit.repository';
import { authenticate } from '../../api/middleware/auth';
import { errorHandler, notFoundHandler } from '../../api/middleware/errors';
import { creditsRouter } from '../../api/routes/credits.routes';
import { createCreditService } from '../../api/services/credit.service';
import { recordingLogger } from '../support/recording-logger';
import { startTestStack, type TestStack } from '../support/harness';

let stack: TestStack;
let repo: CreditRepository;
let acts: CreditActivities;
const workspaces: string[] = [];

beforeAll(async () => {
  stack = await startTestStack('credits', { workers: [] });
  repo = createCreditRepository(stack.db);
  acts = createCreditActivities({ repo });
});
afterAll(async () => {
  if (workspaces.length) await Workspace.destroy({ where: { id: workspaces } });
  await stack?.stop();
});

/** A workspace of this test's own, so each case starts from zero credits. */
async function workspace(credits = 0): Promise<string> {
  const { id } = await Workspace.create({ name: `credits ${workspaces.length}` });
  workspaces.push(id);
  if (credits > 0) await repo.grant(id, credits, null, 'test credits');
  return id;
}

const rid = (label: string) => `video/${label}/${randomUUID()}`;

const env = (workflowId = 'video/brand/request') =>
  new MockActivityEnvironment(
    { workflowExecution: { workflowId, runId: randomUUID() }, activityType: 'credits' },
    { logger: recordingLogger() },
  );

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected an ApplicationFailure');
}

async function sql(query: string, replacements: Record<string, unknown> = {}) {
  return stack.db.sequelize.query(query, { replacements, type: QueryTypes.SELECT });
}

describe('ledger arithmetic', () => {
  it('grants credits: balance and available rise, nothing reserved', async () => {
    const ws = await workspace();
    expect(await repo.balance(ws)).toEqual({ balance: 0, reserved: 0, available: 0 });
    const { entry, created } = await repo.grant(
      ws,
      250,
      { kind: 'user', id: stack.admin.id, name: 'Admin' },
      'Launch bonus',
    );
    expect(created).toBe(true);
    expect(entry).toMatchObject({
      kind: 'grant',
      amount: 250,
      reservationId: null,
      description: 'Launch bonus',
      createdBy: stack.admin.id,
      metadata: { actor: { kind: 'user', id: stack.admin.id, name: 'Admin' } },
    });
    expect(await repo.balance(ws)).toEqual({ balance: 250, reserved: 0, available: 250 });
  });

  it('reserve holds, capture charges the actual cost and frees the hold', async () => {
    const ws = await workspace(100);
    const id = rid('capture');
    const reserved = await repo.reserve(ws, id, 30, 'Video for Lumen: 30 s');
    expect(reserved).toMatchObject({ outcome: 'reserved', created: true, available: 70 });
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 30, available: 70 });
    expect(await repo.reservation(ws, id)).toEqual({
      reservationId: id,
      status: 'reserved',
      reserved: 30,
      held: 30,
      charged: 0,
      shortfall: 0,
    });

    const captured = await repo.capture(ws, id, 25, { description: 'Video: 28.4 s' });
    expect(captured).toEqual({
      changed: true,
      reservation: { reservationId: id, status: 'captured', reserved: 30, held: 0, charged: 25, shortfall: 0 },
    });
    expect(await repo.balance(ws)).toEqual({ balance: 75, reserved: 0, available: 75 });

    const { items } = await repo.ledger(ws, { limit: 10 });
    expect(items.map((e) => [e.kind, e.amount])).toEqual([
      ['capture', -25],
      ['release', 30],
      ['reserve', -30],
      ['grant', 100],
    ]);
    expect(items[0]).toMatchObject({ reservationId: id, metadata: { reserved: 30, requested: 25 } });
    // available is the sum of every entry; balance the sum of grant/adjust/capture.
    expect(items.reduce((s, e) => s + e.amount, 0)).toBe(75);
  });

  it('release gives the whole hold back', async () => {
    const ws = await workspace(100);
    const id = rid('release');
    await repo.reserve(ws, id, 40);
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 40, available: 60 });
    const released = await repo.release(ws, id, { reason: 'Script rejected' });
    expect(released).toMatchObject({ changed: true, reservation: { status: 'released', reserved: 40, held: 0 } });
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 0, available: 100 });
  });

  it('captures above the estimate when the workspace can pay, else charges the hold and records the shortfall', async () => {
    const ws = await workspace(50);
    const over = rid('over');
    await repo.reserve(ws, over, 10);
    const paid = await repo.capture(ws, over, 14);
    expect(paid.reservation).toMatchObject({ status: 'captured', charged: 14, shortfall: 0 });
    expect(await repo.balance(ws)).toEqual({ balance: 36, reserved: 0, available: 36 });

    const short = rid('short');
    await repo.reserve(ws, short, 30);
    await repo.reserve(ws, rid('other'), 6); // available now 0
    const capped = await repo.capture(ws, short, 45);
    expect(capped.reservation).toMatchObject({ status: 'captured', reserved: 30, charged: 30, shortfall: 15 });
    expect(await repo.balance(ws)).toEqual({ balance: 6, reserved: 6, available: 0 });
    const [last] = (await repo.ledger(ws, { limit: 1 })).items;
    expect(last.metadata).toMatchObject({ reserved: 30, requested: 45, shortfall: 15 });
  });

  it('adjusts either way, never below zero available', async () => {
    const ws = await workspace(20);
    expect(await repo.adjust(ws, -5, null, 'Correction')).toMatchObject({ outcome: 'adjusted' });
    expect(await repo.adjust(ws, -16, null, 'Too much')).toEqual({ outcome: 'insufficient', available: 15 });
    expect(await repo.balance(ws)).toEqual({ balance: 15, reserved: 0, available: 15 });
  });
});

describe('saga steps are idempotent', () => {
  it('reserving twice holds once', async () => {
    const ws = await workspace(100);
    const id = rid('twice');
    await repo.reserve(ws, id, 30);
    const again = await repo.reserve(ws, id, 30);
    expect(again).toMatchObject({ outcome: 'reserved', created: false, available: 70 });
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 30, available: 70 });
  });

  it('capturing twice charges once; a release after the capture changes nothing', async () => {
    const ws = await workspace(100);
    const id = rid('capture-twice');
    await repo.reserve(ws, id, 30);
    await repo.capture(ws, id, 20);
    const after = await repo.balance(ws);
    expect(after).toEqual({ balance: 80, reserved: 0, available: 80 });
    expect(await repo.capture(ws, id, 20)).toMatchObject({ changed: false, reservation: { charged: 20 } });
    expect(await repo.release(ws, id, { reason: 'late failure' })).toMatchObject({
      changed: false,
      reservation: { status: 'captured' },
    });
    // A reserve retried after everything is settled finds its reservation too.
    expect(await repo.reserve(ws, id, 30)).toMatchObject({ outcome: 'reserved', created: false });
    expect(await repo.balance(ws)).toEqual(after);
    expect((await repo.ledger(ws, { limit: 10 })).items).toHaveLength(4);
  });

  it('releasing twice returns once; a capture after the release charges nothing', async () => {
    const ws = await workspace(100);
    const id = rid('release-twice');
    await repo.reserve(ws, id, 30);
    await repo.release(ws, id, { reason: 'cancelled' });
    expect(await repo.release(ws, id, { reason: 'cancelled' })).toMatchObject({ changed: false });
    expect(await repo.capture(ws, id, 30)).toMatchObject({
      changed: false,
      reservation: { status: 'released', charged: 0 },
    });
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 0, available: 100 });
    expect((await repo.ledger(ws, { limit: 10 })).items).toHaveLength(3);
  });

  it('a release before the reserve leaves a tombstone: a late reserve holds nothing', async () => {
    const ws = await workspace(100);
    const id = rid('zombie');
    expect(await repo.release(ws, id, { reason: 'reserve timed out' })).toMatchObject({
      changed: true,
      reservation: { status: 'released', reserved: 0 },
    });
    expect(await repo.reserve(ws, id, 30)).toMatchObject({ outcome: 'closed', available: 100 });
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 0, available: 100 });
  });

  it('a capture of a reservation never taken changes nothing', async () => {
    const ws = await workspace(100);
    expect(await repo.capture(ws, rid('none'), 5)).toMatchObject({ changed: false, reservation: { status: 'none' } });
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 0, available: 100 });
  });

  it('a grant with an idempotency key is written once', async () => {
    const ws = await workspace();
    const first = await repo.grant(ws, 40, null, 'Top-up', { idempotencyKey: 'order-17' });
    const second = await repo.grant(ws, 40, null, 'Top-up', { idempotencyKey: 'order-17' });
    expect(second).toEqual({ entry: first.entry, created: false });
    expect(await repo.balance(ws)).toMatchObject({ balance: 40 });
  });
});

describe('concurrency', () => {
  it('20 concurrent reservations against 10 credits: exactly 10 succeed, available never negative', async () => {
    const ws = await workspace(10);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => repo.reserve(ws, rid(`race-${i}`), 1)));
    expect(results.filter((r) => r.outcome === 'reserved')).toHaveLength(10);
    expect(results.filter((r) => r.outcome === 'insufficient')).toHaveLength(10);
    for (const r of results) expect(r.available).toBeGreaterThanOrEqual(0);
    expect(await repo.balance(ws)).toEqual({ balance: 10, reserved: 10, available: 0 });
  });

  it('the same reservation reserved concurrently is held once', async () => {
    const ws = await workspace(100);
    const id = rid('same');
    const results = await Promise.all(Array.from({ length: 8 }, () => repo.reserve(ws, id, 10)));
    expect(results.filter((r) => r.outcome === 'reserved' && r.created)).toHaveLength(1);
    expect(await repo.balance(ws)).toEqual({ balance: 100, reserved: 10, available: 90 });
  });

  it('a capture and a release racing settle the reservation one way only', async () => {
    const ws = await workspace(100);
    const id = rid('settle-race');
    await repo.reserve(ws, id, 30);
    const [capture, release] = await Promise.all([repo.capture(ws, id, 20), repo.release(ws, id)]);
    expect([capture.changed, release.changed].filter(Boolean)).toHaveLength(1);
    const { balance, reserved } = await repo.balance(ws);
    expect(reserved).toBe(0);
    expect([80, 100]).toContain(balance);
  });
});

describe('database guards', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of ledger entries', async () => {
    const ws = await workspace(10);
    await expect(sql('UPDATE credit_entries SET amount = 1000 WHERE workspace_id = :ws', { ws })).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(sql('DELETE FROM credit_entries WHERE workspace_id = :ws', { ws })).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(stack.db.sequelize.query('TRUNCATE credit_entries')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await repo.balance(ws)).toEqual({ balance: 10, reserved: 0, available: 10 });
  });

  it('refuses an entry that would overdraw, a wrong sign and a saga key that does not match its step', async () => {
    const ws = await workspace(10);
    const insert = (kind: string, amount: number, reservation: string | null, key: string | null) =>
      stack.db.sequelize.query(
        `INSERT INTO credit_entries (workspace_id, kind, amount, reservation_id, idempotency_key, description, metadata, created_at)
         VALUES (:ws, :kind, :amount, :reservation, :key, '', '{}', now())`,
        { replacements: { ws, kind, amount, reservation, key } },
      );
    await expect(insert('reserve', -11, 'r1', 'r1/reserve')).rejects.toThrow(/would overdraw/);
    await expect(insert('grant', -5, null, null)).rejects.toThrow(/credit_entries_amount_check/);
    await expect(insert('reserve', -1, 'r2', 'r2/capture')).rejects.toThrow(/credit_entries_saga_check/);
    await expect(insert('grant', 5, 'r3', null)).rejects.toThrow(/credit_entries_saga_check/);
    expect(await repo.balance(ws)).toEqual({ balance: 10, reserved: 0, available: 10 });
  });

  it("a deleted workspace's ledger goes with it", async () => {
    const { id } = await Workspace.create({ name: 'credits deleted' });
    await repo.grant(id, 5, null, 'x');
    await repo.reserve(id, rid('gone'), 2);
    await Workspace.destroy({ where: { id } });
    expect(await sql('SELECT id FROM credit_entries WHERE workspace_id = :id', { id })).toEqual([]);
  });

  it('keeps workspaces apart: a reservation id belongs to one workspace', async () => {
    const a = await workspace(10);
    const b = await workspace(10);
    const id = rid('shared');
    await repo.reserve(a, id, 5);
    await expect(repo.reserve(b, id, 5)).rejects.toBeInstanceOf(CreditReservationConflictError);
    expect(await repo.reservation(b, id)).toMatchObject({ status: 'none' });
    expect(await repo.balance(b)).toEqual({ balance: 10, reserved: 0, available: 10 });
    const failure = await failureOf(
      env().run(acts.reserveCredits, { workspaceId: b, reservationId: id, amount: 5, description: 'x' }),
    );
    expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
  });
});

describe('ledger pagination', () => {
  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const ws = await workspace();
    for (let i = 1; i <= 7; i++) await repo.grant(ws, i, null, `grant ${i}`);
    const seen: number[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await repo.ledger(ws, { limit: 3, cursor });
      sizes.push(page.items.length);
      seen.push(...page.items.map((e) => e.amount));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    // Exactly a page's worth left: no empty last page.
    expect((await repo.ledger(ws, { limit: 7 })).nextCursor).toBeNull();
  });
});

describe('activities', () => {
  it('reserve → capture through the activities, keyed by the workflow id', async () => {
    const ws = await workspace(100);
    const workflowId = rid('activity');
    const input = { workspaceId: ws, reservationId: workflowId, amount: 12, description: 'Video for Lumen: 30 s' };
    const first = await env(workflowId).run(acts.reserveCredits, input);
    expect(first).toEqual({ reservationId: workflowId, reserved: 12, available: 88, created: true });
    // A retried attempt (the first one's result was lost) changes nothing.
    expect(await env(workflowId).run(acts.reserveCredits, input)).toMatchObject({ created: false, available: 88 });

    const capture = { ...input, amount: 9, description: 'Video: 24.8 s' };
    expect(await env(workflowId).run(acts.captureCredits, capture)).toMatchObject({
      status: 'captured',
      charged: 9,
      changed: true,
    });
    expect(await env(workflowId).run(acts.captureCredits, capture)).toMatchObject({ charged: 9, changed: false });
    expect(
      await env(workflowId).run(acts.releaseCredits, { workspaceId: ws, reservationId: workflowId, reason: 'x' }),
    ).toMatchObject({ status: 'captured', changed: false });
    expect(await repo.balance(ws)).toEqual({ balance: 91, reserved: 0, available: 91 });
    const [entry] = (await repo.ledger(ws, { limit: 1 })).items;
    expect(entry).toMatchObject({ kind: 'capture', reference: workflowId, description: 'Video: 24.8 s' });
    expect(entry.metadata).toMatchObject({ activity: 'credits', attempt: 1 });
  });

  it('insufficient credits fail fast: non-retryable InsufficientCredits with the numbers', async () => {
    const ws = await workspace(7);
    const failure = await failureOf(
      env().run(acts.reserveCredits, { workspaceId: ws, reservationId: rid('poor'), amount: 12, description: 'x' }),
    );
    expect(failure.type).toBe('InsufficientCredits');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      'Insufficient credits: this video needs 12 credits and the workspace has 7 available; ask an admin to grant more',
    );
    expect(failure.details).toEqual([{ needed: 12, available: 7 }]);
    expect(await repo.balance(ws)).toEqual({ balance: 7, reserved: 0, available: 7 });
  });

  it('release after a failure returns the hold; capturing what was never reserved is NotFound', async () => {
    const ws = await workspace(50);
    const id = rid('fail');
    await env(id).run(acts.reserveCredits, { workspaceId: ws, reservationId: id, amount: 20, description: 'x' });
    expect(
      await env(id).run(acts.releaseCredits, { workspaceId: ws, reservationId: id, reason: 'Render failed' }),
    ).toMatchObject({ status: 'released', reserved: 20, changed: true });
    expect(await repo.balance(ws)).toEqual({ balance: 50, reserved: 0, available: 50 });
    const [entry] = (await repo.ledger(ws, { limit: 1 })).items;
    expect(entry).toMatchObject({ kind: 'release', amount: 20, description: 'Render failed' });

    const missing = await failureOf(
      env().run(acts.captureCredits, { workspaceId: ws, reservationId: rid('never'), amount: 5, description: 'x' }),
    );
    expect(missing).toMatchObject({ type: 'NotFound', nonRetryable: true });
    const negative = await failureOf(
      env().run(acts.reserveCredits, { workspaceId: ws, reservationId: rid('neg'), amount: -3, description: 'x' }),
    );
    expect(negative).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
  });
});

describe('HTTP', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    // The credits router behind the real authentication (API keys of the stack's workspace).
    const app = express();
    const api = express.Router();
    api.use(express.json());
    api.use(authenticate(stack.server.services.accounts));
    api.use(
      creditsRouter(
        createCreditService(repo, { voiceProvider: 'espeak', scriptProvider: 'offline', imageProvider: 'template' }),
      ),
    );
    app.use('/api/v1', api);
    app.use(notFoundHandler);
    app.use(errorHandler);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  const call = async (method: string, path: string, body?: unknown, key = stack.keys.admin, headers = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
  };

  it('grants as an admin and shows balance and ledger to every role', async () => {
    const start = (await call('GET', '/credits')).body;
    const granted = await call('POST', '/credits/grants', { amount: 500, note: 'Spring campaign' });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      kind: 'grant',
      amount: 500,
      description: 'Spring campaign',
      createdBy: null,
      balance: { balance: start.balance + 500, available: start.available + 500 },
    });
    // Granted with an API key: no user id, the key named in the metadata.
    expect(granted.body.metadata.actor).toMatchObject({ kind: 'apiKey' });

    const viewer = await call('GET', '/credits', undefined, stack.keys.viewer);
    expect(viewer).toMatchObject({ status: 200, body: { balance: start.balance + 500 } });
    const ledger = await call('GET', '/credits/ledger?limit=1', undefined, stack.keys.viewer);
    expect(ledger.status).toBe(200);
    expect(ledger.body.items).toEqual([expect.objectContaining({ id: granted.body.id, amount: 500 })]);
  });

  it('quotes a video as the workflow will reserve it, and names the bad parameter', async () => {
    const quote = await call('GET', '/credits/quote?seconds=30&platforms=local,youtube', undefined, stack.keys.viewer);
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ total: 3 + 1, blocks: 3 });
    expect(quote.body.lines.map((l: { item: string }) => l.item)).toEqual([
      'render',
      'voice',
      'script',
      'images',
      'publish',
    ]);
    expect((await call('GET', '/credits/quote?seconds=60&voice=elevenlabs')).body.total).toBe(6 + 12);
    for (const [q, fieldName] of [
      ['seconds=10', 'seconds'],
      ['seconds=30&platforms=myspace', 'platforms'],
      ['seconds=30&voice=robot', 'voice'],
    ]) {
      const res = await call('GET', `/credits/quote?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toMatch(new RegExp(`^${fieldName}`));
    }
  });

  it('refuses grants from editors and bad amounts, naming amount', async () => {
    expect((await call('POST', '/credits/grants', { amount: 5 }, stack.keys.editor)).status).toBe(403);
    for (const amount of [0, -5, 1.5, 1_000_001, '10']) {
      const res = await call('POST', '/credits/grants', { amount });
      expect(res.status).toBe(400);
      expect(res.type).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['amount']);
    }
    expect((await call('POST', '/credits/grants', { amount: 5, extra: true })).status).toBe(400);
  });

  it('makes a grant safe to retry with Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `grant-${randomUUID()}` };
    const first = await call('POST', '/credits/grants', { amount: 30 }, stack.keys.admin, headers);
    const again = await call('POST', '/credits/grants', { amount: 30 }, stack.keys.admin, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.balance.balance).toBe(first.body.balance.balance);
    const other = await call('POST', '/credits/grants', { amount: 31 }, stack.keys.admin, headers);
    expect(other.status).toBe(409);
  });

  it('pages the ledger and refuses a cursor it did not give', async () => {
    for (let i = 0; i < 3; i++) await call('POST', '/credits/grants', { amount: 1 });
    const one = await call('GET', '/credits/ledger?limit=2');
    expect(one.body.items).toHaveLength(2);
    expect(one.body.nextCursor).toEqual(expect.any(String));
    const two = await call('GET', `/credits/ledger?limit=2&cursor=${one.body.nextCursor}`);
    expect(two.body.items[0].id).not.toBe(one.body.items[1].id);
    expect(Number(two.body.items[0].id)).toBeLessThan(Number(one.body.items[1].id));
    const bad = await call('GET', '/credits/ledger?cursor=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');
    expect((await call('GET', '/credits/ledger?limit=500')).status).toBe(400);
  });
});
