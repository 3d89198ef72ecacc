import type { TrendPoint } from '@candor/contracts';
import fc from 'fast-check';
import { PSYCH, TRUST_INDEX_DIM, change, point, released, suppressed } from '../../../test/trend-fixtures';
import { chartScale, describeK, describeSeries, shapeTrend } from './trend-data';

describe('chartScale', () => {
  it('pins the 1–7 agreement scale with a tick per scale point, neutral at 4 and the band cut points', () => {
    expect(chartScale(PSYCH)).toEqual({
      min: 1,
      max: 7,
      domain: [1, 7],
      ticks: [1, 2, 3, 4, 5, 6, 7],
      neutral: 4,
      bands: { strong: 5.5, attention: 4.5 },
      goodDirection: 'higher',
    });
  });

  it('mirrors the band cut points where lower is better (self-orientation)', () => {
    const scale = chartScale({ min: 1, max: 7, id: 'self_orientation' });
    expect(scale.goodDirection).toBe('lower');
    expect(scale.bands).toEqual({ strong: 2.5, attention: 3.5 });
    // The API may declare the direction itself.
    expect(chartScale({ ...PSYCH, goodDirection: 'lower' }).goodDirection).toBe('lower');
  });

  it('draws the trust index on a fixed, readable 0–12 axis with whole ticks and neutral at 3 (all answers neutral: 12 / 4)', () => {
    const scale = chartScale(TRUST_INDEX_DIM);
    expect(scale.min).toBeCloseTo(3 / 7);
    expect(scale.max).toBe(21);
    expect(scale.domain).toEqual([0, 12]);
    expect(scale.ticks).toEqual([0, 3, 6, 9, 12]);
    expect(scale.neutral).toBe(3);
    expect(scale.bands!.strong).toBeCloseTo(6.6);
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
    expect(d!.gap).toBeNull();
    expect(d!.everyoneAnswered).toBe(false);
  });

  it('draws a suppressed cycle as a full-height gap column with no numbers — never 0, never a low point', () => {
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
    expect(d.gap).toBe(7);
    expect(d.plotMean).toBeNull();
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

  it('calls a significant change better or worse by the dimension’s good direction', () => {
    const up = change(1, 0.01, true);
    const down = change(-1, 0.01, true);
    const so = { ...PSYCH, id: 'self_orientation', label: 'Self-orientation' };
    const tones = (dim: typeof PSYCH, c: typeof up) =>
      shapeTrend(
        [
          point(1, { [dim.id]: released(4, 3.5, 4.5, 8) }),
          point(2, { [dim.id]: released(5, 4.5, 5.5, 8, c) }),
        ],
        dim,
      ).data.map((d) => d.tone);
    expect(tones(PSYCH, up)).toEqual([null, 'better']);
    expect(tones(PSYCH, down)).toEqual([null, 'worse']);
    expect(tones(so, up)).toEqual([null, 'worse']);
    expect(tones(so, down)).toEqual([null, 'better']);
    expect(tones(PSYCH, change(1, 0.2, false))).toEqual([null, null]);
  });

  it('says when everyone answered (an interval of no width) and keeps a trust index above the axis at its edge, marked', () => {
    const [all] = shapeTrend(
      [point(1, { psych_safety: released(5.81, 5.81, 5.81, 9) }, { invited: 9 })],
      PSYCH,
    ).data;
    expect(all!.everyoneAnswered).toBe(true);
    const [high, low] = shapeTrend(
      [
        point(1, { trust_index: released(14.2, 12.5, 15.9, 8) }),
        point(2, { trust_index: released(4.1, 3.5, 4.7, 8) }),
      ],
      TRUST_INDEX_DIM,
    ).data;
    expect(high).toMatchObject({ mean: 14.2, plotMean: 12, overflow: 'above', band: [12, 12] });
    expect(low).toMatchObject({ mean: 4.1, plotMean: 4.1, overflow: null });
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
    expect(text).toContain('mean 5.25 on 1–7 (higher is better), 95% interval 4.80–5.70, n = 7');
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
            expect(d.gap).toBe(7);
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
