/**
 * videoPipelineWorkflow end to end through the API with real Temporal, PostgreSQL, espeak-ng, Chromium and ffmpeg:
 * credits refused, then granted; a 30 s vertical video approved with an edit, rendered, checked with ffprobe and
 * published on the local channel and YouTube (a local server speaking its API) while LinkedIn refuses every request;
 * and a run cancelled while ffmpeg renders (the process stops, the reservation is released).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { QueryTypes } from 'sequelize';
import { startFakeLinkedInServer, type FakeLinkedInServer } from '../fakes/platforms/linkedin-server';
import { startFakeYouTubeServer, type FakeYouTubeServer } from '../fakes/platforms/youtube-server';
import { videoAnalyticsWorkflow, type VideoAnalyticsInput } from '../../workflows/video-analytics.workflow';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';
import { childProcesses } from '../support/worker-process';

const run = promisify(execFile);
const enc = encodeURIComponent;

let stack: TestStack;
/** The published run of the second test, for the analytics test. */
let published: { brandId: string; publications: any[]; videoId: string } | undefined;
let youtube: FakeYouTubeServer;
let linkedin: FakeLinkedInServer;

const step = (r: any, name: string) => r.progress?.steps.find((x: any) => x.name === name);

async function ffprobe(file: string) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  return JSON.parse(stdout) as {
    streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
    format: { duration: string; format_name: string };
  };
}

