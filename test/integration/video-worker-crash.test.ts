/**
 * The media worker process is SIGKILLed while ffmpeg renders the video: its ffmpeg dies with it, another media worker
 * picks the render up after the heartbeat timeout, and the run completes with one video, one publication per
 * platform, and its credits captured once.
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { temporal } from '@temporalio/proto';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';
import { childProcesses, isRunning, kill, spawnWorker } from '../support/worker-process';

const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

let stack: TestStack;
const children: ChildProcess[] = [];

/** A real media worker process, like `npm run worker:media`. */
function spawnMediaWorker(): ChildProcess {
  const child = spawnWorker('media.worker.ts', { ...stack.env, WORKER_METRICS_PORT: '0', LOG_LEVEL: 'warn' });
  children.push(child);
  return child;
}

beforeAll(async () => {
  stack = await startTestStack('video-crash', { workers: ['main', 'browser'] });
  expect((await stack.request('POST', '/api/v1/credits/grants', { amount: 50 })).status).toBe(201);
});
afterAll(async () => {
  await Promise.all(children.map(kill));
  await stack?.stop();
});

it('completes with one video, one publication and one charge when the worker dies while rendering', async () => {
  const brand = await stack.brand({ name: 'Steadfast Sneakers' });
  const worker = spawnMediaWorker();
  const res = await stack.request('POST', '/api/v1/runs', {
    automation: 'video',
    input: {
      brandId: brand.id,
      brief: { topic: 'Resoling instead of replacing', callToAction: 'Book a resole' },
      format: 'vertical',
      targetSeconds: 20,
      platforms: ['local'],
      approval: { required: false },
    },
  });
  expect(res.status).toBe(201);
  const id: string = res.body.id;

  const handle = stack.client.workflow.getHandle(id);
  await waitFor(
    'renderVideo to be running on the spawned worker with ffmpeg started',
    async () => {
      const { raw } = await handle.describe();
      const running = (raw.pendingActivities ?? []).some(
        (a) => a.activityType?.name === 'renderVideo' && a.state === STARTED,
      );
      return running && childProcesses(worker.pid!, 'ffmpeg').length > 0;
    },
    180_000,
    50,
  );
  const renders = childProcesses(worker.pid!, 'ffmpeg');
  await kill(worker);
  // The killed worker's ffmpeg dies with it (parent-death signal), so the retry renders alone.
  await waitFor('the killed worker’s ffmpeg to end', async () => renders.every((pid) => !isRunning(pid)), 5_000, 20);

  spawnMediaWorker();
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 240_000);
  expect(done.result.status).toBe('published');
  expect(done.result.publications).toEqual([
    expect.objectContaining({ platform: 'local', status: 'published', externalId: expect.any(String) }),
  ]);
  const { raw } = await handle.describe();
  expect(raw.pendingActivities ?? []).toEqual([]);

  // One video folder (the videoId of the run) holding one video, thumbnail and subtitles.
  const videos = path.join(stack.config.filesDir, 'videos', brand.id);
  const folders = fs.readdirSync(videos);
  expect(folders).toHaveLength(1);
  const files = fs.readdirSync(path.join(videos, folders[0]));
  expect(files.filter((f) => f.endsWith('.mp4'))).toEqual(['video.mp4']);
  expect(files).toEqual(expect.arrayContaining(['thumbnail.jpg', 'subtitles.vtt', 'subtitles.srt']));

  // One post on the channel and one publication row.
  const rows = await stack.db.sequelize.query<{ platform: string; status: string }>(
    'SELECT platform, status FROM publications WHERE workflow_id = :id',
    { replacements: { id }, type: QueryTypes.SELECT },
  );
  expect(rows).toEqual([{ platform: 'local', status: 'published' }]);
  const posts = await stack.db.sequelize.query<{ n: string }>(
    'SELECT count(*) AS n FROM posts WHERE brand_id = :brandId',
    { replacements: { brandId: brand.id }, type: QueryTypes.SELECT },
  );
  expect(Number(posts[0].n)).toBe(1);

  // Credits: one hold, one capture; nothing left reserved.
  const ledger = (await stack.request('GET', '/api/v1/credits/ledger?limit=100')).body.items.filter(
    (e: any) => e.reservationId === id,
  );
  // A capture settles the hold (release) and charges (capture) in one transaction: once each.
  expect(ledger.map((e: any) => e.kind).sort()).toEqual(['capture', 'release', 'reserve']);
  expect((await stack.request('GET', '/api/v1/credits')).body).toEqual({
    balance: 50 - done.result.credits.charged,
    reserved: 0,
    available: 50 - done.result.credits.charged,
  });
  const render = done.progress.steps.find((s: { name: string }) => s.name === 'render');
  expect(render.status).toBe('done');
}, 360_000);
