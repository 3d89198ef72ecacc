import { DateTime } from 'luxon';
import fc from 'fast-check';
import { latestOpening, upcomingOpenings, type Recurrence } from './schedule-occurrences';

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toJSDate();
const local = (d: Date, zone = 'Europe/Berlin') =>
  DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZ');

describe('schedule occurrences', () => {
  const weekly: Recurrence = {
    cadence: 'weekly',
    weekday: 7,
    hour: 2,
    timezone: 'Europe/Berlin',
    windowDays: 3,
    startsOn: '2021-03-01',
  };

  it('opens once per local date across spring forward and fall back (02:00 on Sunday in Berlin)', () => {
    const spring = upcomingOpenings(weekly, berlin('2021-03-20T00:00'), 3).map((o) => local(o.opensAt));
    expect(spring).toEqual([
      'Sun 2021-03-21 02:00 +01:00',
      'Sun 2021-03-28 03:00 +02:00', // 02:00 does not exist that night: first instant after the gap
      'Sun 2021-04-04 02:00 +02:00',
    ]);
    const autumn = upcomingOpenings(weekly, berlin('2021-10-23T00:00'), 3).map((o) => local(o.opensAt));
    expect(autumn).toEqual([
      'Sun 2021-10-24 02:00 +02:00',
      'Sun 2021-10-31 02:00 +02:00', // 02:00 happens twice: the first one
      'Sun 2021-11-07 02:00 +01:00',
    ]);
  });

  it('keeps the local hour across a DST change (09:00 stays 09:00 local, the UTC hour moves)', () => {
    const rec: Recurrence = { ...weekly, weekday: 1, hour: 9, timezone: 'America/New_York' };
    const o = upcomingOpenings(rec, new Date('2021-03-08T00:00:00Z'), 3);
    expect(o.map((x) => x.opensAt.toISOString())).toEqual([
      '2021-03-08T14:00:00.000Z',
      '2021-03-15T13:00:00.000Z',
      '2021-03-22T13:00:00.000Z',
    ]);
    // The window is counted in local days: closes Thursday 09:00 local.
    expect(o[0]!.closesAt.toISOString()).toBe('2021-03-11T14:00:00.000Z');
  });

  it('biweekly counts from the first weekday on or after startsOn; monthly and quarterly take the first weekday', () => {
    const bi = upcomingOpenings(
      { ...weekly, cadence: 'biweekly', weekday: 3, hour: 10, timezone: 'UTC', startsOn: '2021-01-01' },
      new Date('2021-01-01T00:00:00Z'),
      3,
    );
    expect(bi.map((o) => o.opensAt.toISOString().slice(0, 10))).toEqual([
      '2021-01-06',
      '2021-01-20',
      '2021-02-03',
    ]);
    const monthly = upcomingOpenings(
      { ...weekly, cadence: 'monthly', weekday: 1, hour: 10, timezone: 'UTC', startsOn: '2021-01-01' },
      new Date('2021-01-01T00:00:00Z'),
      3,
    );
    expect(monthly.map((o) => o.opensAt.toISOString().slice(0, 10))).toEqual([
      '2021-01-04',
      '2021-02-01',
      '2021-03-01',
    ]);
    const quarterly = upcomingOpenings(
      { ...weekly, cadence: 'quarterly', weekday: 5, hour: 10, timezone: 'UTC', startsOn: '2021-02-01' },
      new Date('2021-01-01T00:00:00Z'),
      3,
    );
    expect(quarterly.map((o) => o.opensAt.toISOString().slice(0, 10))).toEqual([
      '2021-04-02',
      '2021-07-02',
      '2021-10-01',
    ]);
  });

  it('the latest opening is the current period only: nothing before startsOn, never a future one', () => {
    expect(latestOpening(weekly, berlin('2021-02-28T12:00'))).toBeNull();
    const l = latestOpening(weekly, berlin('2021-03-31T12:00'));
    expect(local(l!.opensAt)).toBe('Sun 2021-03-28 03:00 +02:00');
  });

  it('for every zone, cadence and instant: consecutive openings are distinct, ordered and one period apart in local dates', () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Sydney',
      'Asia/Kolkata',
      'America/Sao_Paulo',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom('weekly', 'biweekly', 'monthly', 'quarterly' as const),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 3 * 365 }),
        (timezone, cadence, weekday, hour, dayOffset) => {
          const rec: Recurrence = { cadence, weekday, hour, timezone, windowDays: 1, startsOn: '2020-01-01' };
          const now = new Date(Date.UTC(2020, 0, 1) + dayOffset * 86_400_000 + hour * 1_000_000);
          const list = upcomingOpenings(rec, now, 6);
          expect(list).toHaveLength(6);
          for (let i = 1; i < list.length; i++) {
            const a = DateTime.fromJSDate(list[i - 1]!.opensAt, { zone: timezone });
            const b = DateTime.fromJSDate(list[i]!.opensAt, { zone: timezone });
            expect(b > a).toBe(true);
            const days = b.startOf('day').diff(a.startOf('day'), 'days').days;
            if (cadence === 'weekly') expect(Math.round(days)).toBe(7);
            if (cadence === 'biweekly') expect(Math.round(days)).toBe(14);
            expect(b.weekday).toBe(weekday);
          }
          const latest = latestOpening(rec, now);
          if (latest) expect(latest.opensAt <= now).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
