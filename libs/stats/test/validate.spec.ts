import { assertBounds, assertOpenUnit, clamp, clipInterval } from '../src/validate';
import { DEFAULT_ALPHA, DEFAULT_POWER, testOptions } from '@candor/stats';

describe('validation helpers', () => {
  it('accepts a level strictly between 0 and 1 only', () => {
    expect(() => assertOpenUnit('level', 0.95)).not.toThrow();
    expect(() => assertOpenUnit('level', 1)).toThrow(/level must be strictly between 0 and 1, got 1/);
    expect(() => assertOpenUnit('alpha', 0)).toThrow(RangeError);
    expect(() => assertOpenUnit('alpha', Number.NaN)).toThrow(RangeError);
  });

  it('accepts finite bounds in order only', () => {
    expect(() => assertBounds({ min: 1, max: 7 })).not.toThrow();
    expect(() => assertBounds({ min: 1, max: 1 })).not.toThrow();
    expect(() => assertBounds({ min: 7, max: 1 })).toThrow(/must not exceed/);
    expect(() => assertBounds({ min: 1, max: Infinity })).toThrow(RangeError);
  });

  it('clamps values and both ends of an interval into the bounds, and leaves them without bounds', () => {
    expect(clamp(7.4, 1, 7)).toBe(7);
    expect(clamp(0.2, 1, 7)).toBe(1);
    expect(clamp(4, 1, 7)).toBe(4);
    expect(clipInterval(6.1, 7.9, { min: 1, max: 7 })).toEqual([6.1, 7]);
    expect(clipInterval(0.5, 2, { min: 1, max: 7 })).toEqual([1, 2]);
    expect(clipInterval(-3, 9)).toEqual([-3, 9]);
  });

  it('fills in the default α and power of the change tests and checks what is given', () => {
    expect(testOptions({})).toEqual({ alpha: DEFAULT_ALPHA, power: DEFAULT_POWER });
    expect(testOptions({ alpha: 0.01 })).toEqual({ alpha: 0.01, power: 0.8 });
    expect(() => testOptions({ power: 1.2 })).toThrow(/power/);
  });
});
