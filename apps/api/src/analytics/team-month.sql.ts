/**
 * `team_month_cycle` holds, for every team, instrument and calendar month (UTC), the cycle that
 * the director views use for that month — the team's latest closed cycle of the instrument (any
 * version) opening in the month, latest `opens_at` then highest id — with its frozen k, invited
 * count and response count (n of its `total` statistics row). Disclosure for the group views is
 * decided over the whole org, so every group request reads one such row per team of the org; from
 * this table that is an index range read of narrow rows instead of a search through every closed
 * cycle of the month and a `cycle_stats` look-up per team.
 *
 * It is maintained by this one set-based statement, run by CycleService.closeMany after it marks
 * its cycles closed (and by the migrations that created it and added `stats`, over every closed
 * cycle): for every
 * (team, instrument, month) that the cycles in `$1` belong to, the row is recomputed from `cycle`
 * and `cycle_stats`, so it holds exactly what the search it replaces would find. Closing is the
 * only way a cycle becomes closed, and a closed cycle's team, instrument, opening time, k, invited
 * count and statistics never change afterwards; a deleted cycle takes its row with it (cascade).
 */
/**
 * The `stats` of the row of cycle `l.id`: its statistics rows other than items, dimension →
 * [n, Σ, Σ², Σ cross] (float8 values go through jsonb as their shortest exact text, so they read
 * back as the same doubles).
 */
const TEAM_MONTH_STATS_SQL = `coalesce((
    SELECT jsonb_object_agg(cs.dimension, jsonb_build_array(cs.n, cs.sum, cs.sum_sq, cs.sum_cross))
      FROM cycle_stats cs WHERE cs.cycle_id = l.id AND NOT starts_with(cs.dimension, 'item:')
  ), '{}'::jsonb)`;

export const TEAM_MONTH_UPSERT_SQL = `WITH keys AS (
  SELECT DISTINCT team_id, split_part(instrument_version, '@', 1) AS instrument,
         date_trunc('month', opens_at AT TIME ZONE 'UTC')::date AS month
    FROM cycle WHERE id = ANY($1::uuid[]) AND status = 'closed'
), latest AS (
  SELECT DISTINCT ON (k.team_id, k.instrument, k.month)
         k.team_id, t.group_id, k.instrument, k.month, c.id, c.opens_at, c.k, c.invited
    FROM keys k
    JOIN team t ON t.id = k.team_id
    JOIN cycle c ON c.team_id = k.team_id AND c.status = 'closed'
                AND split_part(c.instrument_version, '@', 1) = k.instrument
                AND c.opens_at >= k.month::timestamp AT TIME ZONE 'UTC'
                AND c.opens_at < (k.month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
   ORDER BY k.team_id, k.instrument, k.month, c.opens_at DESC, c.id DESC
)
INSERT INTO team_month_cycle (instrument, month, team_id, group_id, cycle_id, k, invited, n, stats)
SELECT l.instrument, l.month, l.team_id, l.group_id, l.id, l.k, l.invited, coalesce(s.n, 0), ${TEAM_MONTH_STATS_SQL}
  FROM latest l LEFT JOIN cycle_stats s ON s.cycle_id = l.id AND s.dimension = 'total'
ON CONFLICT ON CONSTRAINT pk_team_month_cycle DO UPDATE
   SET group_id = EXCLUDED.group_id, cycle_id = EXCLUDED.cycle_id, k = EXCLUDED.k,
       invited = EXCLUDED.invited, n = EXCLUDED.n, stats = EXCLUDED.stats`;
