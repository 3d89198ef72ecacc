import {
  COMPARISON_CSV_HEADER,
  comparisonCsv,
  comparisonCsvRows,
  csvNumber,
  csvStatus,
  type ComparisonRow,
  type GroupComparisonResponse,
} from '@candor/contracts';

const row = (id: string, name: string, scores: ComparisonRow['scores'], depth = 1): ComparisonRow => ({
  kind: depth === 0 ? 'group' : 'team',
  id,
  name,
  parentId: depth === 0 ? null : 'g',
  depth,
  cycleId: depth === 0 ? null : `c-${id}`,
  participation: { status: 'released', n: 8, invited: 10, rate: 0.8 },
  scores,
});

const view: GroupComparisonResponse = {
  group: { id: 'g', name: 'Product' },
  instrument: 'psych-safety',
  period: '2026-03',
  final: true,
  k: 5,
  fdr: 0.1,
  dimensions: [{ id: 'psych_safety', label: 'Psychological safety', min: 1, max: 7 }],
  rows: [
    row(
      'g',
      'Product',
      { psych_safety: { status: 'released', n: 30, mean: 5.2, lower: 5, upper: 5.4, test: null } },
      0,
    ),
    row('t1', 'Alpha', {
      psych_safety: {
        status: 'released',
        n: 8,
        mean: 4.25,
        lower: 3.9,
        upper: 4.6,
        test: { delta: -1.1, p: 0.004, q: 0.02, flag: 'below' },
      },
    }),
    {
      ...row('t2', 'Tiny', { psych_safety: { status: 'suppressed', reason: 'below-k' } }),
      participation: { status: 'suppressed', reason: 'below-k' },
    },
  ],
};

describe('comparison CSV cells', () => {
  it('writes a status with the reason for suppression, and treats a missing cell as suppressed', () => {
    expect(csvStatus({ status: 'released' })).toBe('released');
    expect(csvStatus({ status: 'suppressed', reason: 'would-reveal' })).toBe('suppressed:would-reveal');
    expect(csvStatus(undefined)).toBe('suppressed');
  });

  it('gives a released cell’s number, and nothing for a suppressed or missing cell or a non-number', () => {
    const cell = { status: 'released' as const, n: 7, mean: 4.5, label: 'x' };
    expect(csvNumber(cell, 'mean')).toBe(4.5);
    expect(csvNumber(cell, 'label')).toBeNull();
    expect(csvNumber<{ mean: number }>({ status: 'suppressed', reason: 'below-k' }, 'mean')).toBeNull();
    expect(csvNumber<{ mean: number }>(undefined, 'mean')).toBeNull();
  });
});

describe('comparisonCsvRows', () => {
  it('writes the header, then one row per comparison row and dimension, numbers only where released', () => {
    expect(comparisonCsvRows(view)).toEqual([
      [...COMPARISON_CSV_HEADER],
      [
        '2026-03',
        'psych-safety',
        'group',
        'Product',
        0,
        'psych_safety',
        'released',
        30,
        0.8,
        5.2,
        5,
        5.4,
        null,
        null,
        null,
        null,
      ],
      [
        '2026-03',
        'psych-safety',
        'team',
        'Alpha',
        1,
        'psych_safety',
        'released',
        8,
        0.8,
        4.25,
        3.9,
        4.6,
        -1.1,
        0.004,
        0.02,
        'below',
      ],
      [
        '2026-03',
        'psych-safety',
        'team',
        'Tiny',
        1,
        'psych_safety',
        'suppressed:below-k',
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
    ]);
  });

  it('follows a given order and leaves out rows not in it (and ids it does not know)', () => {
    const names = comparisonCsvRows(view, ['t2', 'nope', 'g'])
      .slice(1)
      .map((r) => r[3]);
    expect(names).toEqual(['Tiny', 'Product']);
    expect(comparisonCsvRows(view, [])).toEqual([[...COMPARISON_CSV_HEADER]]);
  });

  it('turns the rows into CSV text, a negative difference without a formula prefix', () => {
    const lines = comparisonCsv(view).split('\n');
    expect(lines[0]).toBe(COMPARISON_CSV_HEADER.join(','));
    expect(lines[2]).toBe(
      '2026-03,psych-safety,team,Alpha,1,psych_safety,released,8,0.8,4.25,3.9,4.6,-1.1,0.004,0.02,below',
    );
    expect(lines[3]).toBe('2026-03,psych-safety,team,Tiny,1,psych_safety,suppressed:below-k,,,,,,,,,');
    expect(lines).toHaveLength(5);
  });
});
