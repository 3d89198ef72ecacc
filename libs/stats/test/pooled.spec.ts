import fc from 'fast-check';
import {
  meanEstimate,
  momentsOf,
  pooledMeanEstimate,
  pooledRatioEstimate,
  ratioEstimate,
  ratioMomentsOf,
  repeatedRespondentsDesignEffect,
  seededRandom,
  standardNormal,
  tQuantile,
  type Moments,
} from '@candor/stats';
import { expectClose } from './helpers';

/** Σ mᵢ² over people, brute force, for respondent sets given as lists of person indices. */
const squaresOf = (sets: number[][]) => {
  const m = new Map<number, number>();
  for (const set of sets) for (const p of set) m.set(p, (m.get(p) ?? 0) + 1);
  return [...m.values()].reduce((s, x) => s + x * x, 0);
};

describe('repeatedRespondentsDesignEffect', () => {
  it('is 1 for one cycle or for cycles of different teams, and Σ min(n_c, n_d) / n for one team', () => {
    expect(repeatedRespondentsDesignEffect([7])).toBe(1);
    expect(repeatedRespondentsDesignEffect([7, 8], ['a', 'b'])).toBe(1);
    expect(repeatedRespondentsDesignEffect([7, 8])).toBeCloseTo(29 / 15, 12);
    // Three equal cycles of the same people: each answered three times.
    expect(repeatedRespondentsDesignEffect([4, 4, 4])).toBe(3);
    expect(repeatedRespondentsDesignEffect([0, 0])).toBe(1);
    expect(() => repeatedRespondentsDesignEffect([3, -1])).toThrow(RangeError);
    expect(() => repeatedRespondentsDesignEffect([3, 2.5])).toThrow(RangeError);
    expect(() => repeatedRespondentsDesignEffect([3, 2], ['a'])).toThrow(RangeError);
  });

  it('is an upper bound of Σmᵢ²/n for every way the same people could have answered, reached by nesting', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 12 })
          .chain((people) =>
            fc.array(fc.subarray([...Array(people).keys()]), { minLength: 1, maxLength: 6 }),
          ),
        (sets) => {
          const counts = sets.map((s) => s.length);
          const n = counts.reduce((a, b) => a + b, 0);
          if (n === 0) return true;
          const bound = repeatedRespondentsDesignEffect(counts);
          const actual = squaresOf(sets) / n;
          // Nested sets of the same sizes reach the bound exactly.
          const nested = counts.map((c) => [...Array(c).keys()]);
          return actual <= bound + 1e-12 && Math.abs(squaresOf(nested) / n - bound) < 1e-12 && bound >= 1;
        },
      ),
    );
  });
});

describe('pooledMeanEstimate', () => {
  it('gives the pooled mean, se = naive se · √(deff·(n − 1)/(n − deff)), and t on effectiveN − 1 degrees of freedom', () => {
    const a = momentsOf([5, 6, 4, 5, 6, 5, 7]);
    const b = momentsOf([4, 5, 5, 6, 3, 5, 6, 4]);
    const e = pooledMeanEstimate([a, b], { bounds: { min: 1, max: 7 } })!;
    const naive = meanEstimate({ n: 15, sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq })!;
    expectClose(e.mean, naive.mean);
    expectClose(e.seNaive, naive.se);
    expectClose(e.designEffect, 29 / 15);
    expectClose(e.effectiveN, 15 / (29 / 15));
    const deff = 29 / 15;
    expectClose(e.se, naive.se * Math.sqrt((deff * 14) / (15 - deff)));
    expectClose(e.df, 15 / deff - 1);
    expectClose(e.upper - e.mean, tQuantile(0.975, 15 / deff - 1) * e.se);
    expect(e.upper - e.lower).toBeGreaterThan((naive.upper - naive.lower) * Math.sqrt(deff));
    // One cycle: no repeats, the ordinary interval without finite-population correction.
    const one = pooledMeanEstimate([a])!;
    const plain = meanEstimate(a)!;
    expectClose(one.lower, plain.lower);
    expectClose(one.upper, plain.upper);
    expect(pooledMeanEstimate([momentsOf([5])])).toBeNull();
    // One answer in each of three cycles could be one person three times: no spread to estimate.
    expect(pooledMeanEstimate([momentsOf([5]), momentsOf([4]), momentsOf([6])])).toBeNull();
    expect(() => pooledMeanEstimate([a], { level: 1 })).toThrow(RangeError);
  });

  it('the trust index pools the same way', () => {
    const r1 = ratioMomentsOf([15, 16, 14, 17], [3, 2.5, 3.5, 2]);
    const r2 = ratioMomentsOf([15, 15, 16], [3, 3, 2.5]);
    const e = pooledRatioEstimate([r1, r2])!;
    const naive = ratioEstimate({
      n: 7,
      sumX: r1.sumX + r2.sumX,
      sumXSq: r1.sumXSq + r2.sumXSq,
      sumY: r1.sumY + r2.sumY,
      sumYSq: r1.sumYSq + r2.sumYSq,
      sumXY: r1.sumXY + r2.sumXY,
    })!;
    expectClose(e.mean, naive.value);
    const deff = (4 + 3 + 2 * 3) / 7;
    expectClose(e.designEffect, deff);
    expectClose(e.se, naive.se * Math.sqrt((deff * 6) / (7 - deff)));
    expect(pooledRatioEstimate([ratioMomentsOf([1], [2])])).toBeNull();
  });
});

