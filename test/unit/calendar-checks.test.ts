import { deploymentAccountReadiness } from '../../lib/calendar/account-readiness.port';
import { contentProblems, entryProblems } from '../../lib/calendar/checks';
import { createEntryValidator } from '../../lib/calendar/entry-validator';
import { checkMedia } from '../../lib/calendar/media-specs';
import type { PublishConfig } from '../../lib/publish-config';

const copy = (caption: string, hashtags: string[] = []) => ({ caption, hashtags, callToAction: '', altText: 'Coffee' });
const post = { kind: 'post' as const, platforms: ['local' as const], topic: 'Cold brew', copy: null, media: null };
const publish: PublishConfig = { timeoutMs: 1, uploadTimeoutMs: 1, pollIntervalMs: 1, processingTimeoutMs: 1 };

describe('calendar entry checks', () => {
  it('needs a topic or ready copy', () => {
    expect(contentProblems({ ...post, topic: null })).toEqual([
      { field: 'topic', message: 'An entry needs a topic or ready copy' },
    ]);
    expect(contentProblems({ ...post, topic: null, copy: copy('Ready to go') })).toEqual([]);
  });

  it("holds ready copy to each target's limits", () => {
    const long = copy('a'.repeat(300));
    expect(contentProblems({ ...post, platforms: ['local', 'x'], copy: long })).toEqual([
      { platform: 'x', field: 'copy', message: 'Post text is 300 characters; x allows 280' },
    ]);
    expect(contentProblems({ ...post, platforms: ['youtube'] })).toEqual([
      { platform: 'youtube', field: 'copy', message: 'youtube takes videos only' },
    ]);
  });

  it("holds media to each target's specs", () => {
    const image = { kind: 'image' as const, url: 'https://cdn.example/a.png', width: 1080, height: 1920, bytes: 9e6 };
    expect(checkMedia(image, 'facebook')).toEqual([]);
    expect(checkMedia(image, 'instagram').map((p) => p.message)).toEqual([
      'image is 8.6 MB; instagram allows 8.0 MB',
      '1080×1920 (0.56:1) is outside instagram’s 0.80–1.91:1'.replace('’', "'"),
    ]);
    expect(checkMedia(image, 'youtube').map((p) => p.message)).toEqual(['youtube does not take image posts']);
    const video = { ...image, kind: 'video' as const, bytes: 50e6, durationSeconds: 200 };
    expect(checkMedia(video, 'x').map((p) => p.message)).toEqual(['video is 200 s; x takes 0.5–140 s']);
    expect(checkMedia(video, 'tiktok')).toEqual([]);
  });

  it('adds account and credit problems to the content ones', () => {
    expect(
      entryProblems(
        { ...post, kind: 'video', platforms: ['local', 'youtube'] },
        {
          accounts: [
            { platform: 'local', ready: true },
            { platform: 'youtube', ready: false, reason: 'YouTube is not connected' },
          ],
          credits: { needed: 40, available: 10 },
        },
      ),
    ).toEqual([
      { platform: 'youtube', field: 'account', message: 'YouTube is not connected' },
      { field: 'credits', message: 'The video needs 40 credits; 10 are available' },
    ]);
  });
});

describe('deployment account readiness', () => {
  it('has the brand channel always and a platform when the deployment has its keys', async () => {
    const none = deploymentAccountReadiness(publish);
    expect(await none.accountReady('b', 'local')).toEqual({ ready: true });
    expect(await none.accountReady('b', 'linkedin')).toEqual({
      ready: false,
      reason: "LinkedIn is not connected: connect the brand's account in its settings",
    });
    const linkedin = deploymentAccountReadiness({
      ...publish,
      linkedin: { accessToken: 't', authorUrn: 'urn:li:person:1', baseUrl: 'https://api.linkedin.com', version: '1' },
    });
    expect(await linkedin.accountReady('b', 'linkedin')).toEqual({ ready: true });
  });

  it('validates a video against the available credits', async () => {
    const validate = createEntryValidator({
      accounts: deploymentAccountReadiness(publish),
      credits: { balance: async () => ({ available: 0 }) },
      videoDefaults: { voiceProvider: 'espeak', scriptProvider: 'offline', imageProvider: 'template' },
    });
    const result = await validate(
      { ...post, workspaceId: 'w', brandId: 'b', kind: 'video', video: { targetSeconds: 30, format: 'vertical' } },
      'scheduled',
    );
    expect(result.ok).toBe(false);
    expect(result.stage).toBe('scheduled');
    expect(result.problems).toEqual([
      { field: 'credits', message: expect.stringMatching(/^The video needs \d+ credits; 0 are available$/) },
    ]);
  });
});
