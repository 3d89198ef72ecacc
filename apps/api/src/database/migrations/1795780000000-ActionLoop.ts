import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Actions that close the loop (issue 13): the play an action came from, its owner, due date and
 * status (planned / doing / done / dropped), and when it last changed. Existing actions were
 * recorded as decisions already under way: status `doing`, last changed when they were created.
 */
export class ActionLoop1795780000000 implements MigrationInterface {
  name = 'ActionLoop1795780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "action" ADD "play_key" text');
    await queryRunner.query('ALTER TABLE "action" ADD "owner_id" uuid');
    await queryRunner.query('ALTER TABLE "action" ADD "due_date" date');
    await queryRunner.query('ALTER TABLE "action" ADD "status" text NOT NULL DEFAULT \'doing\'');
    await queryRunner.query(
      'ALTER TABLE "action" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
    await queryRunner.query('UPDATE "action" SET "updated_at" = "created_at"');
    await queryRunner.query(
      "ALTER TABLE \"action\" ADD CONSTRAINT \"ck_action_status\" CHECK (\"status\" IN ('planned', 'doing', 'done', 'dropped'))",
    );
    await queryRunner.query(
      'ALTER TABLE "action" ADD CONSTRAINT "fk_action_owner" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "action" DROP CONSTRAINT "fk_action_owner"');
    await queryRunner.query('ALTER TABLE "action" DROP CONSTRAINT "ck_action_status"');
    await queryRunner.query('ALTER TABLE "action" DROP COLUMN "updated_at"');
    await queryRunner.query('ALTER TABLE "action" DROP COLUMN "status"');
    await queryRunner.query('ALTER TABLE "action" DROP COLUMN "due_date"');
    await queryRunner.query('ALTER TABLE "action" DROP COLUMN "owner_id"');
    await queryRunner.query('ALTER TABLE "action" DROP COLUMN "play_key"');
  }
}
