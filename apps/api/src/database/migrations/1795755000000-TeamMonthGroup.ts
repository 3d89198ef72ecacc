import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `team_month_cycle.group_id`: the group the team is in, so that the org-wide counts of a month
 * (AnalyticsRepository.orgMonthCounts) are summed per group from the index alone instead of
 * joining every team of the org. A trigger on `team` keeps it: when a team moves to another
 * group, all its rows follow in the same statement, whatever code moved it.
 */
export class TeamMonthGroup1795755000000 implements MigrationInterface {
  name = 'TeamMonthGroup1795755000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('ALTER TABLE "team_month_cycle" ADD "group_id" uuid');
    await queryRunner.query(
      'UPDATE "team_month_cycle" m SET "group_id" = t.group_id FROM "team" t WHERE t.id = m.team_id',
    );
    await queryRunner.query('ALTER TABLE "team_month_cycle" ALTER COLUMN "group_id" SET NOT NULL');
    await queryRunner.query('DROP INDEX "ix_team_month_cycle_counts"');
    await queryRunner.query(
      'CREATE INDEX "ix_team_month_cycle_counts" ON "team_month_cycle" ("instrument", "month", "group_id") INCLUDE ("team_id", "n", "k")',
    );
    await queryRunner.query(`CREATE FUNCTION "team_month_cycle_follow_team"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "team_month_cycle" SET "group_id" = NEW."group_id" WHERE "team_id" = NEW."id";
  RETURN NULL;
END
$$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_team_month_cycle_follow_team" AFTER UPDATE OF "group_id" ON "team"
       FOR EACH ROW WHEN (OLD."group_id" IS DISTINCT FROM NEW."group_id") EXECUTE FUNCTION "team_month_cycle_follow_team"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "tr_team_month_cycle_follow_team" ON "team"');
    await queryRunner.query('DROP FUNCTION "team_month_cycle_follow_team"()');
    await queryRunner.query('DROP INDEX "ix_team_month_cycle_counts"');
    await queryRunner.query(
      'CREATE INDEX "ix_team_month_cycle_counts" ON "team_month_cycle" ("instrument", "month") INCLUDE ("team_id", "n", "k")',
    );
    await queryRunner.query('ALTER TABLE "team_month_cycle" DROP COLUMN "group_id"');
  }
}
