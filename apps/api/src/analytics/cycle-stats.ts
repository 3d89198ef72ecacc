import type { InstrumentVersion } from '@candor/contracts';
import {
  FAVOURABLE_FROM,
  FAVOURABLE_UP_TO_WHEN_LOWER,
  getInstrument,
  itemScore,
  SCALE_MAX,
  SCALE_MIN,
} from '@candor/instruments';
import { statsPlan, type Linear, type StatsPlan } from './cycle-stats.plan';

/** One `cycle_stats` row of a cycle (docs/statistics.md). */
export interface CycleStatsRow {
  dimension: string;
  n: number;
  sum: number;
  sumSq: number;
  sumCross: number | null;
  /** An item row's answer counts, SCALE_MIN first; null on other rows. */
  counts: number[] | null;
}

/**
 * A closing cycle's `cycle_stats` rows from its responses' answers (those of the cycle's own
 * instrument version), computed in the application from the answers the close has just opened,
 * instead of reading them back from `response`.
 *
 * The same rows as cycleStatsInsertSql (close-stats.e2e-spec.ts checks both against the
 * reference and each other): every sum is an exact integer sum of per-response numerators (far
 * below 2^53), divided once by its fixed denominator. A missing answer leaves out the values it
 * is part of, as SQL's NULL does; the response still counts in n.
 */
export function cycleStatsOf(
  version: InstrumentVersion,
  responses: readonly Readonly<Record<string, number>>[],
): CycleStatsRow[] {
  const plan = planOf(version);
  const { items, moments, favourable, trust } = plan;
  const scale = SCALE_MAX - SCALE_MIN + 1;
  const s1 = new Array<number>(moments.length).fill(0);
  const s2 = new Array<number>(moments.length).fill(0);
  const f1 = new Array<number>(favourable.length).fill(0);
  const f2 = new Array<number>(favourable.length).fill(0);
  const counts = items.map(() => new Array<number>(scale).fill(0));
  let sx = 0;
  let sxx = 0;
  let sxy = 0;
  // Per response, by item column (1-based, as the plan numbers them): scored answer and indicator.
  const scored = new Array<number | null>(items.length + 1).fill(null);
  const indicator = new Array<number | null>(items.length + 1).fill(null);
  for (const answers of responses) {
    for (const item of items) {
      const raw = answerOf(answers, item.id);
      if (raw === null) {
        scored[item.col] = null;
        indicator[item.col] = null;
        continue;
      }
      const s = itemScore(item.item, raw);
      scored[item.col] = s;
      indicator[item.col] = (item.higherIsBetter ? s >= FAVOURABLE_FROM : s <= FAVOURABLE_UP_TO_WHEN_LOWER)
        ? 1
        : 0;
      if (raw >= SCALE_MIN && raw <= SCALE_MAX) counts[item.col - 1]![raw - SCALE_MIN]! += 1;
    }
    moments.forEach((m, j) => {
      const v = numerator(m.linear, scored);
      if (v === null) return;
      s1[j]! += v;
      s2[j]! += v * v;
    });
    favourable.forEach((f, j) => {
      const v = numerator(f.linear, indicator);
      if (v === null) return;
      f1[j]! += v;
      f2[j]! += v * v;
    });
    if (trust) {
      const x = numerator(trust.x, scored);
      const y = numerator(trust.y, scored);
      if (x !== null) {
        sx += x;
        sxx += x * x;
        if (y !== null) sxy += x * y;
      }
    }
  }
  const n = responses.length;
  const rows: CycleStatsRow[] = moments.map((m, j) => {
    const d = m.linear.denominator;
    return {
      dimension: m.dimension,
      n,
      sum: s1[j]! / d,
      sumSq: s2[j]! / (d * d),
      sumCross: null,
      counts: m.item === null ? null : counts[m.item - 1]!,
    };
  });
  favourable.forEach((f, j) =>
    rows.push({
      dimension: f.dimension,
      n,
      sum: f1[j]!,
      sumSq: f2[j]!,
      sumCross: n * f.answers,
      counts: null,
    }),
  );
  if (trust) {
    const l = trust.x.denominator;
    rows.push({
      dimension: 'trust_index',
      n,
      sum: sx / l,
      sumSq: sxx / (l * l),
      sumCross: sxy / (l * trust.y.denominator),
      counts: null,
    });
  }
  return rows;
}

/**
 * An answer as SQL's `(answers->>'id')::int` reads it: missing (or null) is null, a whole number
 * (or a string of one, in rows stored before sealing) is that number, anything else refuses the
 * close, as the cast would.
 */
function answerOf(answers: Readonly<Record<string, unknown>>, id: string): number | null {
  const raw = answers[id];
  if (raw === undefined || raw === null) return null;
  const value = typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new RangeError(`answer ${id} is not a whole number: ${JSON.stringify(raw)}`);
  return value;
}

/** Σ coef·value over the terms, or null when a value is missing. */
function numerator(linear: Linear, values: readonly (number | null)[]): number | null {
  let v = 0;
  for (const t of linear.terms) {
    const x = values[t.item];
    if (x === null || x === undefined) return null;
    v += t.coef * x;
  }
  return v;
}

const PLANS = new Map<InstrumentVersion, StatsPlan>();

function planOf(version: InstrumentVersion): StatsPlan {
  let plan = PLANS.get(version);
  if (!plan) {
    plan = statsPlan(getInstrument(version));
    PLANS.set(version, plan);
  }
  return plan;
}
