import { ApplicationFailure } from '@temporalio/common';
import { createOfflineWriter, headlineFromCaption, writeOfflinePostCopy } from '../../activities/text/offline-writer';
import { type BrandFacts, type PostCopyRequest } from '../../activities/text/text-writer.port';
import {
  PLATFORMS,
  PLATFORM_LIMITS,
  POST_TYPE_NAMES,
  checkPostCopy,
  composePostText,
  type Platform,
  type PostType,
} from '../../lib/social';

const brand: BrandFacts = {
  name: 'Bluebird Roasters',
  slogan: 'Coffee, done right',
  mission: 'We make specialty coffee accessible to everyone.',
  category: 'Coffee',
  voice: 'warm and friendly',
  keywords: ['specialty coffee', 'fair trade', 'fresh roast'],
  website: 'https://www.bluebird.example/',
};

const longText = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
const stressBrand: BrandFacts = {
  name: 'The Extraordinarily Long Artisanal Bakery and Coffee House Collective of Northern California',
  slogan: longText(60),
  mission: longText(200),
  category: longText(10),
  voice: 'bold',
  keywords: [longText(12), 'sourdough', 'x'.repeat(150), 'café crème', "Joe's #1 pizza!"],
  website: `https://${'a'.repeat(300)}.example`,
};

const cases: [Platform, PostType][] = PLATFORMS.flatMap((p) =>
  POST_TYPE_NAMES.map((t): [Platform, PostType] => [p, t]),
);

