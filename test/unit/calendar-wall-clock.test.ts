import {
  addLocalDays,
  formatLocal,
  isTimeZone,
  localToInstant,
  parseLocal,
  resolveLocal,
  toLocal,
} from '../../lib/calendar/wall-clock';

const iso = (ms: number) => new Date(ms).toISOString();
const resolve = (text: string, zone: string) => {
  const r = resolveLocal(parseLocal(text)!, zone);
  return { at: iso(r.instantMs), kind: r.kind };
};

describe('wall-clock times', () => {
  it('keeps 09:00 in Rome across the spring change (CET → CEST)', () => {
    expect(iso(localToInstant('2026-03-28T09:00', 'Europe/Rome'))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(localToInstant(addLocalDays('2026-03-28T09:00', 2), 'Europe/Rome'))).toBe('2026-03-30T07:00:00.000Z');
  });

  it('keeps 09:00 in Rome across the autumn change (CEST → CET)', () => {
    expect(iso(localToInstant('2026-10-24T09:00', 'Europe/Rome'))).toBe('2026-10-24T07:00:00.000Z');
    expect(iso(localToInstant('2026-10-26T09:00', 'Europe/Rome'))).toBe('2026-10-26T08:00:00.000Z');
  });

  it('keeps 09:00 in New York across both changes (EST ↔ EDT)', () => {
    expect(iso(localToInstant('2026-03-07T09:00', 'America/New_York'))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(localToInstant('2026-03-09T09:00', 'America/New_York'))).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(localToInstant('2026-10-31T09:00', 'America/New_York'))).toBe('2026-10-31T13:00:00.000Z');
    expect(iso(localToInstant('2026-11-02T09:00', 'America/New_York'))).toBe('2026-11-02T14:00:00.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    // Rome, 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and is read as 03:30 CEST.
    expect(resolve('2026-03-29T02:30', 'Europe/Rome')).toEqual({ at: '2026-03-29T01:30:00.000Z', kind: 'gap' });
    expect(toLocal(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Rome')).toMatchObject({ hour: 3, minute: 30 });
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT.
    expect(resolve('2026-03-08T02:15', 'America/New_York')).toEqual({ at: '2026-03-08T07:15:00.000Z', kind: 'gap' });
    // The edges: the last minute before and the first after the gap are exact.
    expect(resolve('2026-03-29T01:59', 'Europe/Rome')).toEqual({ at: '2026-03-29T00:59:00.000Z', kind: 'exact' });
    expect(resolve('2026-03-29T03:00', 'Europe/Rome')).toEqual({ at: '2026-03-29T01:00:00.000Z', kind: 'exact' });
  });

  it('takes the first occurrence of a time that happens twice', () => {
    // Rome, 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
    expect(resolve('2026-10-25T02:30', 'Europe/Rome')).toEqual({ at: '2026-10-25T00:30:00.000Z', kind: 'ambiguous' });
    // New York, 1 November 2026: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    expect(resolve('2026-11-01T01:30', 'America/New_York')).toEqual({
      at: '2026-11-01T05:30:00.000Z',
      kind: 'ambiguous',
    });
    expect(resolve('2026-11-01T02:00', 'America/New_York')).toEqual({ at: '2026-11-01T07:00:00.000Z', kind: 'exact' });
  });

  it('round-trips every half hour of the weeks around both changes', () => {
    const windows = [
      ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['2026-10-20T00:00:00Z', '2026-11-10T00:00:00Z'],
    ].map(([from, to]) => [Date.parse(from), Date.parse(to)]);
    for (const zone of ['Europe/Rome', 'America/New_York'])
      for (const [from, to] of windows)
        for (let t = from; t < to; t += 30 * 60_000) {
          const local = formatLocal(toLocal(t, zone));
          const back = resolveLocal(parseLocal(local)!, zone);
          // An ambiguous local time maps back to its first occurrence, at most an hour earlier.
          if (back.kind === 'ambiguous') expect(t - back.instantMs).toBeGreaterThanOrEqual(0);
          else expect(back.instantMs).toBe(t);
        }
  });

  it('refuses what is not a date-time or a zone', () => {
    expect(parseLocal('2026-02-29T10:00')).toBeNull();
    expect(parseLocal('2026-13-01T10:00')).toBeNull();
    expect(parseLocal('2026-01-01 10:00')).toBeNull();
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('Europe/Rome')).toBe(true);
    expect(() => localToInstant('2026-01-01T10:00', 'Nowhere/Land')).toThrow(RangeError);
  });
});
