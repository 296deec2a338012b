/**
 * The video pipeline's saga with stubbed activities: whatever ends a run before it is charged — a render that fails,
 * publishing that fails everywhere, a rejected script, an approval timeout whose policy is to fail, a cancel — gives
 * the reserved credits back exactly once and charges nothing; a published video is charged once and released never.
 * A local Temporal dev server (the cached CLI) runs the real workflow code; only the activities are stand-ins.
 */
import type { QueueActivities } from '../../activities/queues';
import { failure } from '../../lib/failures';
import { planScript } from '../../lib/video/script-rules';
import { failureOf, startSagaEnv, waitForApproval, type SagaEnv } from '../support/saga-env';
import { videoPipelineWorkflow, type VideoPipelineInput } from '../../workflows/video-pipeline.workflow';

jest.setTimeout(60_000);

interface Behaviour {
  renderFails?: boolean;
  publishFails?: boolean;
  /** The render waits until the test lets it go (for a cancel during it). */
  renderGate?: Promise<void>;
}

/** Credits calls, by kind, as the stubs saw them. */
let calls: { reserve: number; capture: number; release: string[] };
let behaviour: Behaviour;
let renderStarted: () => void;
let renderRunning: Promise<void>;
/** Starts and ends of the activities that may overlap, in the order the stubs saw them. */
let events: string[];
let metadataStarted: () => void;
let metadataRunning: Promise<void>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

const script = planScript(
  {
    title: 'Slow broth',
    scenes: [0, 1, 2].map((i) => ({
      narration: `Simmer the bones for twelve hours and skim the fat, step ${i}.`,
      onScreenText: `Step ${i}`,
      visual: `Pot ${i}`,
    })),
  },
  160,
);

const main: Partial<QueueActivities['main']> = {
  loadVideoBrand: async (ref) => ({ ...ref, id: ref.brandId, name: 'Saga Ramen', slug: 'saga-ramen' }) as never,
  quoteVideo: async () => ({ total: 7 }) as never,
  reserveCredits: async () => {
    calls.reserve++;
    return {} as never;
  },
  captureCredits: async (input) => {
    calls.capture++;
    return { charged: input.amount, shortfall: 0 } as never;
  },
  releaseCredits: async (input) => {
    calls.release.push(input.reason ?? '');
    return {} as never;
  },
  writeVideoScript: async () => ({ script, provider: 'offline', fallbacks: [] }) as never,
  writeVideoMetadata: async (input) => {
    events.push('metadata');
    metadataStarted();
    return {
      provider: 'offline',
      items: input.platforms.map((platform) => ({ platform, title: 'Slow broth', description: 'Broth', hashtags: [] })),
    } as never;
  },
  publishVideo: async (input) => {
    if (behaviour.publishFails) throw failure('ProviderAuth', `${input.platform}: the token was revoked`);
    return { platform: input.platform, status: 'published', externalId: 'p1', url: 'http://channel/p1' } as never;
  },
};
const media: Partial<QueueActivities['media']> = {
  synthesizeNarration: async (input) => {
    events.push('voice:start');
    await sleep(300);
    events.push('voice:end');
    return input.scenes.map((s) => ({
      sceneIndex: s.index,
      key: `n-${s.index}.wav`,
      durationSeconds: 4,
      provider: 'espeak',
    })) as never;
  },
  renderVideo: async () => {
    events.push('render:start');
    renderStarted();
    await behaviour.renderGate;
    // Long enough for metadata written beside the render to start; a run that writes it after never does.
    await Promise.race([metadataRunning, sleep(2_000)]);
    events.push('render:end');
    if (behaviour.renderFails) throw failure('InvalidInput', 'frame-1.png is not an image');
    return {
      video: { key: 'v.mp4', bytes: 1, sha256: 'x', durationSeconds: 14, width: 1080, height: 1920 },
      thumbnail: { key: 't.jpg' },
      subtitles: { vttKey: 's.vtt', srtKey: 's.srt' },
    } as never;
  },
};
const browser: Partial<QueueActivities['browser']> = {
  renderSceneFrames: async (input) => {
    events.push(`frames:${input.scenes.map((s) => s.onScreenText).join('|')}`);
    return {
      frames: input.scenes.map((s) => ({ sceneIndex: s.index, key: `f-${s.index}.png`, width: 1080, height: 1920 })),
      provider: 'template',
    } as never;
  },
};

let saga: SagaEnv;

