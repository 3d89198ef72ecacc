/**
 * The time as the app sees it: the system clock in production; tests give their own to replay a
 * history (createTestApp's `clock`). Injected where a rule depends on the calendar, e.g. which
 * months of results are final.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
