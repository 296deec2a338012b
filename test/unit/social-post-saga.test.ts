/**
 * The social post's branches with stubbed activities: published once under its idempotency key; an edit re-renders
 * only when it changes what the image shows; a rejection, an approval timeout with policy `fail`, a failed render and
 * a cancel at approval publish nothing.
 */
import type { QueueActivities } from '../../activities/queues';
import { failure } from '../../lib/failures';
import type { PostCopy } from '../../lib/social';
import { socialPostWorkflow, type SocialPostInput } from '../../workflows/social-post.workflow';
import { failureOf, startSagaEnv, waitForApproval, type SagaEnv } from '../support/saga-env';

jest.setTimeout(60_000);

const copy: PostCopy = {
  caption: 'Weigh your coffee: 1 g to 16 g of water. Taste, then change one thing at a time.',
  hashtags: ['pourover'],
  callToAction: 'Try it tomorrow',
  altText: 'A pour-over on a scale',
};

let renders: { key: string; headline: string }[];
let publishes: { idempotencyKey: string; caption: string; imageKey: string | null }[];
let renderFails: boolean;
/** Whether the brand can publish on the post's platform (a connected account or deployment keys). */
let platformTarget: boolean;
let platformFails: boolean;
let platformPublishes: { idempotencyKey: string; imageKey: string; caption: string }[];

const main: Partial<QueueActivities['main']> = {
  loadBrandForPost: async () =>
    ({ name: 'Saga Roasters', slogan: null, colors: {}, fontFamily: null, keywords: ['coffee'] }) as never,
  generatePostCopy: async () => ({ copy, provider: 'offline', fallbacks: [] }) as never,
  publishToLocalChannel: async (input) => {
    publishes.push({ idempotencyKey: input.idempotencyKey, caption: input.copy.caption, imageKey: input.imageKey });
    return { postId: 'p1', url: 'http://channel/p1' } as never;
  },
  checkPostTargets: async (input) =>
    input.platforms.map((platform) => ({
      platform,
      publish: platformTarget,
      via: platformTarget ? ('account' as const) : ('none' as const),
      ready: platformTarget,
    })),
  publishPostImage: async (input) => {
    if (platformFails) throw failure('ProviderAuth', "The brand's X account needs to be reconnected: invalid_grant");
    platformPublishes.push({
      idempotencyKey: input.idempotencyKey,
      imageKey: input.imageKey,
      caption: input.text.caption,
    });
    return { platform: input.platform, status: 'published', externalId: 't1', url: 'https://x.com/i/web/status/t1' };
  },
};
const browser: Partial<QueueActivities['browser']> = {
  renderPostImage: async (input) => {
    if (renderFails) throw failure('InvalidInput', 'the brand colour is not a colour');
    renders.push({ key: input.key, headline: input.headline });
    return { key: input.key, url: `http://files/${input.key}`, width: 1080, height: 1080 } as never;
  },
};

let saga: SagaEnv;
beforeAll(async () => {
  saga = await startSagaEnv({ main, browser }, 'social-saga');
}, 120_000);
afterAll(() => saga?.stop());
beforeEach(() => {
  renders = [];
  publishes = [];
  renderFails = false;
  platformTarget = false;
  platformFails = false;
  platformPublishes = [];
});

const input = (approval: SocialPostInput['approval']): SocialPostInput => ({
  workspaceId: 'w1',
  brandId: 'b1',
  platform: 'x',
  postType: 'tips',
  approval,
});
const gated = { required: true, timeoutSeconds: 60, onTimeout: 'reject' } as const;

async function decideOnce(decision: Record<string, unknown>) {
  const handle = await saga.start(socialPostWorkflow, input(gated));
  const approvalId = await waitForApproval(handle);
  await handle.executeUpdate('decide', { args: [{ approvalId, ...decision }] });
  return { handle, result: await handle.result() };
}

