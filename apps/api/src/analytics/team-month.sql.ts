import { type EntityManager } from 'typeorm';

/**
 * What closing writes for the director views, so that their history never changes (docs/adr/0007):
 *
 * 1. `cycle.group_path` — the team's groups at this moment, top first. The cycle counts in these
 *    groups for ever; moving the team or a group later changes only cycles that close afterwards.
 * 2. `disclosure_period` — the (instrument, org tree, calendar month of closing, UTC) of each
 *    cycle, unsealed. The org tree is the top group of the cycle's path (`root_id`).
 * 3. `team_month_cycle` — for every (team, instrument, org tree, month) the closing cycles fall in,
 *    the cycle the group views use: the team's latest cycle closing in the month in that tree (by
 *    `closes_at`, then id),
 *    with its frozen k, invited count, response count, non-item statistics and group path —
 *    unless the month is already sealed: a sealed month's rows never change (a cycle that closes
 *    into a sealed month counts on its team's own trend only).
 * 4. `team_month_group` — one row per group on that path, replacing the team's rows of the month,
 *    each with a copy of the month row (a group's month is read from its index range alone).
 *
 * A month is sealed (DisclosureService.sealMonths) once it is over and every cycle closing in it has
 * closed; a new cycle is always created closing in the future, so from then on no cycle can join it.
 * All four statements are set-based over the ids in `$1`; closeMany runs them in its transaction
 * after it has marked the cycles closed.
 */
export async function recordClosedCycles(tx: EntityManager, cycleIds: string[]): Promise<void> {
  await tx.query(GROUP_PATH_SQL, [cycleIds]);
  await tx.query(PERIODS_SQL, [cycleIds]);
  await tx.query(TEAM_MONTH_UPSERT_SQL, [cycleIds]);
  await tx.query(TEAM_MONTH_GROUP_DELETE_SQL, [cycleIds]);
  await tx.query(TEAM_MONTH_GROUP_INSERT_SQL, [cycleIds]);
}

/**
 * Each closing cycle's path, walked up from its team's group one cycle at a time (a few index
 * look-ups each). Joining a set of paths to the set of cycles instead let the planner, which
 * expects almost no cycle without a path, pick a nested loop: 2,000 × 1,651 comparisons, ≈ 0.6 s
 * per batch of 2,000 at 10 M responses (docs/benchmarks.md).
 */
const GROUP_PATH_SQL = `UPDATE cycle c SET group_path = (
  WITH RECURSIVE up(group_id, depth) AS (
    SELECT t.group_id, 0 FROM team t WHERE t.id = c.team_id
    UNION ALL
    SELECT g.parent_id, up.depth + 1 FROM up JOIN org_group g ON g.id = up.group_id WHERE g.parent_id IS NOT NULL
  )
  SELECT array_agg(group_id ORDER BY depth DESC) FROM up
)
 WHERE c.id = ANY($1::uuid[]) AND c.group_path IS NULL`;

/** The (team, instrument, org tree, month) keys of closed cycles in $1 whose month is not sealed. */
const KEYS = `keys AS (
  SELECT DISTINCT c.team_id, split_part(c.instrument_version, '@', 1) AS instrument, c.group_path[1] AS root_id,
         date_trunc('month', c.closes_at AT TIME ZONE 'UTC')::date AS month
    FROM cycle c
   WHERE c.id = ANY($1::uuid[]) AND c.status = 'closed'
     AND NOT EXISTS (
       SELECT 1 FROM disclosure_period p
        WHERE p.instrument = split_part(c.instrument_version, '@', 1) AND p.root_id = c.group_path[1]
          AND p.month = date_trunc('month', c.closes_at AT TIME ZONE 'UTC')::date
          AND p.sealed_at IS NOT NULL)
)`;

/**
 * Registers the months, and locks their rows until commit (the no-op update), so that sealing a
 * month waits for a close that is writing into it, and a close that comes after sealing sees the
 * month sealed.
 */
