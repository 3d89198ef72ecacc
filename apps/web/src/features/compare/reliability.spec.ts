import type { ReliabilityResponse } from '@candor/contracts';
import { describeAlpha, readAlpha, shapeReliability } from './reliability';

type AlphaCell = NonNullable<ReliabilityResponse['points'][number]['alpha']>;

/** A one-scale (psych safety) response from { period, alpha } pairs. */
const response = (points: { period: string; alpha: AlphaCell }[]): ReliabilityResponse => ({
  group: { id: 'g', name: 'Product' },
  instrument: 'psych-safety',
  instrumentVersion: 'psych-safety@1',
  minimumN: 30,
  scales: [{ id: 'psych_safety', label: 'Psychological safety', items: [], reversed: [] }],
  points: points.map((p) => ({ ...p, scales: [{ scale: 'psych_safety', alpha: p.alpha }] })),
});

const shape = (r: ReliabilityResponse) => shapeReliability(r, 'psych_safety');

describe('reliability shaping', () => {
  it('reads α the usual way, with 0.7 as acceptable', () => {
    expect([0.95, 0.85, 0.7, 0.65, 0.3].map(readAlpha)).toEqual([
      'excellent',
      'good',
      'acceptable',
      'questionable',
      'poor',
    ]);
    // As shown: 0.6996 prints as 0.70, so it reads as acceptable; 0.694 prints as 0.69.
    expect(readAlpha(0.6996)).toBe('acceptable');
    expect(readAlpha(0.694)).toBe('questionable');
  });

  it('keeps withheld months without a number and says why', () => {
    const series = shape(
      response([
        { period: '2025-01', alpha: { status: 'suppressed', reason: 'below-minimum' } },
        { period: '2025-02', alpha: { status: 'released', n: 31, alpha: 0.72 } },
        { period: '2025-03', alpha: { status: 'suppressed', reason: 'below-k' } },
      ]),
    );
    expect(series.domain).toEqual([0, 1]);
    expect(series.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.7, 0.8, 1]);
    expect(series.data.map((d) => [d.alpha, d.n, d.withheld])).toEqual([
      [null, null, 'Not enough responses (n < 30)'],
      [0.72, 31, null],
      [null, null, 'Suppressed (n < k)'],
    ]);
    expect(describeAlpha(series, 'Psychological safety')).toMatch(
      /α = 0\.72 in February 2025 \(n = 31\), acceptable \(0\.7 or more\)/,
    );
  });

  it('extends the axis below 0 for a negative α instead of hiding it', () => {
    const series = shape(
      response([{ period: '2025-02', alpha: { status: 'released', n: 40, alpha: -0.3 } }]),
    );
    expect(series.domain).toEqual([-0.4, 1]);
    expect(describeAlpha(series, 'Trust')).toMatch(/poor \(below 0\.7\)/);
  });

  it('says so when no month had enough responses', () => {
    const series = shape(
      response([{ period: '2025-02', alpha: { status: 'suppressed', reason: 'below-minimum' } }]),
    );
    expect(describeAlpha(series, 'Trust')).toBe(
      'Trust: no month had at least 30 responses in this group, so no α is shown.',
    );
  });

  it('shapes one series per trust component from the same response', () => {
    const ids = ['credibility', 'reliability', 'intimacy', 'self_orientation'];
    const trust: ReliabilityResponse = {
      group: { id: 'g', name: 'Product' },
      instrument: 'trust-equation',
      instrumentVersion: 'trust-equation@1',
      minimumN: 30,
      scales: ids.map((id) => ({ id, label: id, items: [], reversed: [] })),
      points: [
        {
          period: '2025-02',
          scales: ids.map((scale, c) => ({
            scale,
            alpha: { status: 'released', n: 32, alpha: [0.73, 0.79, 0.83, 0.85][c]! },
          })),
        },
        {
          period: '2025-03',
          scales: ids.map((scale) => ({ scale, alpha: { status: 'suppressed', reason: 'below-minimum' } })),
        },
      ],
    };
    expect(ids.map((id) => shapeReliability(trust, id).data.map((d) => d.alpha))).toEqual([
      [0.73, null],
      [0.79, null],
      [0.83, null],
      [0.85, null],
    ]);
    expect(shapeReliability(trust, 'self_orientation').data[1]!.withheld).toBe(
      'Not enough responses (n < 30)',
    );
  });
});
