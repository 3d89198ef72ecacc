import type { TrendPoint } from '@candor/contracts';
import fc from 'fast-check';
import { PSYCH, TRUST_INDEX_DIM, change, point, released, suppressed } from '../../../test/trend-fixtures';
import { chartScale, describeK, describeSeries, shapeTrend } from './trend-data';

describe('chartScale', () => {
  it('pins the 1–7 agreement scale with a tick per scale point and neutral at 4', () => {
    expect(chartScale(PSYCH)).toEqual({
      min: 1,
      max: 7,
      domain: [1, 7],
      ticks: [1, 2, 3, 4, 5, 6, 7],
      neutral: 4,
    });
  });

  it('pins the trust index to 3/7–21 with neutral at 3 (all answers neutral: 12 / 4)', () => {
    const scale = chartScale(TRUST_INDEX_DIM);
    expect(scale.domain).toEqual([3 / 7, 21]);
    expect(scale.ticks[0]).toBeCloseTo(3 / 7);
    expect(scale.ticks.at(-1)).toBe(21);
    expect(scale.neutral).toBe(3);
  });

  it('keeps any other declared range as the domain, ticks inside it', () => {
    const scale = chartScale({ min: 0, max: 100 });
    expect(scale.domain).toEqual([0, 100]);
    expect(scale.ticks[0]).toBe(0);
    expect(scale.ticks.at(-1)).toBe(100);
    expect(scale.ticks.every((t) => t >= 0 && t <= 100)).toBe(true);
  });
});

