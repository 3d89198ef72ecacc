import { cycleStatsOf } from './cycle-stats';

const full = { ps1: 5, ps2: 3, ps3: 6, ps4: 2, ps5: 7, ps6: 4, ps7: 1 };
const row = (rows: ReturnType<typeof cycleStatsOf>, dimension: string) =>
  rows.find((r) => r.dimension === dimension)!;

describe('cycleStatsOf: answers read as the SQL statement reads them', () => {
  it('a missing answer leaves out the values it is part of, and the response still counts in n', () => {
    const { ps3: _left, ...partial } = full;
    const rows = cycleStatsOf('psych-safety@1', [full, partial]);
    expect(row(rows, 'psych_safety').n).toBe(2);
    // An item both answered has both (ps1 is reverse-scored: 8 − 5, twice); the mean only the
    // complete response's.
    expect(row(rows, 'item:ps1').sum).toBe(6);
    expect(row(rows, 'item:ps3').counts).toEqual([0, 0, 0, 0, 0, 1, 0]);
    expect(row(rows, 'psych_safety').sum).toBeCloseTo(
      cycleStatsOf('psych-safety@1', [full]).find((r) => r.dimension === 'psych_safety')!.sum,
      12,
    );
  });

  it('a whole number stored as a string (rows from before sealing) counts as that number', () => {
    const asText = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, String(v)]));
    expect(cycleStatsOf('psych-safety@1', [asText as never])).toEqual(cycleStatsOf('psych-safety@1', [full]));
  });

  it('an answer that is not a whole number refuses the close, as the SQL cast does', () => {
    expect(() => cycleStatsOf('psych-safety@1', [{ ...full, ps2: 4.5 }])).toThrow(
      /ps2 is not a whole number/,
    );
  });
});
