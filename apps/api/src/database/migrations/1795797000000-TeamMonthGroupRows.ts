import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A group comparison reads one month's rows for hundreds of teams. It found them through
 * `team_month_group` (which teams count in the group) and then looked each one up in
 * `team_month_cycle`: 500 index descents, ≈ 3 ms of the ≈ 5 ms statement at 10 M responses
 * (docs/benchmarks.md). Each `team_month_group` row now carries a copy of its month row's columns,
 * and its primary key index holds them (INCLUDE), so a group's month is one range of one index.
 *
 * The copy is written with the row by the close (team-month.sql.ts, which replaces a team's
 * `team_month_group` rows whenever it writes the month row) and goes with it: the new foreign key
 * deletes the copies when the month row is deleted (its cycle deleted). Rows without a month row —
 * left behind by such deletes before this key existed, and read by nothing — are removed.
 * TypeORM cannot express INCLUDE; the entity declares the key's columns only.
 */
export class TeamMonthGroupRows1795797000000 implements MigrationInterface {
  name = 'TeamMonthGroupRows1795797000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query(
      `ALTER TABLE "team_month_group" ADD "cycle_id" uuid, ADD "k" smallint, ADD "invited" integer,
         ADD "n" integer, ADD "group_path" uuid[], ADD "stats" jsonb`,
    );
    await queryRunner.query(
      `UPDATE "team_month_group" g
          SET "cycle_id" = m."cycle_id", "k" = m."k", "invited" = m."invited", "n" = m."n",
              "group_path" = m."group_path", "stats" = m."stats"
         FROM "team_month_cycle" m
        WHERE m."instrument" = g."instrument" AND m."root_id" = g."root_id" AND m."month" = g."month"
          AND m."team_id" = g."team_id"`,
    );
    await queryRunner.query('DELETE FROM "team_month_group" WHERE "cycle_id" IS NULL');
    await queryRunner.query(
      `ALTER TABLE "team_month_group" ALTER "cycle_id" SET NOT NULL, ALTER "k" SET NOT NULL,
         ALTER "invited" SET NOT NULL, ALTER "n" SET NOT NULL, ALTER "group_path" SET NOT NULL,
         ALTER "stats" SET NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "team_month_group" ADD CONSTRAINT "fk_team_month_group_month"
         FOREIGN KEY ("instrument", "root_id", "month", "team_id")
         REFERENCES "team_month_cycle" ("instrument", "root_id", "month", "team_id") ON DELETE CASCADE`,
    );
    await queryRunner.query('ALTER TABLE "team_month_group" DROP CONSTRAINT "pk_team_month_group"');
    await queryRunner.query(
      `ALTER TABLE "team_month_group" ADD CONSTRAINT "pk_team_month_group"
         PRIMARY KEY ("instrument", "group_id", "month", "root_id", "team_id")
         INCLUDE ("cycle_id", "k", "invited", "n", "group_path", "stats")`,
    );
    await queryRunner.query('ANALYZE "team_month_group"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "team_month_group" DROP CONSTRAINT "pk_team_month_group"');
    await queryRunner.query(
      `ALTER TABLE "team_month_group" ADD CONSTRAINT "pk_team_month_group"
         PRIMARY KEY ("instrument", "group_id", "month", "root_id", "team_id")`,
    );
    await queryRunner.query('ALTER TABLE "team_month_group" DROP CONSTRAINT "fk_team_month_group_month"');
    await queryRunner.query(
      `ALTER TABLE "team_month_group" DROP "cycle_id", DROP "k", DROP "invited", DROP "n",
         DROP "group_path", DROP "stats"`,
    );
  }
}
