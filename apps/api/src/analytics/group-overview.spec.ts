import { overviewComparisons, overviewTrends } from '../../test/overview-fixtures';
import { composeOverview } from './group-overview';

const overview = () => composeOverview({ comparisons: overviewComparisons(), trends: overviewTrends() });

describe('composeOverview (from the comparisons and trends the API releases)', () => {
  it('puts every dimension of both surveys side by side, each with its good direction', () => {
    const o = overview();
    expect(o.dimensions.map((d) => [d.id, d.instrument, d.goodDirection])).toEqual([
      ['psych_safety', 'psych-safety', 'higher'],
      ['trust_index', 'trust-equation', 'higher'],
      ['credibility', 'trust-equation', 'higher'],
      ['reliability', 'trust-equation', 'higher'],
      ['intimacy', 'trust-equation', 'higher'],
      ['self_orientation', 'trust-equation', 'lower'],
    ]);
    const falls = o.rows.find((r) => r.teamId === 't-falls')!;
    expect(falls.scores.psych_safety).toMatchObject({
      status: 'released',
      mean: 4.3,
      band: 'needs-attention',
    });
    // The change since the team's previous cycle comes from its trend, for the comparison's cycle.
    expect(falls.scores.psych_safety).toMatchObject({ change: { significant: true, delta: -1.6 } });
    expect(o.reference.psych_safety).toMatchObject({ status: 'released', mean: 5.2, band: 'fine' });
  });

  it('says why a team has no result: no pulse in the month, or fewer people than k', () => {
    const o = overview();
    const quiet = o.rows.find((r) => r.teamId === 't-quiet')!;
    expect(quiet.instruments['psych-safety'].noResults).toBe('smaller-than-k');
    expect(quiet.instruments['trust-equation'].noResults).toBe('no-cycle');
    expect(quiet.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'below-k' });
  });
});

describe('where to look', () => {
  it('lists the significant drop first, named with its dimension, then worse-than-the-group, needs attention, no results', () => {
    const items = overview().attention;
    expect(items.map((i) => [i.kind, i.teamName, i.dimension ?? i.instrument])).toEqual([
      ['significant-drop', 'Falls', 'psych_safety'],
      // Self-orientation ABOVE the rest is worse; the strong team's "above" psych safety is not listed.
      ['below-group', 'Steady', 'self_orientation'],
      ['no-results', 'Quiet', 'psych-safety'],
      ['no-results', 'Quiet', 'trust-equation'],
    ]);
    expect(items[0]).toMatchObject({ mean: 4.3, band: 'needs-attention', change: { delta: -1.6 } });
  });
});

describe('worst first', () => {
  it('puts the team with the least favourable result first, and teams without results last', () => {
    expect(overview().rows.map((r) => r.name)).toEqual([
      'Falls',
      // Steady's self-orientation 3.4 is 4.6 in favourability — its least favourable result.
      'Steady',
      'Strong',
      'Quiet',
    ]);
  });
});

describe('one Benjamini–Hochberg family across both instruments', () => {
  it('adjusts every tested team cell of both comparisons together', () => {
    const o = overview();
    const tests = o.rows.flatMap((r) =>
      Object.entries(r.scores).flatMap(([dim, c]) =>
        c.status === 'released' && c.test ? [[r.name, dim, c.test.q, c.test.flag] as const] : [],
      ),
    );
    // 3 teams × 6 dimensions; three tests at p = 0.001 (q = 0.001 · 18 / 3), fifteen at p = 0.6.
    expect(tests).toHaveLength(18);
    const flagged = tests.filter(([, , , flag]) => flag !== 'none');
    expect(flagged.map(([name, dim, q, flag]) => [name, dim, flag, q.toFixed(6)])).toEqual([
      ['Falls', 'psych_safety', 'below', '0.006000'],
      ['Steady', 'self_orientation', 'above', '0.006000'],
      ['Strong', 'psych_safety', 'above', '0.006000'],
    ]);
    for (const [, , q, flag] of tests) if (flag === 'none') expect(q).toBeCloseTo(0.6, 12);
  });
});
