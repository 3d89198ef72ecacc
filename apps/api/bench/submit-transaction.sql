-- pgbench script for `npm run bench:submit`: the SQL of one anonymous submission
-- (ResponseService.submit), the same statement with the same parameters the app sends. The app
-- serves the cycle's public key, instrument and window from memory for open cycles, so a
-- submission is this one statement (one implicit transaction): lock the cycle row FOR SHARE and
-- read its status and window, spend the token if the cycle is open, storing the sealed answers
-- with it (issue 12: 40 bytes for psych-safety@1 — version, IV, tag, length and 7 padded answers).
-- The token hash, digest, receipt id and blob are fresh per transaction.
WITH c AS (
  SELECT id, status, opens_at, closes_at FROM cycle WHERE id = :cycle FOR SHARE
), spent AS (
  INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id, sealed_answers)
  SELECT id, sha256(gen_random_uuid()::text::bytea), sha256(gen_random_uuid()::text::bytea), gen_random_uuid(),
         sha256(gen_random_uuid()::text::bytea) || substring(sha256(gen_random_uuid()::text::bytea) FROM 1 FOR 8) FROM c
   WHERE status = 'open' AND opens_at <= now() AND closes_at > now()
  ON CONFLICT DO NOTHING
  RETURNING cycle_id
)
SELECT status, opens_at, closes_at, EXISTS (SELECT 1 FROM spent) AS stored FROM c;
