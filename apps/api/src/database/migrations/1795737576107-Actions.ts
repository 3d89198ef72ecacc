import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Team actions (issue 5): what a team decided to do about a dimension, on a date. */
export class Actions1795737576107 implements MigrationInterface {
  name = 'Actions1795737576107';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "action" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "team_id" uuid NOT NULL, "dimension" text NOT NULL, "text" text NOT NULL, "date" date NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_action" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_action_team_date" ON "action" ("team_id", "date") ');
    await queryRunner.query(
      'ALTER TABLE "action" ADD CONSTRAINT "fk_action_team" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "action" ADD CONSTRAINT "fk_action_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "action" DROP CONSTRAINT "fk_action_created_by"');
    await queryRunner.query('ALTER TABLE "action" DROP CONSTRAINT "fk_action_team"');
    await queryRunner.query('DROP INDEX "public"."ix_action_team_date"');
    await queryRunner.query('DROP TABLE "action"');
  }
}