beforeAll(async () => {
  saga = await startSagaEnv({ main, media, browser }, 'video-saga');
}, 120_000);
afterAll(() => saga?.stop());

beforeEach(() => {
  calls = { reserve: 0, capture: 0, release: [] };
  behaviour = {};
  renderRunning = new Promise((resolve) => (renderStarted = resolve));
  metadataRunning = new Promise((resolve) => (metadataStarted = resolve));
  events = [];
});

const input = (
  approval: VideoPipelineInput['approval'] = { required: false, timeoutSeconds: 60, onTimeout: 'reject' },
) =>
  ({
    workspaceId: 'w1',
    brandId: 'b1',
    brief: { topic: 'Slow broth' },
    format: 'vertical',
    targetSeconds: 15,
    platforms: ['local'],
    voice: {},
    approval,
  }) as VideoPipelineInput;

const start = (i: VideoPipelineInput) => saga.start(videoPipelineWorkflow, i);

describe('video saga', () => {
  it('a published video is charged once and released never', async () => {
    const result = await (await start(input())).result();
    expect(result).toMatchObject({ status: 'published', credits: { reserved: 7, charged: 7 } });
    expect(calls).toEqual({ reserve: 1, capture: 1, release: [] });
  });

  it('draws the draft frames while its narration is measured and writes the metadata while the render runs', async () => {
    const handle = await start(input({ required: true, timeoutSeconds: 60, onTimeout: 'reject' }));
    const approvalId = await waitForApproval(handle);
    await handle.executeUpdate('decide', {
      args: [{ approvalId, action: 'edit', edits: { 'scenes.1.onScreenText': 'Skim' } }],
    });
    expect(await handle.result()).toMatchObject({ status: 'published' });
    const draft = 'frames:Step 0|Step 1|Step 2';
    // The draft's frames were asked for before its first recording was measured...
    expect(events.indexOf(draft)).toBeGreaterThanOrEqual(0);
    expect(events.indexOf(draft)).toBeLessThan(events.indexOf('voice:end'));
    // ...and the approved script's after approval (the activity keeps the unchanged ones).
    expect(events).toContain('frames:Step 0|Skim|Step 2');
    // The metadata was written before the render ended (runs recorded before wrote it after).
    expect(events.indexOf('render:start')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('metadata')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('metadata')).toBeLessThan(events.indexOf('render:end'));
  });

  it('a render that fails releases the reservation once', async () => {
    behaviour.renderFails = true;
    expect(await failureOf((await start(input())).result())).toMatch(/^InvalidInput: frame-1.png is not an image/);
    expect(calls).toEqual({ reserve: 1, capture: 0, release: ['frame-1.png is not an image'] });
  });

  it('publishing that fails everywhere releases the reservation once', async () => {
    behaviour.publishFails = true;
    expect(await failureOf((await start(input())).result())).toMatch(/^PublishFailed: Published nowhere/);
    expect(calls.capture).toBe(0);
    expect(calls.release).toHaveLength(1);
    expect(calls.release[0]).toMatch(/token was revoked/);
  });

  it('a rejected script releases the reservation and renders nothing', async () => {
    const handle = await start(input({ required: true, timeoutSeconds: 60, onTimeout: 'reject' }));
    const approvalId = await waitForApproval(handle);
    await handle.executeUpdate('decide', { args: [{ approvalId, action: 'reject' }] });
    expect(await handle.result()).toMatchObject({ status: 'rejected', credits: { reserved: 7, charged: 0 } });
    expect(calls).toEqual({ reserve: 1, capture: 0, release: ['Script rejected'] });
  });

  it('an approval timeout whose policy is to fail releases the reservation', async () => {
    const handle = await start(input({ required: true, timeoutSeconds: 1, onTimeout: 'fail' }));
    expect(await failureOf(handle.result())).toMatch(/^ApprovalTimeout: No decision within 1 s/);
    expect(calls).toEqual({ reserve: 1, capture: 0, release: [expect.stringMatching(/No decision within 1 s/)] });
  });

  it('a cancel during the render releases the reservation, even though the run is being cancelled', async () => {
    let letGo!: () => void;
    behaviour.renderGate = new Promise((resolve) => (letGo = resolve));
    const handle = await start(input());
    await renderRunning;
    await handle.cancel();
    letGo();
    await expect(handle.result()).rejects.toThrow();
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect(calls).toEqual({ reserve: 1, capture: 0, release: ['Cancelled'] });
  });
});
