import { assertCount, assertK, cellSize, groupMonthKey, type GateCycle } from '@candor/disclosure';

const facts: Record<string, GateCycle> = {
  a: { n: 4, k: 3, closed: true, invited: 5 },
  b: { n: 6, k: 5, closed: true, invited: 8 },
  c: { n: 0, k: 7, closed: true, invited: 9 },
};
const lookup = (id: string) => facts[id];

describe('cellSize', () => {
  it('adds up n and takes the largest k of the cycles', () => {
    expect(cellSize(['a', 'b'], lookup)).toEqual({ n: 10, k: 5 });
    expect(cellSize(['a', 'b', 'c'], lookup)).toEqual({ n: 10, k: 7 });
  });

  it('counts a cycle named twice once', () => {
    expect(cellSize(['a', 'a', 'b'], lookup)).toEqual({ n: 10, k: 5 });
  });

  it('is empty, with k 0, for no cycles', () => {
    expect(cellSize([], lookup)).toEqual({ n: 0, k: 0 });
  });

  it('fails closed on a cycle it knows nothing of, a bad n or a k below the minimum', () => {
    expect(() => cellSize(['x'], lookup)).toThrow(/no facts for cycle x/);
    expect(() => cellSize(['bad'], () => ({ n: 2.5, k: 5, closed: true, invited: 9 }))).toThrow(
      /n of cycle bad/,
    );
    expect(() => cellSize(['low'], () => ({ n: 5, k: 2, closed: true, invited: 9 }))).toThrow(RangeError);
  });
});

describe('threshold checks', () => {
  it('accepts k from 3 and whole non-negative counts only', () => {
    expect(() => assertK(3)).not.toThrow();
    expect(() => assertK(2)).toThrow(/at least 3/);
    expect(() => assertK(4.5)).toThrow(RangeError);
    expect(() => assertCount(0)).not.toThrow();
    expect(() => assertCount(-1, 'invited')).toThrow(/invited must be a non-negative integer/);
    expect(() => assertCount(Number.NaN)).toThrow(RangeError);
  });
});

describe('groupMonthKey', () => {
  it('names a group’s month cell by tree, group and calendar month (a date is cut to its month)', () => {
    expect(groupMonthKey('root', 'g1', '2026-03')).toBe('group:root:g1:2026-03');
    expect(groupMonthKey('root', 'g1', '2026-03-31T23:00:00Z')).toBe('group:root:g1:2026-03');
  });
});
