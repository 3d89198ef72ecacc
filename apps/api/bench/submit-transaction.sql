-- pgbench script for `npm run bench:submit`: the SQL of one anonymous submission
-- (ResponseService.submit), with the same statements and parameters the app sends:
-- read the cycle, then in one transaction spend the token, re-check that the cycle is still
-- open, and store the answers. The token hash, digest and receipt id are fresh per transaction.
SELECT id, team_id, status, opens_at, closes_at, instrument_version, public_key_spki, private_key_pkcs8
  FROM cycle WHERE id = :cycle;
BEGIN;
INSERT INTO spent_token (cycle_id, token_hash, submission_digest, receipt_id)
  VALUES (:cycle, sha256(gen_random_uuid()::text::bytea), sha256(gen_random_uuid()::text::bytea), gen_random_uuid())
  ON CONFLICT DO NOTHING RETURNING 1;
SELECT 1 FROM cycle WHERE id = :cycle AND status = 'open' FOR SHARE;
INSERT INTO response (cycle_id, instrument_version, answers)
  VALUES (:cycle, 'psych-safety@1', '{"ps1":4,"ps2":5,"ps3":3,"ps4":6,"ps5":2,"ps6":7,"ps7":1}');
COMMIT;
