import {
  chunkBlocks,
  embeddingInput,
  estimateTokens,
  splitSentences,
  type TextChunk,
} from '../../activities/knowledge/chunk';
import { extractMarkdown, type TextBlock } from '../../activities/knowledge/extract';

const sentence = (i: number) => `Sentence ${i} says something specific about roasting batch number ${i} in Milan.`;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');

const doc: TextBlock[] = [
  { kind: 'paragraph', text: 'A preface before any heading.' },
  { kind: 'heading', level: 1, text: 'Roasting' },
  { kind: 'paragraph', text: paragraph(0, 12) },
  { kind: 'paragraph', text: paragraph(100, 12) },
  { kind: 'heading', level: 2, text: 'Audience' },
  { kind: 'paragraph', text: 'Young professionals who brew at home.' },
  { kind: 'heading', level: 2, text: 'Channels' },
  { kind: 'paragraph', text: paragraph(200, 9) },
  { kind: 'paragraph', text: 'A short closing line.' },
];

describe('chunking', () => {
  const chunks = chunkBlocks(doc, { targetTokens: 100, overlapTokens: 25 });

  it('is deterministic', () => {
    expect(chunkBlocks(doc, { targetTokens: 100, overlapTokens: 25 })).toEqual(chunks);
  });

  it('numbers passages in order and carries the nearest heading', () => {
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    expect(chunks[0]).toMatchObject({ heading: null, text: 'A preface before any heading.' });
    expect(chunks.find((c) => c.text.includes('Young professionals'))!.heading).toBe('Audience');
    const channels = chunks.filter((c) => /batch number 2\d\d /.test(c.text));
    expect(channels.length).toBeGreaterThan(0);
    for (const c of channels) expect(c.heading).toBe('Channels');
  });

  it('starts a new passage at every heading', () => {
    const audience = chunks.filter((c) => c.heading === 'Audience');
    expect(audience).toHaveLength(1);
    expect(audience[0].text).toBe('Young professionals who brew at home.');
  });

  it('keeps passages near the target and never above the cap', () => {
    const roasting = chunks.filter((c) => c.heading === 'Roasting');
    expect(roasting.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.tokenCount).toBe(estimateTokens(c.text));
      expect(c.tokenCount).toBeLessThanOrEqual(150);
    }
    for (const c of roasting.slice(0, -1)) expect(c.tokenCount).toBeGreaterThan(60);
  });

  it('cuts long paragraphs at sentence boundaries and overlaps consecutive passages by whole sentences', () => {
    const roasting = chunks.filter((c) => c.heading === 'Roasting');
    for (const c of roasting) {
      expect(c.text).toMatch(/^Sentence \d+ /);
      expect(c.text).toMatch(/Milan\.$/);
    }
    for (let i = 1; i < roasting.length; i++) {
      const previousLast = splitSentences(roasting[i - 1].text).at(-1)!;
      expect(roasting[i].text.startsWith(previousLast)).toBe(true);
      expect(estimateTokens(previousLast)).toBeLessThanOrEqual(25);
    }
  });

  it('loses no sentence', () => {
    const all = chunks.map((c) => c.text).join('\n');
    for (const n of [...Array(12).keys()]
      .flatMap((i) => [i, 100 + i])
      .concat([...Array(9).keys()].map((i) => 200 + i))) {
      expect(all).toContain(sentence(n));
    }
    expect(all).toContain('A short closing line.');
  });

  it('folds a short section tail into the passage before it', () => {
    const channels = chunks.filter((c) => c.heading === 'Channels');
    expect(channels.at(-1)!.text.endsWith(`Milan.\n\nA short closing line.`)).toBe(true);
  });

  it('can turn the overlap off', () => {
    const plain = chunkBlocks(doc, { targetTokens: 100, overlapTokens: 0 });
    const texts = plain.map((c) => c.text).join('\n');
    expect(texts.split(sentence(3)).length - 1).toBe(1);
  });

  it('splits a run-on sentence at word boundaries and a giant token by characters', () => {
    const runOn = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const blob = 'x'.repeat(5000);
    const out = chunkBlocks([{ kind: 'paragraph', text: `${runOn} ${blob}` }], { targetTokens: 100 });
    expect(out.length).toBeGreaterThan(5);
    for (const c of out) expect(c.tokenCount).toBeLessThanOrEqual(150);
    expect(out.map((c) => c.text).join(' ')).toContain('word0 word1');
    expect(
      out
        .map((c) => c.text)
        .join('')
        .replace(/[^x]/g, '').length,
    ).toBeGreaterThanOrEqual(5000);
  });

  it('returns nothing for a document without text', () => {
    expect(chunkBlocks([{ kind: 'heading', level: 1, text: 'Only a title' }])).toEqual([]);
    expect(chunkBlocks([])).toEqual([]);
  });

  it('rejects inconsistent options', () => {
    expect(() => chunkBlocks(doc, { targetTokens: 100, maxTokens: 50 })).toThrow(/maxTokens/);
    expect(() => chunkBlocks(doc, { targetTokens: 100, overlapTokens: 80 })).toThrow(/overlapTokens/);
    expect(() => chunkBlocks(doc, { targetTokens: 4 })).toThrow(/targetTokens/);
  });

  it('chunks an extracted Markdown document with default sizes', () => {
    const md = `# Brand\n\n${paragraph(0, 60)}\n\n## Voice\n\nWarm, expert and playful.`;
    const out: TextChunk[] = chunkBlocks(extractMarkdown(md).blocks);
    expect(out.length).toBeGreaterThanOrEqual(3);
    expect(out.at(-1)).toMatchObject({ heading: 'Voice', text: 'Warm, expert and playful.' });
    for (const c of out.slice(0, -2)) expect(c.tokenCount).toBeGreaterThan(200);
  });
});

describe('sentences and tokens', () => {
  it('does not split after common abbreviations', () => {
    expect(splitSentences('We met Dr. Rossi at 9 a.m. today. E.g. this one. Mr. Smith agreed! Next')).toEqual([
      'We met Dr. Rossi at 9 a.m. today.',
      'E.g. this one.',
      'Mr. Smith agreed!',
      'Next',
    ]);
  });

  it('estimates tokens from words, or characters for text without spaces', () => {
    expect(estimateTokens('one two three')).toBe(4);
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('品牌故事与使命宣言品牌故事与使命宣言')).toBe(5);
  });

  it('embeds the title and heading with the passage', () => {
    expect(embeddingInput({ heading: 'Audience', text: 'Young professionals.' }, 'Brand book')).toBe(
      'Brand book\n\nAudience\n\nYoung professionals.',
    );
    expect(embeddingInput({ heading: null, text: 'Text.' })).toBe('Text.');
  });
});
