import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Actions no longer move the analytics data version (issue 5): they only change their own team's
 * trend, which now keys its cached result on a signature of that team's actions read with every
 * request. So a lead logging an action no longer invalidates every cached view of the organisation.
 */
export class AnalyticsVersionWithoutActions1795751296893 implements MigrationInterface {
  name = 'AnalyticsVersionWithoutActions1795751296893';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "tr_action_analytics_version" ON "action"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TRIGGER "tr_action_analytics_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "action" FOR EACH STATEMENT EXECUTE FUNCTION "analytics_version_touch"()',
    );
  }
}
