import {
  FAVOURABLE_FROM,
  FAVOURABLE_UP_TO_WHEN_LOWER,
  getInstrument,
  SCALE_MAX,
  SCALE_MIN,
  type Instrument,
} from '@candor/instruments';
import type { InstrumentVersion } from '@candor/contracts';
import { statsPlan, type Linear } from './cycle-stats.plan';

/**
 * The `cycle_stats` rows of cycles computed by PostgreSQL from their stored responses, in one
 * set-based statement per instrument version (`INSERT … SELECT … GROUP BY cycle_id`), for the
 * migrations that add rows to closed cycles and the benchmark's data generator. The close itself
 * computes the same rows from the answers it holds (cycleStatsOf in cycle-stats.ts, from the same
 * plan, cycle-stats.plan.ts); close-stats.e2e-spec.ts checks the two against each other.
 *
 * The rows are the ones docs/statistics.md describes, for every cycle in `$1` (responses whose
 * instrument version is `$2`, the cycles' own version):
 * - each response dimension (psych_safety; credibility, reliability, intimacy, self_orientation):
 *   n, Σx, Σx² of the per-response mean of its items (reverse items scored 8 − answer);
 * - `item:<id>`: n, Σ, Σ² of the scored item, and in `counts` how many gave each raw answer
 *   (SCALE_MIN … SCALE_MAX, before reverse scoring: the answer distribution);
 * - `total`: n, Σ, Σ² of the sum of all scored items;
 * - trust equation only, `trust_index`: n, ΣX, ΣX², ΣXY with X = C + R + I and Y = S per response;
 * - `favourable:<dimension>` for each response dimension: n (responses), Σf, Σf² of f, the number
 *   of the dimension's items a response answered favourably (`isFavourableAnswer` in
 *   @candor/instruments: 5–7 after reverse-scoring, 1–3 where lower is better), and in `sum_cross`
 *   the number of item answers (n × the dimension's items). The favourable share is Σf / sum_cross;
 *   all four add up across cycles, so pooled and group cells merge them like the other rows.
 * A cycle without responses still gets every row, with n = 0, zero sums and zero counts.
 *
 * Exactness: every per-response value is an integer divided by a fixed denominator (a mean of m
 * items is (Σ items)/m), so each sum is computed as an exact integer sum and divided once
 * (`numeric`, then rounded to float8): no rounding accumulates with the number of responses.
 */
export function cycleStatsInsertSql(version: InstrumentVersion): string {
  const cached = SQL_CACHE.get(version);
  if (cached) return cached;
  const sql = build(getInstrument(version));
  SQL_CACHE.set(version, sql);
  return sql;
}

const SQL_CACHE = new Map<InstrumentVersion, string>();
/** An identifier, or a row label such as `item:ps1` or `favourable:psych_safety`. */
const SAFE = /^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?$/;

function safe(id: string): string {
  // Item and dimension ids come from the instrument definitions in code, never from a request;
  // this check keeps it so, since they are written into the statement.
  if (!SAFE.test(id)) throw new Error(`unexpected identifier in instrument definition: ${id}`);
  return id;
}

