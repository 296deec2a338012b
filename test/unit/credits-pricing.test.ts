import { billedSeconds, CREDIT_PRICES, estimateVideoCredits, videoBlocks } from '../../lib/credits/pricing';

const line = (cost: ReturnType<typeof estimateVideoCredits>, item: string) =>
  cost.lines.find((l) => l.item === item)?.credits;

describe('videoBlocks', () => {
  it('counts started 10-second blocks after a half-second grace, at least one', () => {
    expect(videoBlocks(0)).toBe(1);
    expect(videoBlocks(10)).toBe(1);
    expect(videoBlocks(10.5)).toBe(1);
    expect(videoBlocks(10.6)).toBe(2);
    expect(videoBlocks(30.3)).toBe(3);
    expect(videoBlocks(31)).toBe(4);
    expect(videoBlocks(180)).toBe(18);
  });

  it('refuses lengths that are not lengths', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => videoBlocks(bad)).toThrow(RangeError);
  });
});

describe('billedSeconds', () => {
  it('bills the measured length up to the target that was quoted', () => {
    // A 30 s video that ran to 31.4 s costs what 30 s was quoted: 3 blocks, not 4.
    expect(billedSeconds(31.4, 30)).toBe(30);
    expect(videoBlocks(billedSeconds(31.4, 30))).toBe(videoBlocks(30));
    // A shorter video costs less than its quote.
    expect(billedSeconds(18.2, 30)).toBe(18.2);
    expect(videoBlocks(billedSeconds(18.2, 30))).toBe(2);
  });

  it('refuses measured lengths that are not lengths', () => {
    for (const bad of [-1, Number.NaN]) expect(() => billedSeconds(bad, 30)).toThrow(RangeError);
  });
});

describe('estimateVideoCredits', () => {
  it('charges only the render for the embedded providers on the local channel', () => {
    const cost = estimateVideoCredits({ seconds: 30, platforms: ['local'] });
    expect(cost).toEqual({
      total: 3,
      blocks: 3,
      lines: [
        { item: 'render', credits: 3, detail: '3 blocks × 1' },
        { item: 'voice', credits: 0, detail: '3 blocks × 0 (espeak)' },
        { item: 'script', credits: 0, detail: '3 blocks × 0 (offline)' },
        { item: 'images', credits: 0, detail: '3 scenes × 0 (template)' },
        { item: 'publish', credits: 0, detail: 'no external platform' },
      ],
    });
  });

  it('prices cloud providers and external platforms', () => {
    const cost = estimateVideoCredits({
      seconds: 45,
      voiceProvider: 'elevenlabs',
      scriptProvider: 'openai',
      imageProvider: 'stability',
      scenes: 6,
      platforms: ['local', 'youtube', 'tiktok', 'youtube'],
    });
    expect(cost.blocks).toBe(5);
    expect(line(cost, 'render')).toBe(5);
    expect(line(cost, 'voice')).toBe(5 * CREDIT_PRICES.cloudVoicePerBlock);
    expect(line(cost, 'script')).toBe(5 * CREDIT_PRICES.modelScriptPerBlock);
    expect(line(cost, 'images')).toBe(6 * CREDIT_PRICES.imageApiPerScene);
    expect(line(cost, 'publish')).toBe(2);
    expect(cost.total).toBe(5 + 10 + 5 + 12 + 2);
    expect(cost.lines.find((l) => l.item === 'publish')?.detail).toBe('2 platforms: youtube, tiktok');
  });

  it('treats provider names case-insensitively and unknown ones as paid', () => {
    expect(line(estimateVideoCredits({ seconds: 10, voiceProvider: 'eSpeak' }), 'voice')).toBe(0);
    expect(line(estimateVideoCredits({ seconds: 10, voiceProvider: 'new-voice' }), 'voice')).toBe(2);
    expect(line(estimateVideoCredits({ seconds: 10, scriptProvider: 'Offline' }), 'script')).toBe(0);
  });

  it('prices the estimate and the actual cost with the same rule', () => {
    const estimate = estimateVideoCredits({ seconds: 60, voiceProvider: 'elevenlabs', platforms: ['youtube'] });
    const actual = estimateVideoCredits({ seconds: 58.7, voiceProvider: 'espeak', platforms: [] });
    expect(estimate.total).toBe(6 + 12 + 1);
    expect(actual.total).toBe(6);
    expect(() => estimateVideoCredits({ seconds: 10, scenes: -1 })).toThrow(RangeError);
  });
});
