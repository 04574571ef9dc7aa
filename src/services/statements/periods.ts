// What period a statement is asked for: a calendar month ("2026-11") or a range of local dates
// (both included), in the user's time zone or one the request names. Bad input is a userError
// naming the field (`period.month`, `period.to`, …); a period is never in the future and never
// longer than the configured bound.
import type { Outcome, UserError } from '../errors.js';
import {
  canonicalTimeZone,
  compareMonths,
  daysBetween,
  formatDate,
  formatMonth,
  localDateOf,
  monthBounds,
  monthOf,
  nextDay,
  parseDate,
  parseMonth,
  startOfLocalDay,
  type LocalDate,
  type LocalMonth,
} from '../time/timeZones.js';

export interface StatementPeriodInput {
  month?: string | null;
  from?: string | null;
  to?: string | null;
  timeZone?: string | null;
}

export interface StatementPeriod {
  /** A calendar month, or a range of dates. */
  kind: 'MONTH' | 'RANGE';
  /** "2026-11" for a month. */
  month: string | null;
  /** First and last local dates, both included ("2026-11-01", "2026-11-30"). */
  from: string;
  to: string;
  timeZone: string;
  /** [startsAt, endsAt): the instants the local dates span. */
  startsAt: Date;
  endsAt: Date;
}

const problem = (field: string, code: UserError['code'], message: string): Outcome<never> => ({
  ok: false,
  errors: [{ field: ['period', field], code, message: `period.${field} ${message}` }],
});

const lastDayOf = (m: LocalMonth): LocalDate => {
  const last = new Date(Date.UTC(m.year, m.month, 0));
  return { year: m.year, month: m.month, day: last.getUTCDate() };
};

/** The period of a calendar month in a zone. */
export function monthPeriod(month: LocalMonth, timeZone: string): StatementPeriod {
  return {
    kind: 'MONTH',
    month: formatMonth(month),
    from: formatDate({ ...month, day: 1 }),
    to: formatDate(lastDayOf(month)),
    timeZone,
    ...monthBounds(month, timeZone),
  };
}

/**
 * Checks a period asked for through the API. `defaultTimeZone` is the user's own; `maxDays` bounds
 * a range (STATEMENT_MAX_DAYS); `now` decides what is the future.
 */
export function parseStatementPeriod(
  input: StatementPeriodInput,
  options: { defaultTimeZone: string; maxDays: number; now: Date },
): Outcome<StatementPeriod> {
  let timeZone = options.defaultTimeZone;
  if (input.timeZone != null) {
    const zone = canonicalTimeZone(input.timeZone);
    if (!zone) return problem('timeZone', 'INVALID_TIME_ZONE', 'is not an IANA time zone name such as "Europe/Paris" or "UTC".');
    timeZone = zone;
  }
  const today = localDateOf(options.now, timeZone);
  const hasRange = input.from != null || input.to != null;
  if ((input.month != null) === hasRange) {
    return { ok: false, errors: [{ field: ['period'], code: 'INVALID_PERIOD', message: 'period: give either month, or from and to.' }] };
  }
  if (input.month != null) {
    const month = parseMonth(input.month);
    if (!month) return problem('month', 'INVALID_PERIOD', 'must be a month as "YYYY-MM", e.g. "2026-11".');
    if (compareMonths(month, monthOf(options.now, timeZone)) > 0) return problem('month', 'INVALID_PERIOD', 'is in the future.');
    return { ok: true, value: monthPeriod(month, timeZone) };
  }
  if (input.from == null) return problem('from', 'INVALID_PERIOD', 'is needed with to.');
  if (input.to == null) return problem('to', 'INVALID_PERIOD', 'is needed with from.');
  const from = parseDate(input.from);
  if (!from) return problem('from', 'INVALID_PERIOD', 'must be a date as "YYYY-MM-DD".');
  const to = parseDate(input.to);
  if (!to) return problem('to', 'INVALID_PERIOD', 'must be a date as "YYYY-MM-DD".');
  if (daysBetween(from, to) < 0) return problem('to', 'INVALID_PERIOD', 'is before period.from: a range runs forward.');
  if (daysBetween(from, to) + 1 > options.maxDays) {
    return problem('to', 'INVALID_PERIOD', `makes the range longer than ${options.maxDays} days: ask for shorter ranges.`);
  }
  if (daysBetween(today, from) > 0) return problem('from', 'INVALID_PERIOD', 'is in the future.');
  return {
    ok: true,
    value: {
      kind: 'RANGE',
      month: null,
      from: formatDate(from),
      to: formatDate(to),
      timeZone,
      startsAt: startOfLocalDay(from, timeZone),
      endsAt: startOfLocalDay(nextDay(to), timeZone),
    },
  };
}