function build(instrument: Instrument): string {
  const plan = statsPlan(instrument);
  const items = plan.items.map((item) => ({ ...item, id: safe(item.id) }));
  const raw = (col: number) => `a${col}`;
  const scored = (col: number) => `s${col}`;
  const fav = (col: number) => `f${col}`;
  const expr = (l: Linear, column: (col: number) => string = scored) =>
    `(${l.terms.map((t) => (t.coef === 1 ? column(t.item) : `${t.coef} * ${column(t.item)}`)).join(' + ')})`;

  // Per-response integer numerators of every linear value, named v0, v1, …
  const values: { name: string; linear: Linear }[] = [];
  const value = (linear: Linear): string => {
    const name = `v${values.length}`;
    values.push({ name, linear });
    return name;
  };
  const rows: string[] = [];
  const aggregates: string[] = ['count(*)::int AS n'];
  // A product of two per-response numerators, as int4 when it cannot overflow one (every answer at
  // most SCALE_MAX): PostgreSQL sums int4 in an int8 accumulator, exact, and far faster than the
  // numeric accumulator a sum of int8 uses.
  const largest = (l: Linear) => l.terms.reduce((sum, t) => sum + Math.abs(t.coef) * SCALE_MAX, 0);
  const product = (a: string, la: Linear, b: string, lb: Linear) =>
    largest(la) * largest(lb) < 2 ** 31 ? `${a} * ${b}` : `${a}::bigint * ${b}`;
  const sumOf = (name: string, numerator: string, denominator: number) => {
    aggregates.push(`(sum(${numerator})::numeric / ${denominator})::float8 AS ${name}`);
  };
  // The answer distribution of an item: how many gave each raw answer SCALE_MIN … SCALE_MAX, counted
  // in the same pass as the sums (one filtered count per answer), zeros included.
  const scale = SCALE_MAX - SCALE_MIN + 1;
  const counts = (col: number) => `c${col}`;
  const countsOf = (col: number) =>
    `ARRAY[${Array.from({ length: scale }, (_, i) => `count(*) FILTER (WHERE ${raw(col)} = ${SCALE_MIN + i})`).join(', ')}]::int[] AS ${counts(col)}`;

  for (const m of plan.moments) {
    const v = value(m.linear);
    const d = m.linear.denominator;
    sumOf(`${v}_1`, v, d);
    sumOf(`${v}_2`, product(v, m.linear, v, m.linear), d * d);
    if (m.item !== null) aggregates.push(countsOf(m.item));
    rows.push(
      `('${safe(m.dimension)}', coalesce(agg.n, 0), coalesce(agg.${v}_1, 0), coalesce(agg.${v}_2, 0), NULL::float8, ${
        m.item === null ? 'NULL::int[]' : `coalesce(agg.${counts(m.item)}, array_fill(0, ARRAY[${scale}]))`
      })`,
    );
  }
  // Favourable answers per response and dimension: a count (denominator 1) over the indicators f<col>.
  const favourable: { name: string; linear: Linear }[] = [];
  for (const f of plan.favourable) {
    const name = `fv${favourable.length}`;
    favourable.push({ name, linear: f.linear });
    sumOf(`${name}_1`, name, 1);
    sumOf(`${name}_2`, product(name, f.linear, name, f.linear), 1);
    rows.push(
      `('${safe(f.dimension)}', coalesce(agg.n, 0), coalesce(agg.${name}_1, 0), coalesce(agg.${name}_2, 0), coalesce(agg.n, 0) * ${f.answers}::float8, NULL::int[])`,
    );
  }
  if (plan.trust) {
    const { x, y } = plan.trust;
    const l = x.denominator;
    const vx = value(x);
    const vy = value(y);
    sumOf(`${vx}_1`, vx, l);
    sumOf(`${vx}_2`, product(vx, x, vx, x), l * l);
    sumOf(`${vx}_${vy}`, product(vx, x, vy, y), l * y.denominator);
    rows.push(
      `('trust_index', coalesce(agg.n, 0), coalesce(agg.${vx}_1, 0), coalesce(agg.${vx}_2, 0), coalesce(agg.${vx}_${vy}, 0), NULL::int[])`,
    );
  }

  const rawColumns = items.map((i) => `(r.answers->>'${i.id}')::int AS ${raw(i.col)}`).join(', ');
  const scoredColumns = items
    .map((i) => `${i.reverse ? `${SCALE_MIN + SCALE_MAX} - ${raw(i.col)}` : raw(i.col)} AS ${scored(i.col)}`)
    .join(', ');
  // 1 when the item's scored answer is favourable for its dimension's good direction, else 0.
  const isFavourable = (i: (typeof items)[number]) =>
    i.higherIsBetter
      ? `${scored(i.col)} >= ${FAVOURABLE_FROM}`
      : `${scored(i.col)} <= ${FAVOURABLE_UP_TO_WHEN_LOWER}`;
  const indicatorColumns = items.map((i) => `(${isFavourable(i)})::int AS ${fav(i.col)}`).join(', ');
  const valueColumns = [
    ...values.map((v) => `${expr(v.linear)} AS ${v.name}`),
    ...favourable.map((v) => `${expr(v.linear, fav)} AS ${v.name}`),
  ].join(', ');
  return `WITH answered AS (
  SELECT r.cycle_id, ${rawColumns}
    FROM response r
   WHERE r.cycle_id = ANY($1::uuid[]) AND r.instrument_version = $2
), scored AS (
  SELECT answered.*, ${scoredColumns} FROM answered
), indicated AS (
  SELECT scored.*, ${indicatorColumns} FROM scored
), per_response AS (
  SELECT indicated.*, ${valueColumns} FROM indicated
), agg AS (
  SELECT cycle_id, ${aggregates.join(',\n         ')}
    FROM per_response GROUP BY cycle_id
)
INSERT INTO cycle_stats (cycle_id, dimension, n, sum, sum_sq, sum_cross, counts)
SELECT c.id, v.dimension, v.n, v.sum, v.sum_sq, v.sum_cross, v.counts
  FROM unnest($1::uuid[]) AS c(id)
  LEFT JOIN agg ON agg.cycle_id = c.id
 CROSS JOIN LATERAL (VALUES
   ${rows.join(',\n   ')}
 ) AS v(dimension, n, sum, sum_sq, sum_cross, counts)`;
}
