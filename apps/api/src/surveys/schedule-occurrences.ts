import { DateTime, IANAZone } from 'luxon';
import type { Cadence, ScheduleOpening } from '@candor/contracts';

/**
 * When a schedule opens its cycles. Pure: no I/O, no clock.
 *
 * Everything is computed on *local calendar dates* in the schedule's time zone, and only the
 * last step turns "this date at this hour, there" into an instant. So a daylight-saving change
 * moves the instant by an hour but can never skip or double an opening: there is exactly one
 * opening per local date of the series.
 * - A local hour that does not exist on a spring-forward day (e.g. 02:00 in Europe/Berlin on the
 *   last Sunday of March) opens at the first instant after the gap (03:00).
 * - A local hour that exists twice on a fall-back day opens once, at its first occurrence.
 */
export interface Recurrence {
  cadence: Cadence;
  /** ISO weekday 1 = Monday … 7 = Sunday */
  weekday: number;
  hour: number;
  timezone: string;
  windowDays: number;
  /** Local date YYYY-MM-DD: no opening on an earlier date. */
  startsOn: string;
}

export interface Occurrence {
  opensAt: Date;
  closesAt: Date;
}

export const CADENCE_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14, monthly: 28, quarterly: 91 };
const QUARTER_MONTHS = [1, 4, 7, 10];

/** A calendar date as midnight UTC: plain date arithmetic, no time zone involved. */
function calendarDate(iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: 'utc' }).startOf('day');
}

function firstWeekdayOnOrAfter(date: DateTime, weekday: number): DateTime {
  return date.plus({ days: (weekday - date.weekday + 7) % 7 });
}

function firstWeekdayOfMonth(year: number, month: number, weekday: number): DateTime {
  return firstWeekdayOnOrAfter(DateTime.utc(year, month, 1), weekday);
}

/** The instant of `hour`:00 on a local date in `zone` (see the DST notes above). */
export function localInstant(date: DateTime, hour: number, zone: string): DateTime {
  const wanted = { year: date.year, month: date.month, day: date.day, hour };
  const dt = DateTime.fromObject(wanted, { zone });
  // Fall back: the same wall time exists twice; take the earlier instant.
  const earlier = dt.minus({ hours: 1 });
  if (earlier.hour === hour && earlier.day === date.day && earlier.offset !== dt.offset) return earlier;
  return dt;
}

export function occurrenceAt(rec: Recurrence, localDate: DateTime): Occurrence {
  const opens = localInstant(localDate, rec.hour, rec.timezone);
  const closes = localInstant(localDate.plus({ days: rec.windowDays }), rec.hour, rec.timezone);
  return { opensAt: opens.toJSDate(), closesAt: closes.toJSDate() };
}

/** Local dates of the series, in order, starting with the first one on or after `from`. */
export function* localDates(rec: Recurrence, from: DateTime): Generator<DateTime> {
  const startsOn = calendarDate(rec.startsOn);
  const start = from < startsOn ? startsOn : from;
  if (rec.cadence === 'weekly' || rec.cadence === 'biweekly') {
    const step = rec.cadence === 'weekly' ? 7 : 14;
    let date = firstWeekdayOnOrAfter(startsOn, rec.weekday);
    if (start > date) {
      const behind = Math.round(start.diff(date, 'days').days);
      date = date.plus({ days: Math.ceil(behind / step) * step });
    }
    for (;;) {
      yield date;
      date = date.plus({ days: step });
    }
  }
  let month = DateTime.utc(start.year, start.month, 1);
  for (;;) {
    if (rec.cadence === 'monthly' || QUARTER_MONTHS.includes(month.month)) {
      const date = firstWeekdayOfMonth(month.year, month.month, rec.weekday);
      if (date >= start) yield date;
    }
    month = month.plus({ months: 1 });
  }
}

/** The local calendar date of an instant in a zone. */
function localDateOf(instant: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(instant, { zone });
  return DateTime.utc(local.year, local.month, local.day);
}

/**
 * The latest opening at or before `now`, or null if the series has not started. This is the only
 * period the scheduler ever opens: after downtime it catches up with the current period, never
 * with the ones it missed.
 */
export function latestOpening(rec: Recurrence, now: Date): Occurrence | null {
  const from = localDateOf(now, rec.timezone).minus({ days: CADENCE_DAYS[rec.cadence] + 100 });
  let latest: Occurrence | null = null;
  for (const date of localDates(rec, from)) {
    const occ = occurrenceAt(rec, date);
    if (occ.opensAt > now) break;
    latest = occ;
  }
  return latest;
}

/**
 * The next `count` openings whose window has not ended at `now`: the current one, if it is still
 * open (the scheduler opens it late), then those to come.
 */
export function upcomingOpenings(rec: Recurrence, now: Date, count: number): Occurrence[] {
  const out: Occurrence[] = [];
  const current = latestOpening(rec, now);
  if (current && current.closesAt > now) out.push(current);
  if (count <= out.length) return out.slice(0, count);
  for (const date of localDates(rec, localDateOf(now, rec.timezone).minus({ days: 1 }))) {
    const occ = occurrenceAt(rec, date);
    if (occ.opensAt <= now) continue;
    out.push(occ);
    if (out.length >= count) break;
  }
  return out;
}

export function toOpening(o: Occurrence): ScheduleOpening {
  return { opensAt: o.opensAt.toISOString(), closesAt: o.closesAt.toISOString() };
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(zone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
}
