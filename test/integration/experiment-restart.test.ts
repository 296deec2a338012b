/**
 * Assignment survives API restarts: the API process (`api/main.ts`, as `npm run start:api` runs it) hands out
 * variants, is SIGKILLed, and a new process on another port hands every unit — API callers and channel visitors by
 * their cookie — the same variant, without counting anyone twice. Nothing is kept in the process: the variant is a
 * hash of (experiment, unit) on the stored weights.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { maintenanceScheduleId } from '../../api/maintenance-schedule';
import { createExperimentRepository } from '../../db/repositories/experiment.repository';
import { freePort } from '../../temporal/dev-server';
import { startTestStack, waitFor, type TestStack } from '../support/harness';
import { kill } from '../support/worker-process';

jest.setTimeout(180_000);

let stack: TestStack;
const children: ChildProcess[] = [];
const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36' };

beforeAll(async () => {
  stack = await startTestStack('experiment-restart', { workers: [] });
});
afterAll(async () => {
  await Promise.all(children.map(kill));
  // Each API process ensures the account maintenance schedule of its queue.
  await stack?.client.schedule
    .getHandle(maintenanceScheduleId(stack.config.temporal.taskQueues.main))
    .delete()
    .catch(() => undefined);
  await stack?.stop();
});

/** An API process on a port of its own, over the stack's database and Temporal; resolves once it serves. */
async function spawnApi(): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('api', 'main.ts')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, ...stack.env, API_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor('the API process', async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 60_000, 250);
  return { base, child };
}

it('gives every unit the same variant after the API process is killed and started again', async () => {
  const brand = await stack.brand({ name: 'Restart Roasters' });
  const created = await stack.request('POST', '/api/v1/experiments', {
    brandId: brand.id,
    name: 'Three captions',
    hypothesis: 'One of three captions gets more clicks',
    kind: 'post',
    variants: [
      {
        key: 'A',
        name: 'Long',
        weight: 20,
        content: { caption: 'Our beans, roasted on Tuesdays.', callToAction: 'Shop' },
      },
      { key: 'B', name: 'Short', weight: 30, content: { caption: 'Beans. Tuesday.', callToAction: 'Shop' } },
      { key: 'C', name: 'Question', weight: 50, content: { caption: 'Fresh beans?', callToAction: 'Shop' } },
    ],
  });
  expect(created.status).toBe(201);
  const experiment = created.body;
  await createExperimentRepository(stack.db).updateState(stack.workspaceId, experiment.id, {
    status: 'running',
    started: true,
  });
  const units = Array.from({ length: 150 }, (_, i) => `restart-unit-${i}`);
  const auth = { authorization: `Bearer ${stack.keys.editor}` };
  const assign = async (base: string, unit: string) => {
    const res = await fetch(`${base}/api/v1/experiments/${experiment.id}/assignment?unit=${unit}`, { headers: auth });
    expect(res.status).toBe(200);
    return (await res.json()) as { variant: { key: string }; recorded: boolean };
  };
  const channel = (base: string, cookie?: string) =>
    fetch(`${base}/c/${brand.slug}/x/${experiment.id}`, { headers: { ...browser, ...(cookie ? { cookie } : {}) } });
  const variantOf = (html: string) => /data-variant="([A-Z])"/.exec(html)![1];

  const first = await spawnApi();
  const before = new Map<string, string>();
  for (const unit of units) {
    const a = await assign(first.base, unit);
    expect(a.recorded).toBe(true);
    before.set(unit, a.variant.key);
  }
  const visitors: { cookie: string; variant: string }[] = [];
  for (let i = 0; i < 30; i++) {
    const res = await channel(first.base);
    visitors.push({ cookie: res.headers.get('set-cookie')!.split(';')[0], variant: variantOf(await res.text()) });
  }
  // All three variants are handed out, near their weights.
  const shares = ['A', 'B', 'C'].map((k) => [...before.values()].filter((v) => v === k).length);
  expect(shares.every((n) => n > 0)).toBe(true);
  expect(shares[2]).toBeGreaterThan(shares[0]);

  await kill(first.child);
  const second = await spawnApi();
  for (const unit of units) {
    const a = await assign(second.base, unit);
    expect({ unit, key: a.variant.key, recorded: a.recorded }).toEqual({
      unit,
      key: before.get(unit),
      recorded: false,
    });
  }
  for (const v of visitors) expect(variantOf(await (await channel(second.base, v.cookie)).text())).toBe(v.variant);

  // Counted once each, whichever process saw them: the API units and the channel's visitors.
  const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
  for (const key of ['A', 'B', 'C']) {
    const expected =
      [...before.values()].filter((v) => v === key).length + visitors.filter((v) => v.variant === key).length;
    expect(body.stats.find((s: { key: string }) => s.key === key).exposures).toBe(expected);
  }
});
