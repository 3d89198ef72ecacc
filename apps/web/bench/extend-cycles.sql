-- Gives the demo team Checkout 104 closed weekly psych-safety cycles: its seeded closed cycles
-- (26) are copied three times, each copy 26 weeks (182 days) earlier than the last, with their
-- cycle_stats rows. Run once on a freshly seeded demo database. Returns the team id and the count.
WITH team AS (
  SELECT id FROM team WHERE name = 'Checkout'
),
source AS (
  SELECT c.* FROM cycle c JOIN team t ON t.id = c.team_id
  WHERE c.status = 'closed' AND c.instrument_version LIKE 'psych-safety@%'
),
copies AS (
  SELECT s.id AS source_id, gen_random_uuid() AS new_id, shift
  FROM source s CROSS JOIN generate_series(1, 3) AS shift
),
new_cycles AS (
  INSERT INTO cycle (id, team_id, schedule_id, instrument_version, trust_subject, opens_at, closes_at, status, k, k_comments, invited, public_key_spki)
  SELECT c.new_id, s.team_id, s.schedule_id, s.instrument_version, s.trust_subject,
         s.opens_at - make_interval(days => 182 * c.shift), s.closes_at - make_interval(days => 182 * c.shift),
         'closed', s.k, s.k_comments, s.invited, s.public_key_spki
  FROM copies c JOIN source s ON s.id = c.source_id
  RETURNING id
),
new_stats AS (
  INSERT INTO cycle_stats (cycle_id, dimension, n, sum, sum_sq, sum_cross)
  SELECT c.new_id, st.dimension, st.n, st.sum, st.sum_sq, st.sum_cross
  FROM copies c JOIN cycle_stats st ON st.cycle_id = c.source_id
  RETURNING cycle_id
)
SELECT (SELECT id FROM team) AS team_id,
       (SELECT count(*) FROM source) + (SELECT count(*) FROM new_cycles) AS cycles,
       (SELECT count(*) FROM new_stats) AS stats_rows;
