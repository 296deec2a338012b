import { parseWrittenNumber, speechText, spokenWords, SPEECH_LANGUAGES } from '../../lib/video/speech-text';
import { countWords, plannedSeconds } from '../../lib/video/script-rules';

describe('speechText', () => {
  it('writes out numbers, money, percentages, units, dates, times and abbreviations in English', () => {
    expect(speechText('Save 25% on 3 x 250 ml until 12/03/2026, e.g. at 10:30 or 9:00.')).toBe(
      "Save twenty-five percent on three by two hundred fifty millilitres until twelve March two thousand twenty-six, for example at ten thirty or nine o'clock.",
    );
    expect(speechText('Only $1,299.99 & the 2nd kit, 1 km away, 3–5 days.')).toBe(
      'Only one thousand two hundred ninety-nine point ninety-nine dollars and the second kit, one kilometre away, three to five days.',
    );
  });

  it('reads numbers by the language: decimal comma, grouped thousands, compound number words', () => {
    expect(speechText('Sparen Sie 25 % auf 3 × 250 ml, nur 1.299,99 € – z.B. 3,5 kg.', 'de')).toBe(
      'Sparen Sie fünfundzwanzig Prozent auf drei mal zweihundertfünfzig Milliliter, nur eintausendzweihundertneunundneunzig komma neunundneunzig Euro – zum Beispiel drei komma fünf Kilogramm.',
    );
    expect(speechText('Le 2e pneu : 1 299,99 € le 2026-03-12.', 'fr-FR')).toBe(
      'Le deuxième pneu : mille deux cent quatre-vingt-dix-neuf virgule quatre-vingt-dix-neuf euros le douze mars deux mille vingt-six.',
    );
    expect(speechText('5分で直す', 'ja')).toBe('五分で直す');
  });

  it('leaves digits inside words, and every digit of a language without number words, to the voice', () => {
    expect(speechText('MP3 and B2B')).toBe('MP3 and B2B');
    expect(speechText('Tal 25', 'xx')).toBe('Tal 25');
  });

  it('parses written numbers by the language habits', () => {
    expect(parseWrittenNumber('1,000', 'en')).toBe('1000');
    expect(parseWrittenNumber('3,5', 'de')).toBe('3.5');
    expect(parseWrittenNumber('1.000', 'de')).toBe('1000');
    expect(parseWrittenNumber('1,5', 'en')).toBe('1.5');
    expect(parseWrittenNumber('1.000.000,25', 'fr')).toBe('1000000.25');
    expect(parseWrittenNumber('1,234,567', 'en')).toBe('1234567');
  });

  it('phrases every offered language', () => {
    for (const language of SPEECH_LANGUAGES) {
      const spoken = speechText('25% 12/03/2026 250 ml', language);
      expect(spoken).not.toMatch(/\d|%/);
    }
  });
});

describe('spokenWords', () => {
  it('counts plain prose as its words', () => {
    expect(spokenWords('Fresh coffee, roasted to order.')).toBe(5);
    expect(spokenWords('Fresh coffee, roasted to order.')).toBe(countWords('Fresh coffee, roasted to order.'));
  });

  it('counts numbers by the words they are said in and long compounds by their letters', () => {
    expect(spokenWords('2026')).toBe(4); // two thousand twenty-six
    expect(spokenWords('Donaudampfschifffahrtsgesellschaft')).toBeCloseTo(34 / 6);
    expect(spokenWords('如何冲泡')).toBeCloseTo(4 / 1.5);
  });

  it('plans the seconds from the spoken words', () => {
    // 25% on 3 × 250 ml = "twenty five percent on three by two hundred fifty millilitres" = 10 words.
    expect(plannedSeconds('25% on 3 x 250 ml', 160)).toBe(3.8);
  });
});

describe('abbreviations that are words too', () => {
  it('reads "No." as number only before one', () => {
    expect(speechText('Say no. Then call No. 5.')).toBe('Say no. Then call number five.');
    expect(speechText('Il fait 5 m. de long.', 'fr')).toBe('Il fait cinq mètres. de long.');
  });
});