/**
 * The simulation behind docs/statistics.md: a team of N people answers s consecutive cycles; each
 * answer is μ + (the person's leaning) + noise, with ρ the share of the variance that is the
 * person's leaning; each person answers each cycle with their own probability. The pooled interval
 * must cover μ 95% of the time. The naive interval (every answer a new person) does not.
 */
describe('pooled intervals with repeated respondents: coverage by simulation', () => {
  interface Scenario {
    name: string;
    people: number;
    cycles: number;
    rho: number;
    /** Probability that each person answers a cycle, drawn per person. */
    participation: (random: () => number) => number;
    /** Highest coverage accepted: close to 95% at the bound (ρ = 1), conservative below it. */
    atMost: number;
  }
  const TRIALS = 4000;
  const MU = 5;
  const SD = 0.9;

  function coverage(s: Scenario, seed: number): { corrected: number; naive: number; width: number } {
    const random = seededRandom(seed);
    let corrected = 0;
    let naive = 0;
    let trials = 0;
    let widthRatio = 0;
    while (trials < TRIALS) {
      const leaning = Array.from({ length: s.people }, () => standardNormal(random) * SD * Math.sqrt(s.rho));
      const p = Array.from({ length: s.people }, () => s.participation(random));
      const cycles: Moments[] = [];
      for (let c = 0; c < s.cycles; c++) {
        const answers: number[] = [];
        for (let i = 0; i < s.people; i++) {
          if (random() < p[i]!)
            answers.push(MU + leaning[i]! + standardNormal(random) * SD * Math.sqrt(1 - s.rho));
        }
        cycles.push(momentsOf(answers));
      }
      const pooled = pooledMeanEstimate(cycles);
      if (!pooled) continue;
      trials++;
      if (pooled.lower <= MU && MU <= pooled.upper) corrected++;
      const plain = meanEstimate(mergeAll(cycles))!;
      if (plain.lower <= MU && MU <= plain.upper) naive++;
      widthRatio += (pooled.upper - pooled.lower) / (plain.upper - plain.lower);
    }
    return { corrected: corrected / TRIALS, naive: naive / TRIALS, width: widthRatio / TRIALS };
  }
  const mergeAll = (cycles: Moments[]): Moments => ({
    n: cycles.reduce((s, c) => s + c.n, 0),
    sum: cycles.reduce((s, c) => s + c.sum, 0),
    sumSq: cycles.reduce((s, c) => s + c.sumSq, 0),
  });

  const scenarios: Scenario[] = [
    {
      name: 'team of 6, 3 cycles, 80% answer, ρ = 0.8',
      people: 6,
      cycles: 3,
      rho: 0.8,
      participation: () => 0.8,
      atMost: 0.99,
    },
    {
      name: 'team of 4, 3 cycles, mixed participation (half 95%, half 30%), ρ = 0.9',
      people: 4,
      cycles: 3,
      rho: 0.9,
      participation: (r) => (r() < 0.5 ? 0.95 : 0.3),
      atMost: 0.995,
    },
    {
      name: 'team of 9, 2 cycles, 85% answer, ρ = 0.9',
      people: 9,
      cycles: 2,
      rho: 0.9,
      participation: () => 0.85,
      atMost: 0.98,
    },
    {
      name: 'team of 5, 4 cycles, everyone answers, ρ = 1',
      people: 5,
      cycles: 4,
      rho: 1,
      participation: () => 1,
      atMost: 0.965,
    },
  ];

  it.each(scenarios.map((s, i) => [s.name, s, i] as const))('%s', (_name, scenario, index) => {
    const result = coverage(scenario, 1000 + index);
    console.log(
      `${scenario.name}: corrected ${(result.corrected * 100).toFixed(1)}%, naive ${(result.naive * 100).toFixed(1)}%, width × ${result.width.toFixed(2)}`,
    );
    // 4,000 trials: the Monte Carlo standard error of a 95% coverage is 0.35 points.
    expect(result.corrected).toBeGreaterThanOrEqual(0.94);
    expect(result.corrected).toBeLessThanOrEqual(scenario.atMost);
    expect(result.naive).toBeLessThan(0.9);
  });

  it('stays at or above 95% (conservative) when repeats barely matter (ρ = 0.2), where the naive interval is about right', () => {
    const result = coverage(
      { name: 'ρ = 0.2', people: 8, cycles: 3, rho: 0.2, participation: () => 0.8, atMost: 1 },
      77,
    );
    console.log(
      `ρ = 0.2: corrected ${(result.corrected * 100).toFixed(1)}%, naive ${(result.naive * 100).toFixed(1)}%`,
    );
    expect(result.corrected).toBeGreaterThanOrEqual(0.945);
    expect(result.naive).toBeGreaterThanOrEqual(0.9);
  });
});
