import {
  capFirst,
  charCount,
  clean,
  clipAtWord,
  endSentence,
  list,
  listWith,
  lowerFirst,
  phrase,
  sentence,
  stableHash,
  toHashtag,
} from '../../lib/prose';

describe('prose helpers', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(charCount('🔥 ok')).toBe(4);
    // A variation selector is a code point of its own.
    expect(charCount('☕️')).toBe(2);
  });

  it('cleans whitespace and turns blank text into undefined', () => {
    expect(clean('  two \n words ')).toBe('two words');
    expect(clean(' \t ')).toBeUndefined();
    expect(clean(null)).toBeUndefined();
    expect(clean(undefined)).toBeUndefined();
  });

  it('changes the case of the first letter only, leaving acronyms alone', () => {
    expect(capFirst('élan vital')).toBe('Élan vital');
    expect(capFirst('')).toBe('');
    expect(lowerFirst('We help people')).toBe('we help people');
    expect(lowerFirst('SEO first')).toBe('SEO first');
    expect(lowerFirst('A')).toBe('a');
  });

  it('makes a fact a capitalised sentence, keeping its closing mark', () => {
    expect(sentence(' we roast daily ')).toBe('We roast daily.');
    expect(sentence('Really?')).toBe('Really?');
    expect(sentence('and then…')).toBe('And then…');
  });

  it('ends typed text as a sentence without changing its case, also after a closing quote', () => {
    expect(endSentence('visit our shop')).toBe('visit our shop.');
    expect(endSentence('Buy now;  ')).toBe('Buy now.');
    expect(endSentence('She said "go!"')).toBe('She said "go!"');
    expect(endSentence('(really.)')).toBe('(really.)');
  });

  it('strips the trailing punctuation of a phrase', () => {
    expect(phrase('Fresh roasting!!! ')).toBe('Fresh roasting');
    expect(phrase('Coffee, tea…')).toBe('Coffee, tea');
  });

  it('lists items with a conjunction', () => {
    expect(list([])).toBe('');
    expect(list(['a'])).toBe('a');
    expect(list(['a', 'b'])).toBe('a and b');
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listWith('or')(['a', 'b', 'c'])).toBe('a, b or c');
  });

  it('clips at a word boundary with an ellipsis, within the limit', () => {
    expect(clipAtWord('short', 10)).toBe('short');
    expect(clipAtWord('hello world this is long', 14)).toBe('hello world…');
    expect(charCount(clipAtWord('hello world this is long', 14))).toBeLessThanOrEqual(14);
    // No space late enough: cut inside the word.
    expect(clipAtWord('supercalifragilistic', 8)).toBe('superca…');
    expect(clipAtWord('abc', 1)).toBe('a');
    expect(clipAtWord('abc', 0)).toBe('');
    // Punctuation before the cut goes with it.
    expect(clipAtWord('one, two, three, four', 11)).toBe('one, two…');
  });

  it('turns text into a CamelCase hashtag, or nothing when unreadable or too long', () => {
    expect(toHashtag('Blue Bottle coffee')).toBe('BlueBottleCoffee');
    expect(toHashtag("l'amico del caffè")).toBe('LamicoDelCaffè');
    expect(toHashtag('123')).toBeUndefined();
    expect(toHashtag('🔥')).toBeUndefined();
    expect(toHashtag('a very long keyword that goes on and on')).toBeUndefined();
  });

  it('hashes text stably (FNV-1a, unsigned 32 bits)', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('Bluebird|tips')).toBe(stableHash('Bluebird|tips'));
    expect(stableHash('Bluebird|tips')).not.toBe(stableHash('Bluebird|tipz'));
  });
});