async function download(urlPath: string): Promise<Buffer> {
  const res = await fetch(`${stack.baseUrl}${urlPath}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function startVideo(input: Record<string, unknown>) {
  const res = await stack.request('POST', '/api/v1/runs', { automation: 'video', input });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function ledgerOf(reservationId: string) {
  const res = await stack.request('GET', '/api/v1/credits/ledger?limit=100');
  expect(res.status).toBe(200);
  return (res.body.items as any[]).filter((e) => e.reservationId === reservationId);
}

beforeAll(async () => {
  youtube = await startFakeYouTubeServer();
  linkedin = await startFakeLinkedInServer();
  stack = await startTestStack('video', {
    env: {
      YOUTUBE_ACCESS_TOKEN: youtube.token,
      YOUTUBE_API_BASE_URL: youtube.url,
      LINKEDIN_ACCESS_TOKEN: linkedin.token,
      LINKEDIN_AUTHOR_URN: 'urn:li:organization:2414183',
      LINKEDIN_API_BASE_URL: linkedin.url,
      PUBLISH_POLL_INTERVAL_MS: '200',
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  await youtube?.close();
  await linkedin?.close();
});

it('fails fast with a clear message when the workspace has too few credits', async () => {
  const brand = await stack.brand({ name: 'Broke Bakery' });
  expect((await stack.request('GET', '/api/v1/credits')).body).toMatchObject({ available: 0 });
  const id = await startVideo({ brandId: brand.id, brief: { topic: 'Our sourdough' }, approval: { required: false } });
  const failed = await waitForRun(stack, id, (r) => r.status === 'failed', 60_000);
  expect(failed.failure.message).toMatch(
    /Insufficient credits: this video needs \d+ credits and the workspace has 0 available/,
  );
  expect(step(failed, 'load').status).toBe('failed');
  expect(step(failed, 'script').status).toBe('pending');
  expect(await ledgerOf(id)).toEqual([]);
});

it('writes, waits for approval, renders a watchable video and publishes it where it can', async () => {
  // Refused before anything: a viewer may not grant, nor a negative amount.
  const viewer = await stack.request('POST', '/api/v1/credits/grants', { amount: 100 }, { key: stack.keys.viewer });
  expect(viewer.status).toBe(403);
  const negative = await stack.request('POST', '/api/v1/credits/grants', { amount: -5 });
  expect(negative.status).toBe(400);
  expect((await stack.request('POST', '/api/v1/credits/grants', { amount: 100, note: 'launch' })).status).toBe(201);

  linkedin.failAlways(403, { message: 'Not enough permissions to access: partnerApiPostsExternal.CREATE' });
  const brand = await stack.brand({
    name: 'Verde Coffee',
    slogan: 'Roasted where it grows',
    colors: { primary: '#1f5135', secondary: '#f1e3c6' },
  });
  const id = await startVideo({
    brandId: brand.id,
    brief: {
      topic: 'Why shade-grown coffee tastes sweeter',
      audience: 'home baristas',
      tone: 'warm, expert',
      language: 'en',
      callToAction: 'Try the harvest box',
    },
    format: 'vertical',
    targetSeconds: 30,
    platforms: ['local', 'youtube', 'linkedin'],
    approval: { required: true, timeoutSeconds: 900 },
  });

  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length > 0, 60_000);
  expect(step(waiting, 'load').detail).toMatch(/^Verde Coffee; \d+ credits reserved$/);
  const [hold] = await ledgerOf(id);
  expect(hold).toMatchObject({ kind: 'reserve' });
  const reserved = -hold.amount;
  expect(reserved).toBe(3 + 2); // 3 render blocks; YouTube and LinkedIn at 1 each, the local channel free
  const approval = waiting.progress.approvals[0];
  const script = approval.content;
  expect(script.scenes.length).toBeGreaterThanOrEqual(3);
  expect(script.plannedSeconds).toBeGreaterThan(30 * 0.75);
  expect(script.plannedSeconds).toBeLessThan(30 * 1.25);

  // A bad edit names the field; a good one changes the scene the video shows.
  const bad = await stack.request('POST', `/api/v1/runs/${enc(id)}/approvals/${approval.id}`, {
    action: 'edit',
    edits: { scenes: { 0: { narration: '' } } },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].field).toMatch(/^edits\.scenes\.0\.narration/);
  const opening = 'Shade-grown coffee ripens slowly under the forest canopy, so every cherry builds its sugars.';
  const edited = await stack.request('POST', `/api/v1/runs/${enc(id)}/approvals/${approval.id}`, {
    action: 'edit',
    edits: { scenes: { 0: { narration: opening, onScreenText: 'Shade makes it sweet' } } },
  });
  expect(edited.status).toBe(200);

  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 240_000);
  const result = done.result;
  expect(result.status).toBe('partially-published');
  expect(result.publications.map((p: any) => [p.platform, p.status])).toEqual([
    ['local', 'published'],
    ['youtube', 'published'],
    ['linkedin', 'failed'],
  ]);
  expect(result.publications[2].error).toMatch(/LinkedIn.*403|Not enough permissions/);
  expect(step(done, 'publish').detail).toMatch(/^Published on brand channel, YouTube; LinkedIn failed: /);

  // The file: H.264 + AAC, 1080×1920, as long as the narration (within 10 %), with faststart.
  const video = done.progress.artifacts.find((a: any) => a.kind === 'video');
  expect(video.url).toBe(result.videoUrl);
  const bytes = await download(result.videoUrl);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'video-test-')), 'video.mp4');
  fs.writeFileSync(file, bytes);
  const probe = await ffprobe(file);
  const v = probe.streams.find((s) => s.codec_type === 'video')!;
  const a = probe.streams.find((s) => s.codec_type === 'audio')!;
  expect([v.codec_name, v.width, v.height, a.codec_name]).toEqual(['h264', 1080, 1920, 'aac']);
  const narration = Number(/([\d.]+) s of narration/.exec(step(done, 'voice').detail)![1]);
  const duration = Number(probe.format.duration);
  expect(Math.abs(duration - narration) / narration).toBeLessThan(0.1);
  expect(result.durationSeconds).toBeCloseTo(duration, 0);
  // faststart: the index (moov) comes before the media data (mdat).
  expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));

  const subtitles = done.progress.artifacts.find((a: any) => a.kind === 'subtitles');
  const vtt = (await download(subtitles.url)).toString('utf8');
  expect(vtt.startsWith('WEBVTT')).toBe(true);
  // The edited narration is what the video says.
  expect(vtt.replace(/\s+/g, ' ')).toContain('Shade-grown coffee ripens slowly');
  expect(step(done, 'approval').detail).toMatch(/^Edited/);

  // On the brand's channel: listed, playing on its own page with the subtitle track, and in the feed.
  const postId = result.publications[0].externalId;
  const channel = await (await fetch(`${stack.baseUrl}/c/${brand.slug}`)).text();
  expect(channel).toContain(`/c/${brand.slug}/posts/${postId}`);
  const page = await (await fetch(`${stack.baseUrl}/c/${brand.slug}/posts/${postId}`)).text();
  // The channel keeps its own copy of the files: the same bytes.
  const source = /<source src="([^"]+)" type="video\/mp4">/.exec(page)![1];
  expect(Buffer.from(await (await fetch(source)).arrayBuffer()).equals(bytes)).toBe(true);
  expect(page).toMatch(/<track kind="subtitles" src="[^"]+\.vtt" srclang="en"/);
  const rss = await (await fetch(`${stack.baseUrl}/c/${brand.slug}/feed.rss`)).text();
  const enclosure = /<enclosure [^>]+>/.exec(rss)![0];
  expect(enclosure).toContain(`url="${source}"`);
  expect(enclosure).toContain(`length="${bytes.length}"`);
  expect(enclosure).toContain('type="video/mp4"');

  // YouTube received exactly this file once; LinkedIn was tried and left alone after its permanent refusal.
  expect(youtube.videos.size).toBe(1);
  const [uploaded] = youtube.videos.values();
  expect(uploaded.data.equals(bytes)).toBe(true);
  expect(uploaded.snippet.title.length).toBeLessThanOrEqual(100);
  expect(linkedin.count((r) => r.method === 'POST')).toBeLessThanOrEqual(2);

  // Credits: held once, captured once for what was done (LinkedIn failed, so it is not charged). A capture settles
  // the hold (release +hold) and charges (capture −actual) in one transaction (docs/credits.md).
  const entries = await ledgerOf(id);
  expect(entries.map((e) => e.kind).sort()).toEqual(['capture', 'release', 'reserve']);
  expect(entries.find((e) => e.kind === 'release').amount).toBe(reserved);
  const capture = entries.find((e) => e.kind === 'capture');
  expect(-capture.amount).toBe(result.credits.charged);
  expect(result.credits).toEqual({ reserved, charged: 3 + 1 });
  expect(step(done, 'settle').detail).toBe(`4 of ${reserved} reserved credits charged`);
  expect((await stack.request('GET', '/api/v1/credits')).body).toEqual({ balance: 96, reserved: 0, available: 96 });
  published = { brandId: brand.id, publications: result.publications, videoId: result.videoId };
}, 300_000);

it('reads views, likes and comments on a schedule into the brand KPIs, continuing as new', async () => {
  expect(published).toBeDefined();
  const { brandId, publications } = published!;
  const [ytVideo] = youtube.videos.keys();
  youtube.setStatistics(ytVideo, { views: 1200, likes: 90, comments: 30 });
  const post = `${stack.baseUrl}/c/verde-coffee/posts/${publications[0].externalId}`;
  // Two visitors (the channel counts unique visitors per day, and not clients that say they are bots).
  for (let i = 0; i < 2; i++) {
    const visitor = { 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Visitor/${i}` };
    expect((await fetch(post, { headers: visitor })).status).toBe(200);
  }

  const analytics: VideoAnalyticsInput = {
    workspaceId: stack.workspaceId,
    brandId,
    publications: publications.filter((p) => p.status === 'published'),
    intervalSeconds: 1,
    until: new Date(Date.now() + 4_500).toISOString(),
    readings: 0,
    readingsPerRun: 2,
  };
  const handle = await stack.client.workflow.start(videoAnalyticsWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId: `analytics-test/${brandId}`,
    args: [analytics],
  });
  const { readings } = await handle.result();
  expect(readings).toBeGreaterThanOrEqual(3);
  // More readings than one run takes: the history was carried into a new run.
  expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);

  // The post's page views (this test's two visitors; the earlier test's fetch says it is Node, not counted) + 1200 on
  // YouTube; 2 posts this week.
  const [{ views: local }] = await stack.db.sequelize.query<{ views: string }>(
    'SELECT views FROM posts WHERE id = :id',
    {
      replacements: { id: publications[0].externalId },
      type: QueryTypes.SELECT,
    },
  );
  expect(Number(local)).toBe(2);
  const kpis = (await stack.request('GET', `/api/v1/brands/${brandId}/kpis`)).body.items as any[];
  const week = kpis.at(-1);
  expect(week).toMatchObject({ views: 1202, posts: 2, source: 'local-channel' });
  expect(week.engagementRate).toBeCloseTo(120 / 1202, 6);
}, 60_000);