describe('shapeTrend', () => {
  it('never fits the axis to the data', () => {
    const high = shapeTrend([point(1, { psych_safety: released(6.8, 6.6, 7, 9) })], PSYCH);
    const low = shapeTrend([point(1, { psych_safety: released(1.3, 1, 1.6, 9) })], PSYCH);
    expect(high.scale.domain).toEqual([1, 7]);
    expect(low.scale.domain).toEqual([1, 7]);
  });

  it('carries mean, interval, n, invited and k of a released cycle', () => {
    const [d] = shapeTrend(
      [point(3, { psych_safety: released(5.21, 4.8, 5.62, 7) }, { k: 5, invited: 9 })],
      PSYCH,
    ).data;
    expect(d).toMatchObject({
      status: 'released',
      mean: 5.21,
      lower: 4.8,
      upper: 5.62,
      n: 7,
      invited: 9,
      k: 5,
    });
    expect(d!.band).toEqual([4.8, 5.62]);
    expect(d!.suppressedAt).toBeNull();
  });

  it('draws a suppressed cycle as a marker at the bottom of the scale with no numbers — never 0', () => {
    const series = shapeTrend(
      [
        point(1, { psych_safety: released(5, 4.5, 5.5, 8) }),
        point(2, { psych_safety: suppressed() }, { n: 3 }),
        point(3, { psych_safety: released(5.4, 4.9, 5.9, 7) }),
      ],
      PSYCH,
    );
    const d = series.data[1]!;
    expect(d.status).toBe('suppressed');
    expect(d.reason).toBe('below-k');
    expect([d.mean, d.lower, d.upper, d.n, d.band, d.change]).toEqual([null, null, null, null, null, null]);
    expect(d.suppressedAt).toBe(1);
    expect(series.releasedCount).toBe(2);
    expect(series.suppressedCount).toBe(1);
  });

  it('keeps the reason of a suppression by the release gate', () => {
    const [d] = shapeTrend([point(1, { psych_safety: suppressed('would-reveal') })], PSYCH).data;
    expect(d!.reason).toBe('would-reveal');
  });

  it('treats a missing or non-finite cell as suppressed, not as a number', () => {
    const broken = { status: 'released', n: 6, mean: Number.NaN, lower: 4, upper: 5, change: null } as const;
    const series = shapeTrend([point(1, {}), point(2, { psych_safety: broken })], PSYCH);
    expect(series.data.map((d) => d.status)).toEqual(['suppressed', 'suppressed']);
    expect(series.data.every((d) => d.mean === null)).toBe(true);
  });

  it('clips the drawn band to the scale but reports the interval as given', () => {
    const [d] = shapeTrend([point(1, { psych_safety: released(6.7, 6.2, 7.3, 5) })], PSYCH).data;
    expect(d!.band).toEqual([6.2, 7]);
    expect(d!.upper).toBe(7.3);
  });

  it('gives an isolated released point whiskers, because its band would have no width', () => {
    const series = shapeTrend(
      [
        point(1, { psych_safety: released(5, 4.5, 5.6, 8) }),
        point(2, { psych_safety: suppressed() }),
        point(3, { psych_safety: released(5.2, 4.9, 5.5, 7) }),
        point(4, { psych_safety: released(5.3, 5, 5.6, 7) }),
      ],
      PSYCH,
    );
    expect(series.data[0]!.whisker![0]).toBeCloseTo(0.5);
    expect(series.data[0]!.whisker![1]).toBeCloseTo(0.6);
    expect(series.data[1]!.whisker).toBeNull();
    expect(series.data[2]!.whisker).toBeNull();
    expect(series.data[3]!.whisker).toBeNull();
  });

  it('flags only changes the API marked significant', () => {
    const series = shapeTrend(
      [
        point(1, { psych_safety: released(4.5, 4, 5, 8) }),
        point(2, { psych_safety: released(5.5, 5, 6, 8, change(1, 0.01, true)) }),
        point(3, { psych_safety: released(5.7, 5.2, 6.2, 8, change(0.2, 0.3, false)) }),
      ],
      PSYCH,
    );
    expect(series.data.map((d) => d.significant)).toEqual([false, true, false]);
    expect(series.data[1]!.change).toMatchObject({ direction: 'up', p: 0.01 });
  });

  it('reads the requested dimension only', () => {
    const scores = { credibility: released(6, 5.5, 6.5, 7), self_orientation: suppressed() };
    expect(shapeTrend([point(1, scores)], { ...PSYCH, id: 'credibility' }).data[0]!.mean).toBe(6);
    expect(shapeTrend([point(1, scores)], { ...PSYCH, id: 'self_orientation' }).data[0]!.status).toBe(
      'suppressed',
    );
  });

  it('lists the distinct k values, so a caption can say which k applied', () => {
    const series = shapeTrend(
      [point(1, {}, { k: 5 }), point(2, {}, { k: 3 }), point(3, {}, { k: 5 })],
      PSYCH,
    );
    expect(series.kValues).toEqual([3, 5]);
    expect(describeK(series.kValues)).toBe('k = 3–5 (set per cycle)');
    expect(describeK([5])).toBe('k = 5');
  });

  it('describes the series for screen readers with n, interval and suppressed count', () => {
    const text = describeSeries(
      shapeTrend(
        [point(1, { psych_safety: suppressed() }), point(2, { psych_safety: released(5.25, 4.8, 5.7, 7) })],
        PSYCH,
      ),
    );
    expect(text).toContain('1 shown, 1 suppressed');
    expect(text).toContain('mean 5.25 on 1–7, 95% interval 4.80–5.70, n = 7');
    expect(describeSeries(shapeTrend([], PSYCH))).toBe('Psychological safety: no closed cycles yet.');
  });

  it('holds for any mix of released and suppressed cells (property)', () => {
    const cell = fc.oneof(
      fc
        .record({
          mean: fc.double({ min: 1, max: 7, noNaN: true }),
          half: fc.double({ min: 0, max: 3, noNaN: true }),
          n: fc.integer({ min: 3, max: 200 }),
        })
        .map(({ mean, half, n }) => released(mean, mean - half, mean + half, n)),
      fc.constantFrom(suppressed('below-k'), suppressed('would-reveal')),
    );
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 20 }), (cells) => {
        const points: TrendPoint[] = cells.map((c, i) => point((i % 12) + 1, { psych_safety: c }));
        const series = shapeTrend(points, PSYCH);
        expect(series.scale.domain).toEqual([1, 7]);
        series.data.forEach((d, i) => {
          if (cells[i]!.status === 'suppressed') {
            expect(d.mean).toBeNull();
            expect(d.n).toBeNull();
            expect(d.band).toBeNull();
            expect(d.suppressedAt).toBe(1);
          } else {
            expect(d.band![0]).toBeGreaterThanOrEqual(1);
            expect(d.band![1]).toBeLessThanOrEqual(7);
            expect(d.band![0]).toBeLessThanOrEqual(d.mean!);
            expect(d.band![1]).toBeGreaterThanOrEqual(d.mean!);
          }
        });
      }),
    );
  });
});
