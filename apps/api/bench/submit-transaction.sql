-- pgbench script for `npm run bench:submit`: the SQL of one anonymous submission
-- (ResponseService.submit), the same statement with the same parameters the app sends. The app
-- serves the cycle's public key, instrument and window from memory for open cycles, so a
-- submission is this one statement (one implicit transaction): lock the cycle row FOR SHARE and
-- read its status and window, spend the token if the cycle is open, store the answers if the
-- token was new. The token hash, digest and receipt id are fresh per transaction.
WITH c AS (
  SELECT id, status, opens_at, closes_at FROM cycle WHERE id = :cycle FOR SHARE
), spent AS (
  INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id)
  SELECT id, sha256(gen_random_uuid()::text::bytea), sha256(gen_random_uuid()::text::bytea), gen_random_uuid() FROM c
   WHERE status = 'open' AND opens_at <= now() AND closes_at > now()
  ON CONFLICT DO NOTHING
  RETURNING cycle_id
), stored AS (
  INSERT INTO response (cycle_id, instrument_version, answers)
  SELECT cycle_id, 'psych-safety@1', '{"ps1":4,"ps2":5,"ps3":3,"ps4":6,"ps5":2,"ps6":7,"ps7":1}'::jsonb FROM spent
  RETURNING 1
)
SELECT status, opens_at, closes_at, EXISTS (SELECT 1 FROM stored) AS stored FROM c;
