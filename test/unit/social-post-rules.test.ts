import { checkPostCopy, composePostText, type PostCopy } from '../../lib/social';
import { applyCopyEdit, headlineOf } from '../../lib/social-copy-edit';

const copy: PostCopy = {
  caption: 'Fresh beans, better mornings. Here is how.',
  hashtags: ['Coffee', 'HomeBrewing'],
  callToAction: 'Tell us your ratio.',
  altText: 'Lumen Coffee card',
};

describe('post copy rules', () => {
  it('counts the composed text against the platform limit', () => {
    expect(composePostText(copy)).toBe(
      'Fresh beans, better mornings. Here is how.\n\nTell us your ratio.\n\n#Coffee #HomeBrewing',
    );
    expect(checkPostCopy(copy, 'x')).toEqual([]);
    const long = { ...copy, caption: 'a'.repeat(250) };
    expect(checkPostCopy(long, 'x').map((v) => v.field)).toEqual(['caption']);
    expect(checkPostCopy(long, 'linkedin')).toEqual([]);
  });

  it('refuses bad hashtags and empty alt text', () => {
    const violations = checkPostCopy({ ...copy, hashtags: ['ok', 'not ok'], altText: ' ' }, 'instagram');
    expect(violations.map((v) => v.field).sort()).toEqual(['altText', 'hashtags']);
  });
});

describe('approval edits', () => {
  it('applies allowed fields and strips # from hashtags', () => {
    const edited = applyCopyEdit(copy, { caption: 'New caption.', hashtags: ['#One', ' Two '] }, 'instagram');
    expect(edited).toEqual({ ...copy, caption: 'New caption.', hashtags: ['One', 'Two'] });
  });

  it('refuses unknown fields, wrong types and rule violations with field details', () => {
    const details = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as { type?: string; details?: unknown[] }).type === 'InvalidEdit'
          ? (err as { details: unknown[] }).details
          : err;
      }
      throw new Error('expected a refusal');
    };
    expect(details(() => applyCopyEdit(copy, { title: 'x' }, 'x'))).toEqual([
      { field: 'title', message: 'is not an editable field' },
    ]);
    expect(details(() => applyCopyEdit(copy, { caption: 42 }, 'x'))).toEqual([
      { field: 'caption', message: 'must be text' },
    ]);
    expect(details(() => applyCopyEdit(copy, { caption: 'z'.repeat(300) }, 'x'))).toEqual([
      expect.objectContaining({ field: 'caption' }),
    ]);
  });

  it('derives a short headline from the first sentence', () => {
    expect(headlineOf('Short one. Then more.')).toBe('Short one.');
    expect(headlineOf('💬 Your stories matter. Tell us.')).toBe('Your stories matter.');
    expect(headlineOf('🚀🔥 Launch day!')).toBe('Launch day!');
    const headline = headlineOf(`${'word '.repeat(40)}end.`);
    expect(headline.length).toBeLessThanOrEqual(90);
    expect(headline.endsWith('…')).toBe(true);
  });
});