const PERIODS_SQL = `INSERT INTO disclosure_period (instrument, root_id, month)
SELECT DISTINCT split_part(instrument_version, '@', 1), group_path[1], date_trunc('month', closes_at AT TIME ZONE 'UTC')::date
  FROM cycle WHERE id = ANY($1::uuid[]) AND status = 'closed'
ON CONFLICT ON CONSTRAINT pk_disclosure_period DO UPDATE SET sealed_at = disclosure_period.sealed_at`;

/**
 * The `stats` of the row of cycle `l.id`: its statistics rows other than items, dimension →
 * [n, Σ, Σ², Σ cross] (float8 values go through jsonb as their shortest exact text, so they read
 * back as the same doubles).
 */
const TEAM_MONTH_STATS_SQL = `coalesce((
    SELECT jsonb_object_agg(cs.dimension, jsonb_build_array(cs.n, cs.sum, cs.sum_sq, cs.sum_cross))
      FROM cycle_stats cs WHERE cs.cycle_id = l.id AND NOT starts_with(cs.dimension, 'item:')
  ), '{}'::jsonb)`;

/**
 * Each key's latest closed cycle, one look-up per key from the end of its month backwards in the
 * (team_id, closes_at) index (as a join, PostgreSQL hashed every cycle of the org once per batch).
 */
const TEAM_MONTH_UPSERT_SQL = `WITH ${KEYS}, latest AS (
  SELECT k.team_id, k.instrument, k.root_id, k.month, c.id, c.k, c.invited, c.group_path
    FROM keys k
   CROSS JOIN LATERAL (
     SELECT c.id, c.k, c.invited, c.group_path FROM cycle c
      WHERE c.team_id = k.team_id AND c.status = 'closed'
        AND split_part(c.instrument_version, '@', 1) = k.instrument AND c.group_path[1] = k.root_id
        AND c.closes_at >= k.month::timestamp AT TIME ZONE 'UTC'
        AND c.closes_at < (k.month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
      ORDER BY c.closes_at DESC, c.id DESC
      LIMIT 1
   ) c
)
INSERT INTO team_month_cycle (instrument, root_id, month, team_id, cycle_id, k, invited, n, stats, group_path)
SELECT l.instrument, l.root_id, l.month, l.team_id, l.id, l.k, l.invited, coalesce(s.n, 0), ${TEAM_MONTH_STATS_SQL}, l.group_path
  FROM latest l LEFT JOIN cycle_stats s ON s.cycle_id = l.id AND s.dimension = 'total'
ON CONFLICT ON CONSTRAINT pk_team_month_cycle DO UPDATE
   SET cycle_id = EXCLUDED.cycle_id, k = EXCLUDED.k, invited = EXCLUDED.invited, n = EXCLUDED.n,
       stats = EXCLUDED.stats, group_path = EXCLUDED.group_path
 WHERE team_month_cycle.cycle_id IS DISTINCT FROM EXCLUDED.cycle_id`;

const TEAM_MONTH_GROUP_DELETE_SQL = `WITH ${KEYS}
DELETE FROM team_month_group g USING keys k
 WHERE g.instrument = k.instrument AND g.month = k.month AND g.root_id = k.root_id AND g.team_id = k.team_id`;

const TEAM_MONTH_GROUP_INSERT_SQL = `WITH ${KEYS}
INSERT INTO team_month_group (instrument, group_id, month, root_id, team_id, depth,
                              cycle_id, k, invited, n, group_path, stats)
SELECT m.instrument, p.group_id, m.month, m.root_id, m.team_id, (p.depth - 1)::smallint,
       m.cycle_id, m.k, m.invited, m.n, m.group_path, m.stats
  FROM keys k
  JOIN team_month_cycle m ON m.instrument = k.instrument AND m.root_id = k.root_id AND m.month = k.month
                         AND m.team_id = k.team_id
 CROSS JOIN LATERAL unnest(m.group_path) WITH ORDINALITY AS p(group_id, depth)`;
