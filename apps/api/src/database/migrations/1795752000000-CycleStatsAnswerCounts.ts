import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The answers of the 7-point agreement scale, as every instrument had it when this was written. */
const ANSWERS = [1, 2, 3, 4, 5, 6, 7];

/**
 * The answer distribution of an item moves from one `cycle_stats` row per answer that occurred
 * (`dist:<item>:<answer>`, n = its count) into a `counts` array on the item's own row
 * (`item:<item>`, counts[answer], 1-based like the answers), so a closing cycle writes 9 (psychological
 * safety) or 18 (trust equation) rows instead of up to 58 or 102. The counts are copied from the
 * `dist:` rows, zeros where an answer did not occur, then those rows are removed.
 */
export class CycleStatsAnswerCounts1795752000000 implements MigrationInterface {
  name = 'CycleStatsAnswerCounts1795752000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Millions of rows on a large database: not subject to the pool's 30 s statement timeout (for
    // this migration's transaction only).
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('ALTER TABLE "cycle_stats" ADD "counts" integer array');
    const perAnswer = ANSWERS.map(
      (a) => `coalesce(sum(n) FILTER (WHERE split_part(dimension, ':', 3) = '${a}'), 0)::int`,
    ).join(', ');
    await queryRunner.query(
      `UPDATE "cycle_stats" s SET "counts" = d.counts
         FROM (SELECT cycle_id, 'item:' || split_part(dimension, ':', 2) AS dimension, ARRAY[${perAnswer}] AS counts
                 FROM "cycle_stats" WHERE starts_with(dimension, 'dist:')
                GROUP BY cycle_id, split_part(dimension, ':', 2)) d
        WHERE s.cycle_id = d.cycle_id AND s.dimension = d.dimension`,
    );
    await queryRunner.query(
      `UPDATE "cycle_stats" SET "counts" = array_fill(0, ARRAY[${ANSWERS.length}])
        WHERE starts_with(dimension, 'item:') AND "counts" IS NULL`,
    );
    await queryRunner.query(`DELETE FROM "cycle_stats" WHERE starts_with(dimension, 'dist:')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query(
      `INSERT INTO "cycle_stats" ("cycle_id", "dimension", "n", "sum", "sum_sq", "sum_cross")
       SELECT s.cycle_id, 'dist:' || substr(s.dimension, 6) || ':' || c.i, c.n,
              c.n * c.i::float8, c.n * (c.i * c.i)::float8, NULL
         FROM "cycle_stats" s CROSS JOIN LATERAL unnest(s.counts) WITH ORDINALITY AS c(n, i)
        WHERE starts_with(s.dimension, 'item:') AND c.n > 0`,
    );
    await queryRunner.query('ALTER TABLE "cycle_stats" DROP COLUMN "counts"');
  }
}
