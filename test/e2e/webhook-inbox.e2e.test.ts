/**
 * The webhook inbox in #/settings, in headless Chromium: an endpoint's recent deliveries with their state and
 * error, and "Dispatch again" on a failed one. The stack's dispatcher is off; the test dispatches with its own
 * (one that Temporal refuses: a namespace that does not exist), so every state is there to see.
 */
import fs from 'node:fs';
import { Client } from '@temporalio/client';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Webhook } from 'standardwebhooks';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import { createDeliveryDispatcher } from '../../api/services/delivery-dispatcher';
import { createRunService } from '../../api/services/run.service';
import { createDeliveryInboxRepository } from '../../db/repositories/delivery-inbox.repository';
import { watchCspViolations } from '../support/csp';
import { startTestStack, type TestStack } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
jest.setTimeout(120_000);

let stack: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const testid = (id: string) => `[data-testid="${id}"]`;

function dispatcher(namespace: string, maxAttempts: number) {
  const client = new Client({ connection: stack.client.connection, namespace });
  return createDeliveryDispatcher({
    inbox: createDeliveryInboxRepository(stack.db),
    runs: createRunService({
      client,
      namespace,
      taskQueue: stack.config.temporal.taskQueues.main,
      temporalUiUrl: stack.config.temporal.uiUrl,
      automations: stack.server.services.automations,
    }),
    client,
    taskQueue: stack.config.temporal.taskQueues.main,
    batchSize: 10,
    pollMs: 200,
    maxAttempts,
    retentionDays: 14,
    startTimeoutMs: 2_000,
  });
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  stack = await startTestStack('e2e-webhook-inbox', { workers: [], env: { WEBHOOK_DISPATCHER_ENABLED: 'false' } });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900, deviceScaleFactor: 1 });
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (err) => pageErrors.push(err instanceof Error ? err.message : String(err)));
  await watchCspViolations(page, pageErrors);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('shows an endpoint’s deliveries with state and error, and dispatches a failed one again', async () => {
  const brand = await stack.brand({ name: 'Inbox Coffee' });
  const created = await stack.request('POST', '/api/v1/webhook-endpoints', {
    name: 'Brief form',
    automation: 'social-post',
    inputMapping: { brandId: brand.id, platform: 'linkedin', postType: 'tips' },
  });
  expect(created.status).toBe(201);
  const runIds: string[] = [];
  for (const id of ['msg_ui_1', 'msg_ui_2']) {
    const body = JSON.stringify({ n: id });
    const res = await fetch(`${stack.baseUrl}/api/v1/hooks/${created.body.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': new Webhook(created.body.secret).sign(id, new Date(), body),
      },
      body,
    });
    expect(res.status).toBe(202);
    runIds.push(((await res.json()) as { runId: string }).runId);
  }
  // Both refused once (failed), then the first queued again by the API and started for real.
  await dispatcher(`missing-${stack.name}`, 1).drain();
  const real = dispatcher(stack.config.temporal.namespace, 5);
  const base = `/api/v1/webhook-endpoints/${created.body.id}/deliveries`;
  expect((await stack.request('POST', `${base}/msg_ui_1/dispatch`)).status).toBe(202);
  expect(await real.drain()).toBe(1);

  await page.goto(`${stack.baseUrl}/#/settings`);
  await page.waitForSelector(testid('login-email'));
  await page.type(testid('login-email'), stack.admin.email);
  await page.type(testid('login-password'), stack.admin.password);
  await page.click(testid('login-submit'));
  await page.waitForSelector(testid('webhook-row'));
  await page.click(`${testid('webhook-deliveries-panel')} summary`);
  await page.waitForSelector(testid('delivery-row'));
  const rows = () => page.$$eval(`${testid('delivery-row')}`, (trs) => trs.map((tr) => (tr as HTMLElement).innerText));
  const shown = await rows();
  expect(shown).toHaveLength(2);
  expect(shown[0]).toMatch(/msg_ui_2[\s\S]*failed[\s\S]*Namespace not found/);
  expect(shown[1]).toMatch(/msg_ui_1[\s\S]*dispatched[\s\S]*Open run/);
  expect(await page.$$(testid('delivery-dispatch'))).toHaveLength(1);

  await page.click(testid('delivery-dispatch'));
  await page.waitForFunction(() => !document.querySelector('[data-testid="delivery-dispatch"]'), {});
  expect((await rows())[0]).toMatch(/msg_ui_2[\s\S]*pending/);
  expect(await real.drain()).toBe(1);
  const started = await stack.client.workflow.getHandle(runIds[1]).describe();
  expect(started.workflowId).toBe(runIds[1]);
  for (const id of runIds) await stack.client.workflow.getHandle(id).terminate('test over');
  expect(pageErrors).toEqual([]);
});
