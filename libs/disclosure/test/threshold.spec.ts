import fc from 'fast-check';
import {
  DEFAULT_K,
  MIN_K,
  decideFromCounts,
  decideWithoutLedger,
  isReleasable,
  releaseCell,
  releaseLiveCount,
  requireAlso,
  reshapeCell,
  validateK,
  type GateDecision,
} from '@candor/disclosure';

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

  describe('releaseCell and the gate without a ledger', () => {
    const one =
      (n: number, k: number, closed = true) =>
      (id: string) =>
        id === 'c' ? { n, k, invited: Math.max(n, k), closed } : undefined;

    it('releases the computed value when n ≥ k', () => {
      const d = decideWithoutLedger({ key: 'c', cycles: ['c'] }, one(5, 5));
      expect(d).toEqual({ released: true });
      expect(releaseCell(d as GateDecision, () => ({ mean: 4.2 }))).toEqual({
        status: 'released',
        mean: 4.2,
      });
    });

    it('a reshaped cell keeps the decision it was built from', () => {
      const value = jest.fn((c: { mean: number }) => ({ mean: c.mean, band: 'fine' }));
      expect(reshapeCell<{ mean: number }, object, 'would-reveal'>(undefined, value)).toEqual({
        status: 'suppressed',
        reason: 'below-k',
      });
      expect(reshapeCell({ status: 'suppressed', reason: 'would-reveal' }, value)).toEqual({
        status: 'suppressed',
        reason: 'would-reveal',
      });
      expect(value).not.toHaveBeenCalled();
      expect(reshapeCell({ status: 'released', mean: 4.2 }, value)).toEqual({
        status: 'released',
        mean: 4.2,
        band: 'fine',
      });
      expect(value).toHaveBeenCalledWith({ mean: 4.2 });
    });

    it('suppresses below k without computing the value', () => {
      const value = jest.fn(() => ({ mean: 4.2 }));
      const d = decideWithoutLedger({ key: 'c', cycles: ['c'] }, one(4, 5)) as GateDecision;
      expect(releaseCell(d, value)).toEqual({ status: 'suppressed', reason: 'below-k' });
      expect(value).not.toHaveBeenCalled();
    });

    it('an open cycle shows nothing, whatever n is', () => {
      const value = jest.fn(() => ({ mean: 1 }));
      for (const n of [40, 1]) {
        const d = decideWithoutLedger({ key: 'c', cycles: ['c'] }, one(n, 5, false)) as GateDecision;
        expect(releaseCell(d, value)).toEqual({ status: 'suppressed', reason: 'open-cycle' });
      }
      expect(value).not.toHaveBeenCalled();
    });

    it('throws on an invalid k', () => {
      expect(() => decideWithoutLedger({ key: 'c', cycles: ['c'] }, one(10, 2))).toThrow(RangeError);
      expect(() => decideFromCounts({ open: 0, n: -1, k: 5, hidden: 0 })).toThrow(RangeError);
    });

    it('property: a released cell always has n ≥ k and no open cycle', () => {
      fc.assert(
        fc.property(fc.nat(100), fc.integer({ min: 3, max: 50 }), fc.boolean(), (n, k, closed) => {
          const d = decideWithoutLedger({ key: 'c', cycles: ['c'] }, one(n, k, closed));
          if (d !== 'ledger' && d.released) {
            expect(n).toBeGreaterThanOrEqual(k);
            expect(closed).toBe(true);
          }
        }),
      );
    });

    it("a further condition keeps the gate's reason first, then adds its own", () => {
      const value = jest.fn(() => ({ alpha: 0.8 }));
      const gated = { released: false as const, reason: 'would-reveal' as const };
      expect(releaseCell(requireAlso(gated, false, 'below-minimum'), value)).toEqual({
        status: 'suppressed',
        reason: 'would-reveal',
      });
      expect(releaseCell(requireAlso({ released: true }, false, 'below-minimum'), value)).toEqual({
        status: 'suppressed',
        reason: 'below-minimum',
      });
      expect(value).not.toHaveBeenCalled();
      expect(releaseCell(requireAlso({ released: true }, true, 'below-minimum'), value)).toEqual({
        status: 'released',
        alpha: 0.8,
      });
    });

    it("only leads see an open cycle's live count", () => {
      expect(releaseLiveCount(3, { leadsTeam: true })).toBe(3);
      expect(releaseLiveCount(3, { leadsTeam: false })).toBeNull();
      expect(() => releaseLiveCount(-1, { leadsTeam: true })).toThrow(RangeError);
    });
  });
});
