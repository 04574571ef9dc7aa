// Calendar days and months in a user's time zone (an IANA name such as "Europe/Paris"): where a
// local day or month begins as an instant, and which local day an instant falls on. Statements and
// spending insights count in the user's zone; the ledger's timestamps are instants. Built on
// Node's ICU data (Intl), so there is no zone table of our own to keep up to date.

/** A calendar date; month 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A calendar month; month 1–12. */
export interface LocalMonth {
  year: number;
  month: number;
}

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/**
 * The zone's canonical IANA name ("utc" → "UTC", "Asia/Calcutta" → "Asia/Kolkata" where ICU maps
 * it), or null when it is not a zone ICU knows. Offsets ("+05:00") and abbreviations ("CET" aside,
 * which IANA lists) are not zones: a zone knows its daylight-saving rules, an offset does not.
 */
export function canonicalTimeZone(name: string): string | null {
  const trimmed = name.trim();
  if (!ZONE_NAME.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * Reads an instant's wall-clock time in `timeZone`, as milliseconds since the epoch of that wall
 * time read as UTC (so two readings subtract to the wall-clock difference). One formatter per
 * zone: make it once and reuse it for many instants.
 */
export function wallClock(timeZone: string): (instantMs: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (instantMs) => {
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + (instantMs % 1000);
  };
}

/** The local date an instant falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(wallClock(timeZone)(instant.getTime()));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

const HOUR = 3_600_000;

/**
 * The first instant of a local day: its midnight, or, where a daylight-saving change skips
 * midnight (America/Santiago, Asia/Beirut), the moment the clocks jump past it. Where midnight
 * happens twice (a change back at midnight), the first.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const wall = wallClock(timeZone);
  const target = Date.UTC(date.year, date.month - 1, date.day);
  // The zone's offsets around that day (at most two: before and after a change).
  const offsets = new Set([-36, -12, 0, 12, 36].map((h) => wall(target + h * HOUR) - (target + h * HOUR)));
  const exact = [...offsets].map((o) => target - o).filter((t) => wall(t) === target);
  if (exact.length) return new Date(Math.min(...exact));
  // Midnight does not exist that day: the day begins at the change, the first instant whose wall
  // time is past midnight. Wall time only moves forward across a skip, so bisect on seconds.
  let lo = target - Math.max(...offsets);
  let hi = target - Math.min(...offsets);
  if (wall(lo) >= target) [lo, hi] = [hi, lo];
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wall(mid) >= target) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

export const nextDay = (d: LocalDate): LocalDate => {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
};

export const nextMonth = (m: LocalMonth): LocalMonth =>
  m.month === 12 ? { year: m.year + 1, month: 1 } : { year: m.year, month: m.month + 1 };
export const previousMonth = (m: LocalMonth): LocalMonth =>
  m.month === 1 ? { year: m.year - 1, month: 12 } : { year: m.year, month: m.month - 1 };
export const compareMonths = (a: LocalMonth, b: LocalMonth): number => a.year * 12 + a.month - (b.year * 12 + b.month);
export const monthsBetween = (from: LocalMonth, to: LocalMonth): number => compareMonths(to, from);

/** [start, end) of a local month as instants. */
export function monthBounds(m: LocalMonth, timeZone: string): { startsAt: Date; endsAt: Date } {
  const next = nextMonth(m);
  return {
    startsAt: startOfLocalDay({ ...m, day: 1 }, timeZone),
    endsAt: startOfLocalDay({ ...next, day: 1 }, timeZone),
  };
}

export const monthOf = (instant: Date, timeZone: string): LocalMonth => {
  const { year, month } = localDateOf(instant, timeZone);
  return { year, month };
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** "2026-11" */
export const formatMonth = (m: LocalMonth): string => `${pad(m.year, 4)}-${pad(m.month)}`;
/** "2026-11-03" */
export const formatDate = (d: LocalDate): string => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** "2026-11" → the month; null when it is not one (13th months, other shapes). */
export function parseMonth(text: string): LocalMonth | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const month = { year: Number(m[1]), month: Number(m[2]) };
  return month.year >= 1970 && month.month >= 1 && month.month <= 12 ? month : null;
}

/** "2026-11-03" → the date; null when it is not a real one ("2026-02-30"). */
export function parseDate(text: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (year < 1970 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** Days from `a` to `b` (b − a), by the calendar. */
export const daysBetween = (a: LocalDate, b: LocalDate): number =>
  Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);

/**
 * Formats instants as local "YYYY-MM-DD HH:MM" in `timeZone`; one formatter for many instants
 * (a statement's lines).
 */
export function localDateTimeFormatter(timeZone: string): (instant: Date) => string {
  const wall = wallClock(timeZone);
  return (instant) => new Date(wall(instant.getTime())).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Formats instants as ISO 8601 local time with the zone's offset then ("2026-11-01T13:01:00+01:00"):
 * local, and still one exact instant for a program reading it. One formatter for many instants.
 */
export function localIsoFormatter(timeZone: string): (instant: Date) => string {
  const wall = wallClock(timeZone);
  return (instant) => {
    const local = wall(instant.getTime());
    const offsetMinutes = Math.round((local - instant.getTime()) / 60_000);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    return `${new Date(local).toISOString().slice(0, 19)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  };
}
