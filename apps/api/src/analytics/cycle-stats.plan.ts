import { goodDirection, itemDimension, type Instrument, type Item } from '@candor/instruments';

/**
 * What a cycle's `cycle_stats` rows are made of, per instrument: the values each response
 * contributes, as integer linear combinations of its scored answers. The close computes the rows
 * from it in the application (cycleStatsOf); migrations and the benchmark's data generator in
 * PostgreSQL (cycleStatsInsertSql). docs/statistics.md describes the rows.
 */
export interface StatsPlan {
  /** The instrument's items in order; `col` numbers them from 1. */
  items: PlanItem[];
  /** Rows of n, Σx, Σx² of one value per response; an item's row (`item`: its col) also counts the answers. */
  moments: { dimension: string; linear: Linear; item: number | null }[];
  /** `favourable:<dimension>`: n, Σf, Σf² of f, the number of favourable answers (a linear over indicators), and the item answers. */
  favourable: { dimension: string; linear: Linear; answers: number }[];
  /** Trust equation only: X = C + R + I and Y = S, for n, ΣX, ΣX², ΣXY. */
  trust: { x: Linear; y: Linear } | null;
}

export interface PlanItem {
  item: Item;
  id: string;
  col: number;
  reverse: boolean;
  /**
   * The good direction of the item's dimension, as `isFavourableAnswer` uses it: favourable is
   * FAVOURABLE_FROM or more where higher is better, FAVOURABLE_UP_TO_WHEN_LOWER or less otherwise.
   * (That function refuses an answer off the scale; the statistics score one like SQL does.)
   */
  higherIsBetter: boolean;
}

/** A linear score of the items of one response: Σ coef·s_item / denominator (integers). */
export interface Linear {
  terms: { item: number; coef: number }[];
  denominator: number;
}

export function statsPlan(instrument: Instrument): StatsPlan {
  const items: PlanItem[] = instrument.items.map((item, i) => ({
    item,
    id: item.id,
    col: i + 1,
    reverse: item.reverse === true,
    higherIsBetter: goodDirection(itemDimension(instrument, item)) === 'higher',
  }));
  const members = (dimensionId: string) =>
    instrument.id === 'psych-safety' ? items : items.filter((i) => i.item.component === dimensionId);
  const mean = (dimensionId: string): Linear => {
    const m = members(dimensionId);
    if (m.length === 0) throw new Error(`dimension ${dimensionId} has no items`);
    return { terms: m.map((i) => ({ item: i.col, coef: 1 })), denominator: m.length };
  };
  const count = (dimensionId: string): Linear => ({
    terms: members(dimensionId).map((i) => ({ item: i.col, coef: 1 })),
    denominator: 1,
  });

  const moments: StatsPlan['moments'] = [
    ...instrument.responseDimensions.map((d) => ({ dimension: d.id, linear: mean(d.id), item: null })),
    ...items.map((i) => ({
      dimension: `item:${i.id}`,
      linear: { terms: [{ item: i.col, coef: 1 }], denominator: 1 },
      item: i.col,
    })),
    {
      dimension: 'total',
      linear: { terms: items.map((i) => ({ item: i.col, coef: 1 })), denominator: 1 },
      item: null,
    },
  ];
  const favourable = instrument.responseDimensions.map((d) => ({
    dimension: `favourable:${d.id}`,
    linear: count(d.id),
    answers: members(d.id).length,
  }));
  let trust: StatsPlan['trust'] = null;
  if (instrument.id === 'trust-equation') {
    // X = C + R + I as one fraction over the lcm of the component sizes; Y = S.
    const parts = ['credibility', 'reliability', 'intimacy'].map(mean);
    const l = parts.reduce((acc, p) => (acc * p.denominator) / gcd(acc, p.denominator), 1);
    const x: Linear = {
      terms: parts.flatMap((p) => p.terms.map((t) => ({ item: t.item, coef: t.coef * (l / p.denominator) }))),
      denominator: l,
    };
    trust = { x, y: mean('self_orientation') };
  }
  return { items, moments, favourable, trust };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