describe('offline writer', () => {
  it('covers every platform and post type (45 cases)', () => {
    expect(cases).toHaveLength(45);
  });

  describe.each(cases)('%s / %s', (platform, postType) => {
    const req: PostCopyRequest = { brand, platform, postType };

    it('writes copy the platform accepts', () => {
      const copy = writeOfflinePostCopy(req);
      expect(checkPostCopy(copy, platform)).toEqual([]);
      expect(copy.callToAction.trim()).not.toBe('');
    });

    it('is deterministic', () => {
      expect(writeOfflinePostCopy(req)).toEqual(writeOfflinePostCopy({ ...req, brand: { ...brand } }));
    });

    it('is grounded in the brand', () => {
      const copy = writeOfflinePostCopy(req);
      const text = composePostText(copy).toLowerCase();
      expect(text.includes('bluebird roasters') || brand.keywords.some((k) => text.includes(k))).toBe(true);
      expect(copy.hashtags[0]).toBe('BluebirdRoasters');
      expect(copy.altText).toContain('Bluebird Roasters');
    });

    it('stays valid with oversized brand facts', () => {
      const copy = writeOfflinePostCopy({ brand: stressBrand, platform, postType, topic: longText(80) });
      expect(checkPostCopy(copy, platform)).toEqual([]);
    });

    it('writes valid Italian copy', () => {
      const copy = writeOfflinePostCopy({ ...req, language: 'it-IT' });
      expect(checkPostCopy(copy, platform)).toEqual([]);
      expect(copy).not.toEqual(writeOfflinePostCopy(req));
    });
  });

  it('derives camel-cased hashtags from the brand name, keywords and post type', () => {
    const copy = writeOfflinePostCopy({ brand, platform: 'instagram', postType: 'tips' });
    expect(copy.hashtags).toEqual(
      expect.arrayContaining(['BluebirdRoasters', 'SpecialtyCoffee', 'FairTrade', 'QuickTips']),
    );
    for (const tag of copy.hashtags) expect(tag).toMatch(/^[\p{L}\p{N}_]+$/u);
  });

  it('respects the hashtag cap of X', () => {
    const copy = writeOfflinePostCopy({ brand, platform: 'x', postType: 'promotional' });
    expect(copy.hashtags.length).toBeLessThanOrEqual(PLATFORM_LIMITS.x.hashtagsMax);
  });

  it('uses the topic', () => {
    const copy = writeOfflinePostCopy({
      brand,
      platform: 'linkedin',
      postType: 'announcement',
      topic: 'our new Oakland café',
    });
    expect(copy.caption).toContain('our new Oakland café');
    expect(copy.hashtags).toContain('NewOaklandCafé');
  });

  it('follows a professional voice: no emoji, no exclamation marks', () => {
    const pro = { ...brand, voice: 'Professional and authoritative' };
    for (const postType of POST_TYPE_NAMES) {
      const text = composePostText(writeOfflinePostCopy({ brand: pro, platform: 'facebook', postType }));
      expect(text).not.toMatch(/\p{Extended_Pictographic}/u);
      expect(text).not.toContain('!');
    }
  });

  it('puts the website in the call to action where links work', () => {
    expect(writeOfflinePostCopy({ brand, platform: 'linkedin', postType: 'promotional' }).callToAction).toBe(
      'Discover more at bluebird.example',
    );
    expect(writeOfflinePostCopy({ brand, platform: 'instagram', postType: 'promotional' }).callToAction).toMatch(/bio/);
  });

  it('drops hashtags before cutting the caption on X', () => {
    // A long topic fills X's 280 characters: the hook survives whole, the hashtags make room.
    const topic =
      'the grand reopening of our flagship roastery and tasting room on Telegraph Avenue in Oakland, with free cuppings, live music, latte art workshops and a brand new seasonal menu all weekend long';
    const copy = writeOfflinePostCopy({ brand, platform: 'x', postType: 'announcement', topic });
    expect(checkPostCopy(copy, 'x')).toEqual([]);
    expect(copy.caption).toContain(topic);
    expect(copy.caption).not.toContain('…');
    expect(copy.hashtags.length).toBeLessThan(2);
  });

  it('cuts at a word boundary when the caption alone is too long', () => {
    const copy = writeOfflinePostCopy({ brand, platform: 'x', postType: 'trending', topic: longText(100) });
    expect(copy.hashtags).toEqual([]);
    expect(copy.caption).toMatch(/word\d+…$/);
    expect([...composePostText(copy)].length).toBeLessThanOrEqual(280);
  });

  it('keeps Instagram alt text within 100 characters and describes the image', () => {
    for (const postType of POST_TYPE_NAMES) {
      const copy = writeOfflinePostCopy({ brand, platform: 'instagram', postType });
      expect([...copy.altText].length).toBeLessThanOrEqual(100);
      expect(copy.altText).toMatch(/^Bluebird Roasters (branded )?graphic/);
    }
  });

  it('names the image headline: the first caption line without emoji', () => {
    const copy = writeOfflinePostCopy({ brand, platform: 'facebook', postType: 'engagement' });
    const headline = headlineFromCaption(copy.caption);
    expect(headline).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(copy.altText).toContain(headline);
  });

  it('copes with a brand that has only a name', () => {
    for (const platform of PLATFORMS) {
      for (const postType of POST_TYPE_NAMES) {
        const copy = writeOfflinePostCopy({ brand: { name: 'Acme', keywords: [] }, platform, postType });
        expect(checkPostCopy(copy, platform)).toEqual([]);
        expect(copy.caption).not.toContain('undefined');
      }
    }
  });

  it('rejects a request without a brand name as InvalidInput', () => {
    const run = () => writeOfflinePostCopy({ brand: { name: '  ', keywords: [] }, platform: 'x', postType: 'tips' });
    expect(run).toThrow(ApplicationFailure);
    try {
      run();
    } catch (err) {
      expect((err as ApplicationFailure).type).toBe('InvalidInput');
      expect((err as ApplicationFailure).nonRetryable).toBe(true);
    }
  });

  it('serves through the TextWriter port as provider "offline"', async () => {
    const writer = createOfflineWriter();
    await expect(writer.check()).resolves.toBeUndefined();
    const result = await writer.writePostCopy({ brand, platform: 'tiktok', postType: 'seasonal', topic: 'Christmas' });
    expect(writer.name).toBe('offline');
    expect(result.provider).toBe('offline');
    expect(result.value.caption).toContain('Christmas');
  });
});
