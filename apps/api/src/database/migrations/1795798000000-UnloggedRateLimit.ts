import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `rate_limit` holds per-minute counters whose keys are keyed hashes of addresses, people and
 * survey tokens (docs/anonymity.md, "Rate-limit counters"). As a logged table every counter write
 * went to the WAL — and so into WAL archives, base backups and replicas, kept for as long as they
 * are — although a counter is worth nothing a minute later. Unlogged, the counters stay in the
 * primary's data files only, deleted within a minute after their window; PostgreSQL empties the
 * table after a crash and a promoted replica starts with it empty, which only resets the current
 * minute's limits. (`pg_dump` still includes the rows unless given `--no-unlogged-table-data`.)
 */
export class UnloggedRateLimit1795798000000 implements MigrationInterface {
  name = 'UnloggedRateLimit1795798000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "rate_limit" SET UNLOGGED');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "rate_limit" SET LOGGED');
  }
}
