import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Two indexes on `team_month_cycle`:
 * - `ix_team_month_cycle_team` (team_id), for the foreign key: deleting a team deletes its rows,
 *   which without it is a scan of the whole table per team;
 * - `ix_team_month_cycle_counts` (instrument, month) INCLUDE (team_id, n, k): the org-wide counts
 *   of a month (AnalyticsRepository.orgMonthCounts) read from the index alone, without visiting
 *   the rows, which are wide since they carry the cycle's statistics.
 */
export class TeamMonthIndexes1795754000000 implements MigrationInterface {
  name = 'TeamMonthIndexes1795754000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('CREATE INDEX "ix_team_month_cycle_team" ON "team_month_cycle" ("team_id")');
    await queryRunner.query(
      'CREATE INDEX "ix_team_month_cycle_counts" ON "team_month_cycle" ("instrument", "month") INCLUDE ("team_id", "n", "k")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_team_month_cycle_counts"');
    await queryRunner.query('DROP INDEX "ix_team_month_cycle_team"');
  }
}
