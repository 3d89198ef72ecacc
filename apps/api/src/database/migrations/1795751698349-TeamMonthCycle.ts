import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `team_month_cycle`: per team, instrument and month, the cycle the director views use and its
 * response count (see analytics/team-month.sql.ts), so that disclosure over the whole org reads
 * one narrow row per team. Filled here from every closed cycle, with the same choice closing makes
 * (the latest closed cycle of the month by `opens_at`, then id; n of its `total` row); its changes
 * move the analytics data version like those of `cycle_stats`.
 */
export class TeamMonthCycle1795751698349 implements MigrationInterface {
  name = 'TeamMonthCycle1795751698349';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "team_month_cycle" ("instrument" text NOT NULL, "month" date NOT NULL, "team_id" uuid NOT NULL,
        "cycle_id" uuid NOT NULL, "k" smallint NOT NULL, "invited" integer NOT NULL, "n" integer NOT NULL,
        CONSTRAINT "pk_team_month_cycle" PRIMARY KEY ("instrument", "month", "team_id"))`,
    );
    await queryRunner.query('CREATE INDEX "ix_team_month_cycle_cycle" ON "team_month_cycle" ("cycle_id")');
    await queryRunner.query(
      'ALTER TABLE "team_month_cycle" ADD CONSTRAINT "fk_team_month_cycle_team" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE',
    );
    await queryRunner.query(
      'ALTER TABLE "team_month_cycle" ADD CONSTRAINT "fk_team_month_cycle_cycle" FOREIGN KEY ("cycle_id") REFERENCES "cycle"("id") ON DELETE CASCADE',
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_team_month_cycle_analytics_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "team_month_cycle" FOR EACH STATEMENT EXECUTE FUNCTION "analytics_version_touch"()`,
    );
    await queryRunner.query(
      `INSERT INTO "team_month_cycle" ("instrument", "month", "team_id", "cycle_id", "k", "invited", "n")
       SELECT l.instrument, l.month, l.team_id, l.id, l.k, l.invited, coalesce(s.n, 0)
         FROM (
           SELECT DISTINCT ON (c.team_id, split_part(c.instrument_version, '@', 1), date_trunc('month', c.opens_at AT TIME ZONE 'UTC'))
                  split_part(c.instrument_version, '@', 1) AS instrument,
                  date_trunc('month', c.opens_at AT TIME ZONE 'UTC')::date AS month,
                  c.team_id, c.id, c.k, c.invited
             FROM "cycle" c
            WHERE c.status = 'closed'
            ORDER BY c.team_id, split_part(c.instrument_version, '@', 1), date_trunc('month', c.opens_at AT TIME ZONE 'UTC'),
                     c.opens_at DESC, c.id DESC
         ) l
         LEFT JOIN "cycle_stats" s ON s.cycle_id = l.id AND s.dimension = 'total'`,
    );
    await queryRunner.query('ANALYZE "team_month_cycle"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "tr_team_month_cycle_analytics_version" ON "team_month_cycle"');
    await queryRunner.query('DROP TABLE "team_month_cycle"');
  }
}
