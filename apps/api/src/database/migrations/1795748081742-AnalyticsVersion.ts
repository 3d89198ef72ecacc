import { type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLES = ['cycle', 'cycle_stats', 'team', 'org_group', 'action'];

/**
 * The analytics data version (issue 5): a one-row counter incremented once by every transaction
 * that changes a table the analytics views read, so that cached results keyed on it can never be
 * stale, whatever instance wrote.
 *
 * A statement trigger on each of those tables records the transaction once in
 * `analytics_version_pending` (a transaction-local setting skips the later statements); a deferred
 * constraint trigger on that row increments the counter and removes the row at COMMIT. So the
 * increment is part of the writing transaction (a reader sees the new version exactly when it sees
 * the change), and the counter row is locked only for the instant of the commit.
 */
export class AnalyticsVersion1795748081742 implements MigrationInterface {
  name = 'AnalyticsVersion1795748081742';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "analytics_version" ("id" smallint NOT NULL, "version" bigint NOT NULL, CONSTRAINT "pk_analytics_version" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('INSERT INTO "analytics_version" ("id", "version") VALUES (1, 1)');
    await queryRunner.query(
      'CREATE TABLE "analytics_version_pending" ("txid" bigint NOT NULL, CONSTRAINT "pk_analytics_version_pending" PRIMARY KEY ("txid"))',
    );
    await queryRunner.query(`CREATE FUNCTION "analytics_version_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('candor.analytics_touched', true), '') <> 'on' THEN
    INSERT INTO "analytics_version_pending" ("txid") VALUES (txid_current()) ON CONFLICT DO NOTHING;
    PERFORM set_config('candor.analytics_touched', 'on', true);
  END IF;
  RETURN NULL;
END
$$`);
    await queryRunner.query(`CREATE FUNCTION "analytics_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "analytics_version" SET "version" = "version" + 1 WHERE "id" = 1;
  DELETE FROM "analytics_version_pending" WHERE "txid" = NEW."txid";
  RETURN NULL;
END
$$`);
    await queryRunner.query(
      'CREATE CONSTRAINT TRIGGER "tr_analytics_version_bump" AFTER INSERT ON "analytics_version_pending" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "analytics_version_bump"()',
    );
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER "tr_${table}_analytics_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "analytics_version_touch"()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      await queryRunner.query(`DROP TRIGGER "tr_${table}_analytics_version" ON "${table}"`);
    }
    await queryRunner.query('DROP TRIGGER "tr_analytics_version_bump" ON "analytics_version_pending"');
    await queryRunner.query('DROP FUNCTION "analytics_version_bump"()');
    await queryRunner.query('DROP FUNCTION "analytics_version_touch"()');
    await queryRunner.query('DROP TABLE "analytics_version_pending"');
    await queryRunner.query('DROP TABLE "analytics_version"');
  }
}