it('stops ffmpeg and releases the reservation when the run is cancelled during the render', async () => {
  const brand = await stack.brand({ name: 'Cancelled Candles' });
  const before = (await stack.request('GET', '/api/v1/credits')).body;
  const id = await startVideo({
    brandId: brand.id,
    brief: { topic: 'Hand-poured soy candles', callToAction: 'Shop the winter scents' },
    format: 'horizontal',
    targetSeconds: 60,
    approval: { required: false },
  });
  // The workers run in this process: their ffmpeg is our child.
  const ffmpegOfRun = () => childProcesses(process.pid, 'ffmpeg');
  await waitFor(
    'ffmpeg to render the run',
    async () => {
      const { body } = await stack.request('GET', `/api/v1/runs/${enc(id)}`);
      // The render reports how far it is (its heartbeats, folded into the step by the API).
      const render = step(body, 'render');
      return render?.status === 'running' && render.percent > 0 && ffmpegOfRun().length > 0;
    },
    180_000,
    50,
  );

  expect((await stack.request('POST', `/api/v1/runs/${enc(id)}/cancel`)).status).toBe(202);
  const cancelled = await waitForRun(stack, id, (r) => r.status === 'cancelled', 60_000);
  expect(step(cancelled, 'render')).toMatchObject({ status: 'skipped', detail: 'Cancelled' });
  // The render's cancellation is waited for (WAIT_CANCELLATION_COMPLETED): the run closes only after ffmpeg exited.
  expect(ffmpegOfRun()).toEqual([]);

  const entries = await ledgerOf(id);
  expect(entries.map((e) => e.kind).sort()).toEqual(['release', 'reserve']);
  expect((await stack.request('GET', '/api/v1/credits')).body).toEqual(before);
  // Nothing was published.
  const page = await (await fetch(`${stack.baseUrl}/c/${brand.slug}`)).text();
  expect(page).toContain('Nothing published yet.');
}, 240_000);
