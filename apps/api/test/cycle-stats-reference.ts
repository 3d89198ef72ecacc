/**
 * The reference computation of a cycle's `cycle_stats` rows, response by response in JavaScript
 * with the instruments' own scoring (scoreResponse). The close path computes them in SQL
 * (cycleStatsInsertSql); close-stats.e2e-spec.ts checks the two agree.
 */
import type { InstrumentVersion } from '@candor/contracts';
import { getInstrument, SCALE_MAX, SCALE_MIN, scoreResponse, type Answers } from '@candor/instruments';
import {
  addObservation,
  addRatioObservation,
  emptyMoments,
  emptyRatioMoments,
  type Moments,
} from '@candor/stats';

export interface StatsRow {
  dimension: string;
  n: number;
  sum: number;
  sumSq: number;
  sumCross: number | null;
  /** Item rows: how many gave each raw answer, lowest first; null on other rows. */
  counts: number[] | null;
}

/** Statistics stored per cycle. See docs/statistics.md for what each row means. */
export function cycleStatsRows(instrumentKey: InstrumentVersion, answers: Answers[]): StatsRow[] {
  const instrument = getInstrument(instrumentKey);
  const dims = new Map<string, Moments>();
  const add = (id: string, x: number) => dims.set(id, addObservation(dims.get(id) ?? emptyMoments(), x));
  let trust = emptyRatioMoments();
  const counts = new Map<string, number[]>(
    instrument.items.map((i) => [`item:${i.id}`, new Array<number>(SCALE_MAX - SCALE_MIN + 1).fill(0)]),
  );
  for (const a of answers) {
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
