import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `response` is keyed by (cycle_id, id) instead of id alone, and the separate index on cycle_id
 * goes: every read of responses is by cycle, and a close inserts a cycle's rows together. With the
 * random id as the only key each inserted row landed on a random leaf of a 10-million-row index
 * (and a second random leaf of the cycle index); keyed by cycle first, a cycle's rows share one
 * leaf, and there is one index to maintain instead of two. The id stays random
 * (gen_random_uuid()), so neither key nor order says anything about when an answer came.
 * At 10 M rows the index build takes tens of seconds, inside the migration's transaction.
 */
export class ResponseKeyByCycle1795793000000 implements MigrationInterface {
  name = 'ResponseKeyByCycle1795793000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('ALTER TABLE "response" DROP CONSTRAINT "pk_response"');
    await queryRunner.query('DROP INDEX "public"."ix_response_cycle"');
    await queryRunner.query(
      'ALTER TABLE "response" ADD CONSTRAINT "pk_response" PRIMARY KEY ("cycle_id", "id")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('ALTER TABLE "response" DROP CONSTRAINT "pk_response"');
    await queryRunner.query('ALTER TABLE "response" ADD CONSTRAINT "pk_response" PRIMARY KEY ("id")');
    await queryRunner.query('CREATE INDEX "ix_response_cycle" ON "response" ("cycle_id")');
  }
}
