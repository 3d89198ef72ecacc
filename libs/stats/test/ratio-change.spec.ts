import fc from 'fast-check';
import { ratioChange } from '@candor/stats';
import { expectClose } from './helpers';

// Reference values from scipy 1.x: 2·t.sf(|t|, 9) and t.ppf(0.975, 9) + t.ppf(0.8, 9) = 3.14556102248.
describe('ratioChange', () => {
  // se = √(0.3² + 0.4²) = 0.5; df = min(10, 12) − 1 = 9.
  const previous = { value: 10, se: 0.3, n: 10 };

  it('a change of 1 (t = 2): p = 0.0766, MDC = 1.5728, not significant', () => {
    const c = ratioChange(previous, { value: 11, se: 0.4, n: 12 })!;
    expect(c.delta).toBe(1);
    expectClose(c.p, 0.07655282377070101, 1e-9);
    expectClose(c.mdc, 0.5 * 3.1455610224837396, 1e-9);
    expect(c.significant).toBe(false);
    expect(c.direction).toBe('none');
  });

  it('a change of −2 (t = −4): p = 0.0031 and |delta| ≥ MDC, significant and down', () => {
    const c = ratioChange(previous, { value: 8, se: 0.4, n: 12 })!;
    expectClose(c.p, 0.0031104283103858543, 1e-9);
    expect(c.significant).toBe(true);
    expect(c.direction).toBe('down');
  });

  it('α and power change the MDC like changeBetween: t.ppf(0.95, 9) + t.ppf(0.9, 9)', () => {
    const c = ratioChange(previous, { value: 11, se: 0.4, n: 12 }, { alpha: 0.1, power: 0.9 })!;
    expectClose(c.mdc, 0.5 * 3.2161416710528696, 1e-9);
  });

  it('null when the smaller side has fewer than two responses; se = 0 is certain', () => {
    expect(ratioChange({ value: 1, se: 0, n: 1 }, { value: 2, se: 0, n: 5 })).toBeNull();
    expect(ratioChange({ value: 1, se: 0, n: 3 }, { value: 1, se: 0, n: 3 })).toMatchObject({ p: 1, mdc: 0 });
    expect(ratioChange({ value: 1, se: 0, n: 3 }, { value: 2, se: 0, n: 3 })).toMatchObject({
      p: 0,
      significant: true,
      direction: 'up',
    });
  });

  it('rejects α or power outside (0, 1)', () => {
    expect(() => ratioChange(previous, previous, { alpha: 0 })).toThrow(RangeError);
    expect(() => ratioChange(previous, previous, { power: 1 })).toThrow(RangeError);
  });

  it('property: swapping the two sides negates delta and keeps p and the MDC', () => {
    const side = fc.record({
      value: fc.double({ min: 0.5, max: 21, noNaN: true }),
      se: fc.double({ min: 0.01, max: 3, noNaN: true }),
      n: fc.integer({ min: 2, max: 200 }),
    });
    fc.assert(
      fc.property(side, side, (a, b) => {
        const ab = ratioChange(a, b)!;
        const ba = ratioChange(b, a)!;
        expectClose(ab.delta, -ba.delta, 1e-12, 1e-12);
        expectClose(ab.p, ba.p, 1e-12, 1e-12);
        expectClose(ab.mdc, ba.mdc, 1e-12, 1e-12);
        expect(ab.significant).toBe(ba.significant);
      }),
      { numRuns: 300 },
    );
  });
});
