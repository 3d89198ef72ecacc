import fc from 'fast-check';
import {
  actionOutcome,
  changeBetween,
  momentsOf,
  outcomeVerdict,
  type Moments,
  type OutcomeCycle,
} from '@candor/stats';

const week = (i: number) => {
  const opens = new Date(Date.UTC(2026, 0, 5 + 7 * i, 9));
  return { opensAt: opens.toISOString(), closesAt: new Date(opens.getTime() + 5 * 86_400_000).toISOString() };
};
const cycle = (i: number, answers: number[] | null): OutcomeCycle<Moments> => ({
  ...week(i),
  stats: answers === null ? null : momentsOf(answers),
});
const low = [3, 3, 4, 2, 3, 4, 3, 3];
const high = [6, 5, 6, 6, 5, 6, 6, 5];
const same = [3, 4, 3, 3, 4, 3, 3, 4];

describe('outcomeVerdict', () => {
  const base = { goodDirection: 'higher' as const, baseline: true, closedAfter: 1, releasedAfter: 1 };

  it('waits for a closed cycle, then needs a released score on both sides', () => {
    expect(outcomeVerdict({ ...base, closedAfter: 0, releasedAfter: 0, change: null })).toBe('waiting');
    expect(outcomeVerdict({ ...base, baseline: false, change: null })).toBe('too-few-answers');
    expect(outcomeVerdict({ ...base, releasedAfter: 0, change: null })).toBe('too-few-answers');
    expect(outcomeVerdict({ ...base, change: null })).toBe('too-few-answers');
  });

  it('calls a significant change in the good direction worked, the other way worse, anything else no change', () => {
    expect(outcomeVerdict({ ...base, change: { delta: 1.2, significant: true } })).toBe('worked');
    expect(outcomeVerdict({ ...base, change: { delta: -1.2, significant: true } })).toBe('worse');
    expect(outcomeVerdict({ ...base, change: { delta: 1.2, significant: false } })).toBe('no-change');
    // Self-orientation: lower is better.
    expect(
      outcomeVerdict({ ...base, goodDirection: 'lower', change: { delta: -0.9, significant: true } }),
    ).toBe('worked');
    expect(
      outcomeVerdict({ ...base, goodDirection: 'lower', change: { delta: 0.9, significant: true } }),
    ).toBe('worse');
  });

  it('never says worked without a significant change in the good direction', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('higher' as const, 'lower' as const),
        fc.boolean(),
        fc.nat(4),
        fc.nat(4),
        fc.option(
          fc.record({ delta: fc.double({ min: -3, max: 3, noNaN: true }), significant: fc.boolean() }),
        ),
        (goodDirection, baseline, closedAfter, released, change) => {
          const verdict = outcomeVerdict({
            goodDirection,
            baseline,
            closedAfter,
            releasedAfter: Math.min(released, closedAfter),
            change,
          });
          if (verdict !== 'worked') return true;
          const good = goodDirection === 'higher' ? change!.delta > 0 : change!.delta < 0;
          return baseline && closedAfter > 0 && change!.significant && good;
        },
      ),
    );
  });
});

describe('actionOutcome', () => {
  const compare = (a: Moments, b: Moments) => changeBetween(a, b);
  // The action starts on the Monday of week 2 (after week 1 closed, before week 2 opened at 09:00).
  const date = week(2).opensAt.slice(0, 10);

  it('compares the last released cycle before the date with the latest released of the next three', () => {
    const cycles = [
      cycle(0, low),
      cycle(1, low),
      cycle(2, same),
      cycle(3, high),
      cycle(4, high),
      cycle(5, low),
    ];
    const outcome = actionOutcome({ date, goodDirection: 'higher', cycles, compare });
    expect(outcome.beforeIndex).toBe(1);
    // Weeks 2, 3 and 4 are the follow-ups; week 5 is outside the window.
    expect(outcome.afterIndex).toBe(4);
    expect(outcome.followUpsLeft).toBe(0);
    expect(outcome.change!.delta).toBeCloseTo(changeBetween(momentsOf(low), momentsOf(high))!.delta, 12);
    expect(outcome.verdict).toBe('worked');
  });

  it('says no change yet while the follow-ups show none, and counts the follow-ups still to come', () => {
    const outcome = actionOutcome({
      date,
      goodDirection: 'higher',
      cycles: [cycle(0, low), cycle(1, low), cycle(2, same)],
      compare,
    });
    expect(outcome.verdict).toBe('no-change');
    expect(outcome.followUpsLeft).toBe(2);
  });

  it('too few answers when every follow-up was suppressed or there is no released baseline; waiting before any closes', () => {
    expect(
      actionOutcome({
        date,
        goodDirection: 'higher',
        cycles: [cycle(1, low), cycle(2, null), cycle(3, null)],
        compare,
      }).verdict,
    ).toBe('too-few-answers');
    expect(
      actionOutcome({ date, goodDirection: 'higher', cycles: [cycle(1, null), cycle(2, high)], compare })
        .verdict,
    ).toBe('too-few-answers');
    const waiting = actionOutcome({
      date,
      goodDirection: 'higher',
      cycles: [cycle(0, low), cycle(1, low)],
      compare,
    });
    expect(waiting.verdict).toBe('waiting');
    expect(waiting.afterIndex).toBeNull();
  });

  it('for a lower-is-better dimension a significant fall is what worked', () => {
    const outcome = actionOutcome({
      date,
      goodDirection: 'lower',
      cycles: [cycle(1, high), cycle(2, low)],
      compare,
    });
    expect(outcome.verdict).toBe('worked');
    expect(
      actionOutcome({ date, goodDirection: 'lower', cycles: [cycle(1, low), cycle(2, high)], compare })
        .verdict,
    ).toBe('worse');
  });

  it('an action dated on a cycle’s closing day takes that cycle as its baseline', () => {
    const closing = week(1).closesAt.slice(0, 10);
    const outcome = actionOutcome({
      date: closing,
      goodDirection: 'higher',
      cycles: [cycle(0, same), cycle(1, low), cycle(2, high)],
      compare,
    });
    expect(outcome.beforeIndex).toBe(1);
    expect(outcome.afterIndex).toBe(2);
  });

  it('refuses a date that is not a calendar date and a window below one cycle', () => {
    expect(() => actionOutcome({ date: '2026-13-01', goodDirection: 'higher', cycles: [], compare })).toThrow(
      RangeError,
    );
    expect(() =>
      actionOutcome({ date, goodDirection: 'higher', cycles: [], compare, followUpCycles: 0 }),
    ).toThrow(RangeError);
  });
});
