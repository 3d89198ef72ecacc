import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Two indexes the close's month bookkeeping (team-month.sql.ts) reads by, measured at 520,000
 * cycles (docs/benchmarks.md):
 * - `cycle (team_id, closes_at)` replaces `cycle (team_id)`: a team's latest closed cycle of a
 *   month is a range of this index. With the team index alone PostgreSQL ANDed it with the
 *   `(status, closes_at)` index, reading every cycle of the month org-wide once per team: 1.7 ms a
 *   team, 3.4 s for a batch of 2,000.
 * - `team_month_group (team_id, month, instrument, root_id)` replaces `(team_id)`: the rows of a
 *   team's month are deleted and rewritten at each close, and the primary key (instrument,
 *   group_id, …) cannot find them without the group: 11 ms a team, 22 s for a batch of 2,000.
 * Both new indexes start with the column the old ones held, so every other read keeps its index.
 */
export class CloseLookupIndexes1795794000000 implements MigrationInterface {
  name = 'CloseLookupIndexes1795794000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('DROP INDEX "public"."ix_cycle_team"');
    await queryRunner.query('CREATE INDEX "ix_cycle_team_closes" ON "cycle" ("team_id", "closes_at")');
    await queryRunner.query('DROP INDEX "public"."ix_team_month_group_team"');
    await queryRunner.query(
      'CREATE INDEX "ix_team_month_group_team" ON "team_month_group" ("team_id", "month", "instrument", "root_id")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_team_month_group_team"');
    await queryRunner.query('CREATE INDEX "ix_team_month_group_team" ON "team_month_group" ("team_id")');
    await queryRunner.query('DROP INDEX "public"."ix_cycle_team_closes"');
    await queryRunner.query('CREATE INDEX "ix_cycle_team" ON "cycle" ("team_id")');
  }
}
