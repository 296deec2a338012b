/**
 * The run API against a real Temporal dev server, PostgreSQL and Chromium:
 * start, list, get, approve / edit / reject, cancel, retry, validation and approval timeouts.
 */
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';

let stack: TestStack;
let brand: { id: string; slug: string; channelUrl: string; feedUrl: string; name: string };

const enc = encodeURIComponent;
const socialPost = (input: Record<string, unknown> = {}) => ({
  automation: 'social-post',
  input: {
    brandId: brand.id,
    platform: 'instagram',
    postType: 'educational',
    approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' },
    ...input,
  },
});

async function startRun(input: Record<string, unknown> = {}) {
  const res = await stack.request('POST', '/api/v1/runs', socialPost(input));
  expect(res.status).toBe(201);
  return res.body as { id: string; runId: string; status: string };
}

const waitingForApproval = (run: any) => run.progress?.approvals?.length === 1;

beforeAll(async () => {
  stack = await startTestStack('runs');
  brand = await stack.brand();
});
afterAll(async () => {
  await stack?.stop();
});

describe('social post run', () => {
  it('waits for approval, publishes once on approval, and shows on the channel page and feeds', async () => {
    const started = await startRun({ topic: 'cold brew at home' });
    expect(started.id).toMatch(new RegExp(`^social-post/${brand.id}/`));
    expect(started.status).toBe('running');

    const waiting = await waitForRun(stack, started.id, waitingForApproval);
    expect(waiting.progress.phase).toBe('waiting');
    expect(waiting.input).toMatchObject({
      brandId: brand.id,
      platform: 'instagram',
      postType: 'educational',
      language: 'en',
      topic: 'cold brew at home',
    });
    expect(waiting.startedBy).toBe('api-key:admin key');
    const steps = Object.fromEntries(waiting.progress.steps.map((s: any) => [s.name, s]));
    expect(steps['write-copy'].status).toBe('done');
    expect(steps['write-copy'].provider).toBe('offline');
    expect(steps['render-image'].status).toBe('done');
    expect(steps.approval.status).toBe('waiting');
    expect(steps.publish.status).toBe('pending');
    const approval = waiting.progress.approvals[0];
    expect(approval.content.caption).toContain('Lumen Coffee');
    // The draft image is the workspace's until the post is published: members see it, nobody else does.
    const image = waiting.progress.artifacts.find((a: any) => a.kind === 'image');
    expect(image.url).toMatch(new RegExp(`^${stack.baseUrl}/api/v1/files/drafts/${stack.workspaceId}/`));
    expect(image.url).not.toContain('/files/posts/');
    expect((await fetch(image.url)).status).toBe(401);
    const png = await fetch(image.url, { headers: { authorization: `Bearer ${stack.keys.viewer}` } });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('cache-control')).toBe('private, no-store');
    const draftBytes = Buffer.from(await png.arrayBuffer());
    const draftPath = new URL(image.url).pathname.replace('/api/v1/files/', '/files/');
    expect((await fetch(`${stack.baseUrl}${draftPath}`)).status).toBe(404);

    const decided = await stack.request('POST', `/api/v1/runs/${enc(started.id)}/approvals/${approval.id}`, {
      action: 'approve',
      comment: 'Looks good',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toEqual({ approvalId: approval.id, action: 'approve' });

    const done = await waitForRun(stack, started.id, (r) => r.status === 'completed');
    expect(done.result.status).toBe('published');
    expect(done.progress.phase).toBe('completed');
    expect(done.progress.steps.find((s: any) => s.name === 'approval').detail).toBe(
      'Approved by api-key:admin key: Looks good',
    );
    const link = done.progress.artifacts.find((a: any) => a.kind === 'link');
    expect(link.url).toBe(done.result.url);

    const postPage = await fetch(done.result.url);
    expect(postPage.status).toBe(200);
    const html = await postPage.text();
    expect(html).toContain(approval.content.caption.split('\n')[0].replace(/&/g, '&amp;').slice(0, 40));

    const channel = await (await fetch(brand.channelUrl)).text();
    expect(channel).toContain(`data-post-id="${done.result.postId}"`);
    // Published: a public copy whose URL names neither the brand nor the run; the draft stays private.
    const publicImage = new RegExp(`src="(${stack.baseUrl}/files/posts/[0-9a-f]{32}/image\\.png)"`).exec(html)?.[1];
    expect(publicImage).toBeDefined();
    expect(publicImage).not.toContain(brand.id);
    const published = await fetch(publicImage!);
    expect(published.status).toBe(200);
    expect(Buffer.from(await published.arrayBuffer())).toEqual(draftBytes);
    expect((await fetch(image.url)).status).toBe(401);
    const atom = await (await fetch(brand.feedUrl)).text();
    expect(atom).toContain('<feed');
    expect(atom).toContain(done.result.url);
    const rss = await (await fetch(brand.feedUrl.replace('.atom', '.rss'))).text();
    expect(rss).toContain('<rss');
    expect(rss).toContain(done.result.url);

    const count = await stack.server.services.postRepo.countByWorkflow(started.id);
    expect(count).toBe(1);
  });

  it('lists runs of the workspace from visibility, filtered and paginated', async () => {
    const a = await startRun({ requestId: undefined });
    const b = await startRun();
    const listed = await waitFor('both runs in visibility', async () => {
      const res = await stack.request('GET', '/api/v1/runs?automation=social-post&status=running&limit=50');
      const ids = res.body.items.map((r: any) => r.id);
      return ids.includes(a.id) && ids.includes(b.id) ? res.body : undefined;
    });
    for (const run of listed.items) {
      expect(run.status).toBe('running');
      expect(run.automation).toBe('social-post');
      expect(run.brandId).toBe(brand.id);
      expect(run.temporalUrl).toContain(`/workflows/${enc(run.id)}`);
    }

    const page1 = await stack.request('GET', '/api/v1/runs?limit=1');
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await stack.request('GET', `/api/v1/runs?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);

    const byBrand = await stack.request('GET', `/api/v1/runs?brandId=00000000-0000-4000-8000-000000000000`);
    expect(byBrand.body.items).toEqual([]);

    for (const run of [a, b])
      expect((await stack.request('POST', `/api/v1/runs/${enc(run.id)}/cancel`)).status).toBe(202);
  });

  it('cancels a waiting run and reports it in progress', async () => {
    const started = await startRun();
    await waitForRun(stack, started.id, waitingForApproval);
    const res = await stack.request('POST', `/api/v1/runs/${enc(started.id)}/cancel`);
    expect(res.status).toBe(202);
    const cancelled = await waitForRun(stack, started.id, (r) => r.status === 'cancelled');
    expect(cancelled.progress.phase).toBe('cancelled');
    expect(cancelled.progress.approvals).toEqual([]);
    expect((await stack.request('POST', `/api/v1/runs/${enc(started.id)}/cancel`)).status).toBe(409);
    expect(await stack.server.services.postRepo.countByWorkflow(started.id)).toBe(0);
  });

  it('refuses an edit that breaks the platform rules, then publishes a valid edit', async () => {
    const started = await startRun({ platform: 'x', postType: 'tips' });
    const waiting = await waitForRun(stack, started.id, waitingForApproval);
    const approval = waiting.progress.approvals[0];
    const url = `/api/v1/runs/${enc(started.id)}/approvals/${approval.id}`;

    const tooLong = await stack.request('POST', url, { action: 'edit', edits: { caption: 'x'.repeat(400) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get('content-type')).toContain('application/problem+json');
    expect(tooLong.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'edits.caption' })]));

    const badField = await stack.request('POST', url, { action: 'edit', edits: { title: 'nope' } });
    expect(badField.status).toBe(400);
    expect(badField.body.errors[0].field).toBe('edits.title');

    const wrongId = await stack.request('POST', `/api/v1/runs/${enc(started.id)}/approvals/other`, {
      action: 'approve',
    });
    expect(wrongId.status).toBe(409);

    // The refused edits left the run waiting.
    expect((await stack.request('GET', `/api/v1/runs/${enc(started.id)}`)).body.progress.approvals).toHaveLength(1);

    const caption = 'Grind right before you brew. Fresh grounds keep the aromatics your beans were roasted for.';
    const ok = await stack.request('POST', url, {
      action: 'edit',
      edits: { caption, hashtags: ['#CoffeeTips', 'LumenCoffee'] },
    });
    expect(ok.status).toBe(200);
    const done = await waitForRun(stack, started.id, (r) => r.status === 'completed');
    expect(done.result.copy.caption).toBe(caption);
    expect(done.result.copy.hashtags).toEqual(['CoffeeTips', 'LumenCoffee']);
    const render = done.progress.steps.find((s: any) => s.name === 'render-image');
    expect(render.attempt).toBe(2); // the new headline was rendered again
    const post = await stack.server.services.postRepo.get(done.result.postId);
    expect(post?.caption).toBe(caption);
  });

  it('rejects: the run completes without publishing', async () => {
    const started = await startRun();
    const waiting = await waitForRun(stack, started.id, waitingForApproval);
    const res = await stack.request(
      'POST',
      `/api/v1/runs/${enc(started.id)}/approvals/${waiting.progress.approvals[0].id}`,
      { action: 'reject', comment: 'Off brand' },
    );
    expect(res.status).toBe(200);
    const done = await waitForRun(stack, started.id, (r) => r.status === 'completed');
    expect(done.result.status).toBe('rejected');
    expect(done.progress.steps.find((s: any) => s.name === 'publish').status).toBe('skipped');
    expect(await stack.server.services.postRepo.countByWorkflow(started.id)).toBe(0);
  });

  it.each([
    ['approve', 'completed', 'published'],
    ['reject', 'completed', 'rejected'],
    ['fail', 'failed', undefined],
  ])('applies the timeout policy "%s" when nobody decides', async (onTimeout, status, result) => {
    const started = await startRun({ approval: { required: true, timeoutSeconds: 2, onTimeout } });
    const done = await waitForRun(stack, started.id, (r) => r.status !== 'running' && r.progress !== null);
    expect(done.status).toBe(status);
    const approvalStep = done.progress.steps.find((s: any) => s.name === 'approval');
    expect(approvalStep.detail).toContain('No decision within 2 s');
    if (result) expect(done.result.status).toBe(result);
    else
      expect(done.failure).toEqual({
        message: expect.stringContaining('No decision within 2 s'),
        type: 'ApprovalTimeout',
        label: 'No decision in time',
      });
    expect(await stack.server.services.postRepo.countByWorkflow(started.id)).toBe(result === 'published' ? 1 : 0);
  });

  it('skips approval when the input says so, and retries a run as a new run with the same input', async () => {
    const started = await startRun({ approval: { required: false }, postType: 'seasonal', platform: 'linkedin' });
    const done = await waitForRun(stack, started.id, (r) => r.status === 'completed');
    expect(done.progress.steps.find((s: any) => s.name === 'approval').status).toBe('skipped');
    expect(done.result.status).toBe('published');

    const retried = await stack.request('POST', `/api/v1/runs/${enc(started.id)}/retry`);
    expect(retried.status).toBe(201);
    expect(retried.body.id).not.toBe(started.id);
    const second = await waitForRun(stack, retried.body.id, (r) => r.status === 'completed');
    expect(second.result.status).toBe('published');
    expect(second.result.postId).not.toBe(done.result.postId);
  });

  it('starts one run for one requestId', async () => {
    const body = { ...socialPost({ approval: { required: true, timeoutSeconds: 600 } }), requestId: 'campaign-42' };
    const first = await stack.request('POST', '/api/v1/runs', body);
    const second = await stack.request('POST', '/api/v1/runs', body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.runId).toBe(first.body.runId);
    await stack.request('POST', `/api/v1/runs/${enc(first.body.id)}/cancel`);
  });
});

describe('validation', () => {
  it('names the field at fault', async () => {
    const cases: [unknown, string][] = [
      [{ automation: 'nope', input: {} }, 'automation'],
      [socialPost({ platform: 'myspace' }), 'input.platform'],
      [socialPost({ postType: 'rant' }), 'input.postType'],
      [socialPost({ brandId: 'not-a-uuid' }), 'input.brandId'],
      [socialPost({ approval: { timeoutSeconds: -1 } }), 'input.approval.timeoutSeconds'],
      [socialPost({ surprise: true }), 'input'],
      [{ ...socialPost(), requestId: 'no spaces allowed' }, 'requestId'],
    ];
    for (const [body, field] of cases) {
      const res = await stack.request('POST', '/api/v1/runs', body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, title: 'Invalid request' });
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
  });

  it('answers malformed JSON with 400 and unknown runs with 404', async () => {
    const malformed = await stack.request('POST', '/api/v1/runs', undefined, {
      raw: '{"automation":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('body');
    expect((await stack.request('GET', `/api/v1/runs/${enc('social-post/x/y')}`)).status).toBe(404);
    const missingBrand = await stack.request(
      'POST',
      '/api/v1/runs',
      socialPost({ brandId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(missingBrand.status).toBe(404);
    expect(missingBrand.body.errors[0].field).toBe('input.brandId');
  });
});
