/**
 * The reference computation of a cycle's `cycle_stats` rows, response by response in JavaScript
 * with the instruments' own scoring (scoreResponse). The close computes them in the application
 * (cycleStatsOf), migrations in SQL (cycleStatsInsertSql), both from one plan; close-stats.e2e-spec.ts
 * checks all three agree.
 */
import type { InstrumentVersion } from '@candor/contracts';
import type { CycleStatsRow } from '../src/analytics/cycle-stats';
import {
  getInstrument,
  isFavourableAnswer,
  itemDimension,
  SCALE_MAX,
  SCALE_MIN,
  scoreResponse,
  type Answers,
} from '@candor/instruments';
import {
  addObservation,
  addRatioObservation,
  emptyMoments,
  emptyRatioMoments,
  type Moments,
} from '@candor/stats';

/** The rows have the shape the close writes (an item row's counts: how many gave each raw answer). */
export type StatsRow = CycleStatsRow;

/** Statistics stored per cycle. See docs/statistics.md for what each row means. */
export function cycleStatsRows(instrumentKey: InstrumentVersion, answers: Answers[]): StatsRow[] {
  const instrument = getInstrument(instrumentKey);
  const dims = new Map<string, Moments>();
  const add = (id: string, x: number) => dims.set(id, addObservation(dims.get(id) ?? emptyMoments(), x));
  let trust = emptyRatioMoments();
  const counts = new Map<string, number[]>(
    instrument.items.map((i) => [`item:${i.id}`, new Array<number>(SCALE_MAX - SCALE_MIN + 1).fill(0)]),
  );
  // favourable:<dimension>: per response, how many of the dimension's items were answered favourably.
  const favourable = new Map<string, { n: number; sum: number; sumSq: number; answers: number }>(
    instrument.responseDimensions.map((d) => [d.id, { n: 0, sum: 0, sumSq: 0, answers: 0 }]),
  );
  for (const a of answers) {
    const perDimension = new Map<string, { f: number; m: number }>();
    for (const item of instrument.items) {
      const dim = itemDimension(instrument, item);
      const acc = perDimension.get(dim) ?? { f: 0, m: 0 };
      acc.m += 1;
      if (isFavourableAnswer(instrument, item, a[item.id]!)) acc.f += 1;
      perDimension.set(dim, acc);
    }
    for (const [dim, { f, m }] of perDimension) {
      const acc = favourable.get(dim)!;
      acc.n += 1;
      acc.sum += f;
      acc.sumSq += f * f;
      acc.answers += m;
    }
    const scored = scoreResponse(instrument, a);
    for (const [id, value] of Object.entries(scored.dimensions)) add(id, value);
    for (const [id, value] of Object.entries(scored.items)) add(`item:${id}`, value);
    add('total', scored.total);
    // Answer distribution per item (raw answer, before reverse-scoring), on the item's row; the
    // item breakdown shows it where n ≥ 10.
    for (const item of instrument.items) {
      const answer = a[item.id];
      if (answer !== undefined) counts.get(`item:${item.id}`)![answer - SCALE_MIN]! += 1;
    }
    if (instrument.id === 'trust-equation') {
      const d = scored.dimensions;
      trust = addRatioObservation(
        trust,
        (d.credibility ?? 0) + (d.reliability ?? 0) + (d.intimacy ?? 0),
        d.self_orientation ?? 0,
      );
    }
  }
  const rows: StatsRow[] = [];
  const dimensionIds = [
    ...instrument.responseDimensions.map((d) => d.id),
    ...instrument.items.map((i) => `item:${i.id}`),
    'total',
  ];
  for (const id of dimensionIds) {
    const m = dims.get(id) ?? emptyMoments();
    rows.push({
      dimension: id,
      n: m.n,
      sum: m.sum,
      sumSq: m.sumSq,
      sumCross: null,
      counts: counts.get(id) ?? null,
    });
  }
  for (const [dim, f] of favourable) {
    rows.push({
      dimension: `favourable:${dim}`,
      n: f.n,
      sum: f.sum,
      sumSq: f.sumSq,
      sumCross: f.answers,
      counts: null,
    });
  }
  if (instrument.id === 'trust-equation') {
    rows.push({
      dimension: 'trust_index',
      n: trust.n,
      sum: trust.sumX,
      sumSq: trust.sumXSq,
      sumCross: trust.sumXY,
      counts: null,
    });
  }
  return rows;
}
