import fc from 'fast-check';
import { DEFAULT_K, MIN_K, isReleasable, release, validateK } from '@candor/disclosure';

describe('k threshold', () => {
  it('defaults to 5 and never goes below 3', () => {
    expect(DEFAULT_K).toBe(5);
    expect(MIN_K).toBe(3);
  });

  describe('validateK', () => {
    it.each([3, 5, 7, 50])('accepts %p', (k) => expect(validateK(k)).toBeNull());
    it.each([2, 0, -5, 51, 4.5, NaN, Infinity, '5', null, undefined, {}, [5]])('rejects %p', (k) =>
      expect(validateK(k)).toBe('k must be a whole number from 3 to 50'),
    );
  });

  describe('isReleasable', () => {
    it('needs n ≥ k', () => {
      expect(isReleasable(5, 5)).toBe(true);
      expect(isReleasable(4, 5)).toBe(false);
      expect(isReleasable(0, 3)).toBe(false);
      expect(isReleasable(100, 50)).toBe(true);
    });

    it('fails closed on a k below 3 or an invalid count', () => {
      expect(() => isReleasable(10, 2)).toThrow(RangeError);
      expect(() => isReleasable(10, 1)).toThrow(RangeError);
      expect(() => isReleasable(10, NaN)).toThrow(RangeError);
      expect(() => isReleasable(-1, 5)).toThrow(RangeError);
      expect(() => isReleasable(2.5, 5)).toThrow(RangeError);
    });

    it('property: releasable exactly when n ≥ k, for every valid k', () => {
      fc.assert(
        fc.property(fc.nat(1000), fc.integer({ min: 3, max: 50 }), (n, k) => {
          expect(isReleasable(n, k)).toBe(n >= k);
        }),
      );
    });
  });

  describe('release', () => {
    it('releases the computed value when n ≥ k', () => {
      expect(release(5, 5, () => 4.2)).toEqual({ released: true, value: 4.2 });
      expect(release(5, 5, () => 4.2, { cycleClosed: true })).toEqual({ released: true, value: 4.2 });
    });

    it('suppresses below k without computing the value', () => {
      const value = jest.fn(() => 4.2);
      expect(release(4, 5, value)).toEqual({ released: false, reason: 'below-k' });
      expect(value).not.toHaveBeenCalled();
    });

    it('an open cycle shows nothing, whatever n is', () => {
      const value = jest.fn(() => 1);
      expect(release(40, 5, value, { cycleClosed: false })).toEqual({
        released: false,
        reason: 'open-cycle',
      });
      expect(release(1, 5, value, { cycleClosed: false })).toEqual({ released: false, reason: 'open-cycle' });
      expect(value).not.toHaveBeenCalled();
    });

    it('throws on an invalid k even for an open cycle', () => {
      expect(() => release(10, 2, () => 1, { cycleClosed: false })).toThrow(RangeError);
    });

    it('property: a released result always has n ≥ k', () => {
      fc.assert(
        fc.property(fc.nat(100), fc.integer({ min: 3, max: 50 }), fc.option(fc.boolean()), (n, k, closed) => {
          const r = release(n, k, () => n, closed === null ? {} : { cycleClosed: closed });
          if (r.released) {
            expect(n).toBeGreaterThanOrEqual(k);
            expect(closed).not.toBe(false);
          }
        }),
      );
    });
  });
});
