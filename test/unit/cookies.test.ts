/** Cookies are plain strings: nothing a client sends becomes an object, and malformed encoding is kept as sent. */
import fc from 'fast-check';
import { readCookies } from '../../api/middleware/cookies';

describe('readCookies', () => {
  it('reads names and percent-decoded values, first occurrence winning', () => {
    expect(readCookies('sf_session=abc%20d; other="q"; sf_session=second')).toEqual({
      sf_session: 'abc d',
      other: 'q',
    });
    expect(readCookies(undefined)).toEqual({});
    expect(readCookies('novalue; =x; a=')).toEqual({ a: '' });
  });

  it('never decodes JSON and never throws on malformed percent-encoding', () => {
    expect(readCookies('sf_session=j:[]').sf_session).toBe('j:[]');
    expect(readCookies('sf_session=%ff%').sf_session).toBe('%ff%');
    const odd = readCookies('__proto__=x; constructor=y');
    expect(Object.keys(odd).sort()).toEqual(['__proto__', 'constructor']);
    expect(odd.constructor).toBe('y');
    expect(Object.getPrototypeOf(readCookies('a=b'))).toBeNull();
  });

  it('returns only string values for any header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (header) => {
        for (const value of Object.values(readCookies(header))) expect(typeof value).toBe('string');
      }),
    );
  });
});
