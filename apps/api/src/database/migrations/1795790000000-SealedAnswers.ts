import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Sealed answers (issue 12, ADR 0011): each cycle's data key, stored only wrapped by a
 * key-encryption key kept outside the database; and the sealed answers of a submission on its
 * spent token, so an open cycle holds no plaintext answer. Responses of cycles that are open when
 * this runs stay as they are and are shuffled in with the sealed ones at close.
 */
export class SealedAnswers1795790000000 implements MigrationInterface {
  name = 'SealedAnswers1795790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "cycle_key" ("cycle_id" uuid NOT NULL, "kek_id" text NOT NULL, "wrapped_key" bytea NOT NULL, "iv" bytea NOT NULL, "tag" bytea NOT NULL, CONSTRAINT "pk_cycle_key" PRIMARY KEY ("cycle_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "cycle_key" ADD CONSTRAINT "fk_cycle_key_cycle" FOREIGN KEY ("cycle_id") REFERENCES "cycle"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query('ALTER TABLE "spent_token" ADD "sealed_answers" bytea');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "spent_token" DROP COLUMN "sealed_answers"');
    await queryRunner.query('ALTER TABLE "cycle_key" DROP CONSTRAINT "fk_cycle_key_cycle"');
    await queryRunner.query('DROP TABLE "cycle_key"');
  }
}
