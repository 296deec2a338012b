/**
 * The approval gate's two passes over an edit (lib/edits.ts): the lenient merge, which the update handler runs on
 * every replay, never throws whatever the edit holds, and gives the same content as the strict pass for every edit
 * the strict pass accepts — so a rule made stricter later cannot fail a replayed run.
 */
import fc from 'fast-check';
import { copyEditRules, mergeCopyEdit } from '../../lib/social-copy-edit';
import { deliveryEditRules, mergeDeliveryEdit, type ReportDelivery } from '../../lib/report/delivery-edit';
import { mergeSceneEdits, planScript, sceneEditRules } from '../../lib/video/script-rules';
import type { EditRules } from '../../lib/edits';
import type { PostCopy } from '../../lib/social';

const copy: PostCopy = {
  caption: 'Grind right before you brew. Fresh grounds keep their aroma.',
  hashtags: ['coffee', 'brewing'],
  callToAction: 'Try it tomorrow morning',
  altText: 'A hand grinder on a wooden table',
};
const delivery: ReportDelivery = {
  subject: 'Your brand diagnosis',
  recipients: ['cmo@example.com'],
  summary: 'Strong identity, weak channels.',
  overall: 62,
  pdfUrl: 'http://localhost/files/report.pdf',
};
const words = (n: number) => Array.from({ length: n }, () => 'coffee').join(' ');
const script = planScript(
  {
    title: 'Better coffee at home',
    scenes: Array.from({ length: 5 }, (_, i) => ({
      narration: `${words(15)} ${i}.`,
      onScreenText: `Headline ${i}`,
      visual: `Close-up ${i}`,
    })),
  },
  160,
);

/** Edits of every shape: the fields each automation knows, unknown ones, and values of any JSON type. */
const anyValue = fc.oneof(
  fc.string(),
  fc.array(fc.string(), { maxLength: 4 }),
  fc.constantFrom('cmo@example.com', 'Short title', words(12), ''),
  fc.array(fc.constantFrom('a@b.co', 'not an email', ' x@y.org '), { maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const fieldsOf = (known: string[]) => fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 12 }));
const editsOf = (known: string[]) => fc.dictionary(fieldsOf(known), anyValue, { minKeys: 1, maxKeys: 4 });

function holdsBothPasses<T>(rules: EditRules<T>, content: T, edits: Record<string, unknown>): boolean {
  const merged = rules.merge(content, edits);
  let strict: T;
  try {
    strict = rules.check(content, edits);
  } catch (err) {
    expect((err as { type?: string }).type).toBe('InvalidEdit');
    return false;
  }
  expect(merged).toEqual(strict);
  return true;
}

describe('edit rules', () => {
  it('social post copy: the merge never throws and agrees with every accepted edit', () => {
    let accepted = 0;
    fc.assert(
      fc.property(editsOf(['caption', 'hashtags', 'callToAction', 'altText']), (edits) => {
        if (holdsBothPasses(copyEditRules('instagram'), copy, edits)) accepted++;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('report delivery: the merge never throws and agrees with every accepted edit', () => {
    let accepted = 0;
    fc.assert(
      fc.property(editsOf(['subject', 'recipients']), (edits) => {
        if (holdsBothPasses(deliveryEditRules, delivery, edits)) accepted++;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('video script: the merge never throws and agrees with every accepted edit', () => {
    const scene = fc.record({ narration: anyValue, onScreenText: anyValue, visual: anyValue }, { requiredKeys: [] });
    const edits = fc.oneof(
      editsOf(['title', 'scenes.0.narration', 'scenes.4.onScreenText', 'scenes.9.visual', 'scenes.1', 'scenes']),
      fc.record({
        scenes: fc.oneof(fc.array(scene, { maxLength: 7 }), fc.dictionary(fc.string({ maxLength: 2 }), scene)),
      }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(edits, (e) => {
        if (holdsBothPasses(sceneEditRules({ wordsPerMinute: 160 }), script, e)) accepted++;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('a rule made stricter after an edit was accepted does not change what the merge gives', () => {
    const edit = { caption: `${'Long caption word '.repeat(20)}end.` };
    // Accepted under Instagram's 2,200 characters; X's 280 would refuse it, the merge still applies it.
    expect(() => copyEditRules('instagram').check(copy, edit)).not.toThrow();
    expect(() => copyEditRules('x').check(copy, { caption: 'y'.repeat(300) })).toThrow(/caption/);
    expect(mergeCopyEdit(copy, { caption: 'y'.repeat(300) }).caption).toBe('y'.repeat(300));
    expect(mergeDeliveryEdit(delivery, { recipients: ['not an email'] })).toEqual(delivery);
    expect(mergeSceneEdits(script, { 'scenes.0.narration': words(200) }).scenes[0].narration).toBe(words(200));
  });
});
