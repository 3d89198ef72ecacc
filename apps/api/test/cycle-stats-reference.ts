/**
 * The reference computation of a cycle's `cycle_stats` rows, response by response in JavaScript
 * with the instruments' own scoring (scoreResponse). The close path computes them in SQL
 * (cycleStatsInsertSql); close-stats.e2e-spec.ts checks the two agree.
 */
import type { InstrumentVersion } from '@candor/contracts';
import { getInstrument, scoreResponse, type Answers } from '@candor/instruments';
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
}

/** Statistics stored per cycle. See docs/statistics.md for what each row means. */
export function cycleStatsRows(instrumentKey: InstrumentVersion, answers: Answers[]): StatsRow[] {
  const instrument = getInstrument(instrumentKey);
  const dims = new Map<string, Moments>();
  const add = (id: string, x: number) => dims.set(id, addObservation(dims.get(id) ?? emptyMoments(), x));
  let trust = emptyRatioMoments();
  for (const a of answers) {
    const scored = scoreResponse(instrument, a);
    for (const [id, value] of Object.entries(scored.dimensions)) add(id, value);
    for (const [id, value] of Object.entries(scored.items)) add(`item:${id}`, value);
    add('total', scored.total);
    // Answer distribution per item (raw answer, before reverse-scoring): `dist:<itemId>:<answer>`,
    // n = count. Only non-zero counts are stored; the item breakdown shows them where n ≥ 10.
    for (const item of instrument.items) {
      const answer = a[item.id];
      if (answer !== undefined) add(`dist:${item.id}:${answer}`, answer);
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
    rows.push({ dimension: id, n: m.n, sum: m.sum, sumSq: m.sumSq, sumCross: null });
  }
  for (const [id, m] of dims) {
    if (id.startsWith('dist:'))
      rows.push({ dimension: id, n: m.n, sum: m.sum, sumSq: m.sumSq, sumCross: null });
  }
  if (instrument.id === 'trust-equation') {
    rows.push({
      dimension: 'trust_index',
      n: trust.n,
      sum: trust.sumX,
      sumSq: trust.sumXSq,
      sumCross: trust.sumXY,
    });
  }
  return rows;
}