describe('social post saga', () => {
  it('without approval it renders once and publishes once, under the run’s idempotency key', async () => {
    const handle = await saga.start(
      socialPostWorkflow,
      input({ required: false, timeoutSeconds: 60, onTimeout: 'reject' }),
    );
    expect(await handle.result()).toMatchObject({ status: 'published', postId: 'p1', copy });
    expect(renders).toHaveLength(1);
    expect(publishes).toEqual([
      { idempotencyKey: `${handle.workflowId}/publish/local`, caption: copy.caption, imageKey: renders[0].key },
    ]);
  });

  it('publishes on the post’s platform too, through its own child, when the brand can publish there', async () => {
    platformTarget = true;
    const handle = await saga.start(
      socialPostWorkflow,
      input({ required: false, timeoutSeconds: 60, onTimeout: 'reject' }),
    );
    const result = await handle.result();
    expect(result.publications).toEqual([
      { platform: 'local', status: 'published', externalId: 'p1', url: 'http://channel/p1' },
      { platform: 'x', status: 'published', externalId: 't1', url: 'https://x.com/i/web/status/t1' },
    ]);
    expect(platformPublishes).toEqual([
      { idempotencyKey: `${handle.workflowId}/publish/x`, imageKey: renders[0].key, caption: copy.caption },
    ]);
    expect(publishes).toHaveLength(1);
  });

  it('with ready copy and named targets (the calendar’s) writes nothing and publishes on those targets only', async () => {
    platformTarget = true;
    const ready: PostCopy = {
      caption: 'Roasted Tuesday, in your cup by Friday.',
      hashtags: [],
      callToAction: 'Order',
      altText: 'Beans',
    };
    const handle = await saga.start(socialPostWorkflow, {
      ...input({ required: false, timeoutSeconds: 60, onTimeout: 'reject' }),
      targets: ['x'],
      copy: ready,
    });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'published', copy: ready, url: 'https://x.com/i/web/status/t1' });
    expect(result.publications?.map((p) => p.platform)).toEqual(['x']);
    expect(publishes).toEqual([]);
    expect(platformPublishes).toEqual([
      { idempotencyKey: `${handle.workflowId}/publish/x`, imageKey: renders[0].key, caption: ready.caption },
    ]);
    const progress = (await handle.query('progress')) as { steps: { name: string; detail?: string }[] };
    expect(progress.steps.find((s) => s.name === 'write-copy')?.detail).toBe('Ready copy, as planned');
  });

  it('a named target that fails fails the run', async () => {
    platformTarget = true;
    platformFails = true;
    const handle = await saga.start(socialPostWorkflow, {
      ...input({ required: false, timeoutSeconds: 60, onTimeout: 'reject' }),
      targets: ['x'],
    });
    expect(await failureOf(handle.result())).toMatch(
      /^PublishFailed: Published nowhere; X failed: .*needs to be reconnected/,
    );
    expect(publishes).toEqual([]);
  });

  it('a platform that fails for good leaves the channel’s post and says why, without retrying', async () => {
    platformTarget = true;
    platformFails = true;
    const handle = await saga.start(
      socialPostWorkflow,
      input({ required: false, timeoutSeconds: 60, onTimeout: 'reject' }),
    );
    const result = await handle.result();
    expect(result.status).toBe('published');
    expect(result.publications?.map((p) => [p.platform, p.status])).toEqual([
      ['local', 'published'],
      ['x', 'failed'],
    ]);
    expect(result.publications?.[1].error).toMatch(/needs to be reconnected/);
    const progress = (await handle.query('progress')) as { summary: string };
    expect(progress.summary).toMatch(/X failed: .*needs to be reconnected/);
  });

  it('an edit of the caption re-renders and publishes the edited copy with the new image', async () => {
    const caption = 'Grind finer when it tastes sour. Coarser when bitter.';
    const { result } = await decideOnce({ action: 'edit', edits: { caption } });
    expect(result).toMatchObject({ status: 'published', copy: { caption } });
    expect(renders.map((r) => r.key.split('/').pop())).toEqual(['image-1.png', 'image-2.png']);
    expect(publishes).toEqual([expect.objectContaining({ caption, imageKey: renders[1].key })]);
  });

  it('an edit the image does not show (hashtags) publishes without a second render', async () => {
    const { result } = await decideOnce({ action: 'edit', edits: { hashtags: ['coffee'] } });
    expect(result).toMatchObject({ status: 'published', copy: { hashtags: ['coffee'] } });
    expect(renders).toHaveLength(1);
    expect(publishes).toEqual([expect.objectContaining({ imageKey: renders[0].key })]);
  });

  it('a rejection publishes nothing', async () => {
    const { result } = await decideOnce({ action: 'reject', comment: 'Off brand' });
    expect(result).toMatchObject({ status: 'rejected' });
    expect(publishes).toEqual([]);
  });

  it('an approval timeout whose policy is to fail ends the run with ApprovalTimeout and publishes nothing', async () => {
    const handle = await saga.start(
      socialPostWorkflow,
      input({ required: true, timeoutSeconds: 1, onTimeout: 'fail' }),
    );
    expect(await failureOf(handle.result())).toMatch(/^ApprovalTimeout: No decision within 1 s/);
    expect(publishes).toEqual([]);
  });

  it('a render that fails for good fails the run before any approval or publish', async () => {
    renderFails = true;
    const handle = await saga.start(socialPostWorkflow, input(gated));
    expect(await failureOf(handle.result())).toMatch(/^InvalidInput: the brand colour is not a colour/);
    const progress = (await handle.query('progress')) as { approvals?: unknown[] };
    expect(progress.approvals ?? []).toEqual([]);
    expect(publishes).toEqual([]);
  });

  it('a cancel at approval ends the run cancelled and publishes nothing', async () => {
    const handle = await saga.start(socialPostWorkflow, input(gated));
    await waitForApproval(handle);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect(publishes).toEqual([]);
  });
});
