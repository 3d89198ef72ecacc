import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INSTRUMENTS } from '@candor/instruments';
import { cycleStatsInsertSql } from '../../analytics/cycle-stats.sql';

/**
 * The favourable share becomes a cycle statistic written at close (`favourable:<dimension>` rows
 * of `cycle_stats`, see cycle-stats.sql.ts). Closed cycles get theirs from their response rows,
 * with the close path's own statement limited to those rows (ON CONFLICT DO NOTHING keeps the
 * migration safe to re-run); then the rows are copied into the frozen `team_month_cycle.stats` the
 * group views read, beside the statistics already there (no existing number changes).
 */
export class CycleStatsFavourable1795792000000 implements MigrationInterface {
  name = 'CycleStatsFavourable1795792000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Every response of every closed cycle is read once: no pool statement timeout for this
    // migration's transaction.
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    for (const instrument of INSTRUMENTS) {
      const rows: { ids: string[] | null }[] = await queryRunner.query(
        `SELECT array_agg(id) AS ids FROM "cycle" WHERE "status" = 'closed' AND "instrument_version" = $1`,
        [instrument.key],
      );
      const ids = rows[0]?.ids ?? [];
      if (ids.length === 0) continue;
      await queryRunner.query(
        `${cycleStatsInsertSql(instrument.key)}
 WHERE starts_with(v.dimension, 'favourable:')
ON CONFLICT ON CONSTRAINT pk_cycle_stats DO NOTHING`,
        [ids, instrument.key],
      );
    }
    await queryRunner.query(
      `UPDATE "team_month_cycle" m SET "stats" = m."stats" || f.stats
         FROM (SELECT cs.cycle_id, jsonb_object_agg(cs.dimension, jsonb_build_array(cs.n, cs.sum, cs.sum_sq, cs.sum_cross)) AS stats
                 FROM "cycle_stats" cs WHERE starts_with(cs.dimension, 'favourable:') GROUP BY cs.cycle_id) f
        WHERE f.cycle_id = m."cycle_id"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query(
      `UPDATE "team_month_cycle" SET "stats" = "stats" - ARRAY(
         SELECT k FROM jsonb_object_keys("stats") AS k WHERE starts_with(k, 'favourable:'))`,
    );
    await queryRunner.query(`DELETE FROM "cycle_stats" WHERE starts_with("dimension", 'favourable:')`);
  }
}
