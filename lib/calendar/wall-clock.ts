/**
 * Wall-clock times in an IANA time zone, with Intl alone (no time-zone library is installed; Intl carries the tz
 * database with Node's ICU). A calendar entry keeps its local date-time and zone; its instant is computed from them, so
 * "09:00 every Monday" stays 09:00 across a DST change.
 *
 * Disambiguation, as Temporal's (TC39) `compatible` mode: a local time that does not exist (the spring-forward gap)
 * moves forward by the length of the gap (02:30 in a 02:00→03:00 gap is 03:30); a local time that happens twice (the
 * fall-back hour) takes the first occurrence (the earlier instant, still in summer time). Pure: workflows may import it.
 */

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 unless given: the UI plans to the minute, the API (and tests) may to the second. */
  second: number;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `YYYY-MM-DDTHH:mm[:ss]` → its parts, or null when it is not a real calendar date and time. */
export function parseLocal(text: string): LocalDateTime | null {
  const m = LOCAL.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return { year, month, day, hour, minute, second };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatLocal(t: LocalDateTime): string {
  const seconds = t.second ? `:${pad(t.second)}` : '';
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}${seconds}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The local date-time at `instantMs` in `zone` (to the second). */
export function toLocal(instantMs: number, zone: string): LocalDateTime {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const asUtc = (t: LocalDateTime) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

/** The zone's offset from UTC at `instantMs`, in ms (Rome in summer: +7,200,000). */
export function offsetAt(instantMs: number, zone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return asUtc(toLocal(whole, zone)) - whole;
}

export type Disambiguation = 'exact' | 'gap' | 'ambiguous';

/**
 * The UTC instant of a local date-time in `zone`, and what had to be decided: `gap` (moved forward by the gap's
 * length) or `ambiguous` (the first of two occurrences).
 */
export function resolveLocal(local: LocalDateTime, zone: string): { instantMs: number; kind: Disambiguation } {
  const wall = asUtc(local);
  // The offsets a day either side cover any one transition near this time.
  const before = offsetAt(wall - 86_400_000, zone);
  const after = offsetAt(wall + 86_400_000, zone);
  const candidates = [...new Set([wall - before, wall - after])]
    .filter((t) => asUtc(toLocal(t, zone)) === wall)
    .sort((a, b) => a - b);
  if (candidates.length === 0) {
    // In the gap: read with the offset before the change, which lands as far after the gap as it was into it.
    return { instantMs: wall - before, kind: 'gap' };
  }
  if (candidates.length > 1) return { instantMs: candidates[0], kind: 'ambiguous' };
  // One candidate may still miss a second transition inside the two days; check the exact offset at it.
  const exact = wall - offsetAt(candidates[0], zone);
  return { instantMs: asUtc(toLocal(exact, zone)) === wall ? exact : candidates[0], kind: 'exact' };
}

/** `YYYY-MM-DDTHH:mm[:ss]` in `zone` → the UTC instant in ms; throws on a malformed text or unknown zone. */
export function localToInstant(text: string, zone: string): number {
  const local = parseLocal(text);
  if (!local) throw new RangeError(`${text} is not a local date-time (YYYY-MM-DDTHH:mm)`);
  if (!isTimeZone(zone)) throw new RangeError(`${zone} is not a known time zone`);
  return resolveLocal(local, zone).instantMs;
}

/** The same wall-clock time `days` later (a weekly slot keeps its 09:00 across a DST change). */
export function addLocalDays(text: string, days: number): string {
  const t = parseLocal(text);
  if (!t) throw new RangeError(`${text} is not a local date-time (YYYY-MM-DDTHH:mm)`);
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + days, t.hour, t.minute, t.second));
  return formatLocal({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  });
}
