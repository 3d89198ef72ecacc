import fc from 'fast-check';
import { decideComments, defaultKComments, validateKComments } from '@candor/disclosure';

const cycle = { id: 'c1', closed: true, n: 6, k: 5, kComments: 5, invited: 8 };

describe('comment threshold', () => {
  it('defaults to max(k, 5) and never goes below k', () => {
    expect(defaultKComments(3)).toBe(5);
    expect(defaultKComments(7)).toBe(7);
    expect(validateKComments(4, 5)).toMatch(/from k \(5\)/);
    expect(validateKComments(5.5, 5)).not.toBeNull();
    expect(validateKComments(6, 5)).toBeNull();
  });

  it('releases only a closed cycle with n ≥ k and n ≥ k_comments', () => {
    expect(decideComments(cycle)).toEqual({ released: true });
    expect(decideComments({ ...cycle, closed: false })).toEqual({ released: false, reason: 'open-cycle' });
    expect(decideComments({ ...cycle, n: 4 })).toEqual({ released: false, reason: 'below-k' });
    expect(decideComments({ ...cycle, kComments: 7 })).toEqual({
      released: false,
      reason: 'below-k-comments',
    });
    expect(() => decideComments({ ...cycle, kComments: 4 })).toThrow(RangeError);
  });

  it('never releases below k or k_comments, for any cycle', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 50 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        (k, extra, n, closed) => {
          const kComments = Math.min(50, k + extra);
          const d = decideComments({ id: 'x', closed, n, k, kComments, invited: n });
          if (d.released) expect(closed && n >= k && n >= kComments).toBe(true);
          else expect(closed && n >= kComments).toBe(false);
        },
      ),
    );
  });
});
