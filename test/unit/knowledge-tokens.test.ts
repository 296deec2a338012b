import { chunkBlocks, estimateTokens, type TextChunk } from '../../activities/knowledge/chunk';
import { estimatedTokens, loadCl100kTokens, type TokenCounter } from '../../activities/knowledge/tokens';
import type { TextBlock } from '../../lib/text/text-blocks';

const english = Array.from(
  { length: 30 },
  (_, i) => `Batch ${i} of our single-origin beans from Huila was cupped by hand in Milan on March ${i + 1}.`,
).join(' ');
const italian = Array.from(
  { length: 30 },
  (_, i) => `La torrefazione numero ${i} a Milano seleziona chicchi monorigine dall'Etiopia e dalla Colombia.`,
).join(' ');
const chinese = Array.from({ length: 30 }, (_, i) => `我们的品牌故事第${i}章讲述了米兰小型烘焙坊的单一产地咖啡。`).join(
  '',
);
const code = Array.from(
  { length: 40 },
  (_, i) => `const roast${i} = await fetch("https://api.example.com/v1/roasts/${i}");`,
).join('\n');
const blob = Buffer.from(Array.from({ length: 6000 }, (_, i) => (i * 7919) % 251)).toString('base64');

let cl100kTokens: TokenCounter;
const countCl100kTokens = (text: string) => cl100kTokens.count(text);
beforeAll(async () => {
  cl100kTokens = await loadCl100kTokens();
});

describe('cl100k_base token counts', () => {
  it('counts what OpenAI embedding models read', () => {
    expect(countCl100kTokens('one two three')).toBe(3);
    expect(countCl100kTokens('')).toBe(0);
    expect(countCl100kTokens('品牌故事与使命宣言品牌故事与使命宣言')).toBeGreaterThan(10);
  });

  it('counts a long unbroken run in slices, in linear time', () => {
    const started = Date.now();
    expect(countCl100kTokens('x'.repeat(200_000))).toBe(25_000);
    expect(countCl100kTokens(blob)).toBeGreaterThan(blob.length / 4);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('counts words as they are added like the whole text, for both counters', () => {
    const words = english.split(' ');
    for (const counter of [cl100kTokens, estimatedTokens]) {
      const running = counter.running();
      for (const word of words.slice(0, -1)) running.add(word);
      expect(running.peek(words.at(-1)!)).toBe(counter.count(english));
    }
  });
});

describe('chunking with cl100k_base', () => {
  const doc: TextBlock[] = [
    { kind: 'heading', level: 1, text: 'English' },
    { kind: 'paragraph', text: english },
    { kind: 'heading', level: 1, text: 'Italiano' },
    { kind: 'paragraph', text: italian },
    { kind: 'heading', level: 1, text: '中文' },
    { kind: 'paragraph', text: chinese },
    { kind: 'heading', level: 1, text: 'Code' },
    { kind: 'paragraph', text: code },
    { kind: 'paragraph', text: `Attachment: ${blob}` },
  ];
  const options = () => ({ targetTokens: 100, tokenizer: cl100kTokens });
  let chunks: TextChunk[];
  beforeAll(() => {
    chunks = chunkBlocks(doc, options());
  });

  it('is deterministic and keeps every passage within the cap, in real tokens', () => {
    expect(chunkBlocks(doc, options())).toEqual(chunks);
    for (const c of chunks) {
      expect(c.tokenCount).toBe(countCl100kTokens(c.text));
      expect(c.tokenCount).toBeLessThanOrEqual(150);
    }
    for (const heading of ['English', 'Italiano', '中文', 'Code']) {
      const section = chunks.filter((c) => c.heading === heading);
      for (const c of section.slice(0, -1)) expect(c.tokenCount).toBeGreaterThan(60);
    }
  });

  it('loses no text', () => {
    const all = chunks.map((c) => c.text).join(' ');
    for (const sentence of [...english.split(/(?<=\.) /), ...italian.split(/(?<=\.) /), ...chinese.split(/(?<=。)/)]) {
      if (sentence) expect(all).toContain(sentence);
    }
    expect(all.replace(/[^A-Za-z0-9+/=]/g, '')).toContain(blob.slice(0, 200));
  });

  it('cuts text the estimate undercounts (CJK) into more, smaller passages', () => {
    const estimated = chunkBlocks(doc, { targetTokens: 100 });
    const cjk = (list: TextChunk[]) => list.filter((c) => c.heading === '中文');
    expect(cjk(chunks).length).toBeGreaterThan(cjk(estimated).length);
    expect(Math.max(...cjk(estimated).map((c) => countCl100kTokens(c.text)))).toBeGreaterThan(150);
    expect(estimateTokens(english)).toBe(estimatedTokens.count(english));
  });
});
