import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `team_month_cycle.stats`: a copy of the cycle's statistics rows other than items (dimension →
 * [n, Σ, Σ², Σ cross]), so that a group comparison reads one row per team instead of one row per
 * team plus its `cycle_stats` rows. Filled here for every existing row; closing keeps it
 * (TEAM_MONTH_UPSERT_SQL).
 */
export class TeamMonthStats1795753000000 implements MigrationInterface {
  name = 'TeamMonthStats1795753000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('ALTER TABLE "team_month_cycle" ADD "stats" jsonb');
    await queryRunner.query(
      `UPDATE "team_month_cycle" m SET "stats" = coalesce((
         SELECT jsonb_object_agg(cs.dimension, jsonb_build_array(cs.n, cs.sum, cs.sum_sq, cs.sum_cross))
           FROM "cycle_stats" cs WHERE cs.cycle_id = m.cycle_id AND NOT starts_with(cs.dimension, 'item:')
       ), '{}'::jsonb)`,
    );
    await queryRunner.query('ALTER TABLE "team_month_cycle" ALTER COLUMN "stats" SET NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "team_month_cycle" DROP COLUMN "stats"');
  }
}
