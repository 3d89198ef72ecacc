import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Anonymous comments with replies (issue 16, docs/adr/0012-anonymous-comments.md).
 *
 * - `k_comments` on schedule (null = the default max(k, 5)) and on cycle (frozen at open, never below k).
 * - `comment_sealed`: a comment while its cycle is open — the cycle, a tag of the token (one
 *   comment per token; not the spent-token hash), a digest for identical retries, and the sealed
 *   blob (text and reply-secret hash, padded). No user, no time. Emptied at close.
 * - `comment`: a released comment — cycle, text, the reply-secret hash, a random id and a random
 *   position (the order in which it was written out at close), the hidden flag and its reason.
 * - `comment_message`: the thread under a comment (author side lead | writer), ordered by a
 *   number, dated to the day.
 */
export class AnonymousComments1795791000000 implements MigrationInterface {
  name = 'AnonymousComments1795791000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "schedule" ADD "k_comments" smallint');
    await queryRunner.query('ALTER TABLE "cycle" ADD "k_comments" smallint');
    await queryRunner.query('UPDATE "cycle" SET "k_comments" = GREATEST("k", 5)');
    await queryRunner.query('ALTER TABLE "cycle" ALTER COLUMN "k_comments" SET NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "cycle" ADD CONSTRAINT "ck_cycle_k_comments" CHECK ("k_comments" >= "k")',
    );
    await queryRunner.query(
      'CREATE TABLE "comment_sealed" ("cycle_id" uuid NOT NULL, "token_tag" bytea NOT NULL, "digest" bytea NOT NULL, "sealed" bytea NOT NULL, CONSTRAINT "pk_comment_sealed" PRIMARY KEY ("cycle_id", "token_tag"))',
    );
    await queryRunner.query(
      'ALTER TABLE "comment_sealed" ADD CONSTRAINT "fk_comment_sealed_cycle" FOREIGN KEY ("cycle_id") REFERENCES "cycle"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'CREATE TABLE "comment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cycle_id" uuid NOT NULL, "position" integer NOT NULL, "body" text NOT NULL, "reply_hash" bytea NOT NULL, "hidden" boolean NOT NULL DEFAULT false, "hidden_reason" text, CONSTRAINT "pk_comment" PRIMARY KEY ("id"), CONSTRAINT "uq_comment_reply_hash" UNIQUE ("reply_hash"), CONSTRAINT "uq_comment_cycle_position" UNIQUE ("cycle_id", "position"))',
    );
    await queryRunner.query(
      'ALTER TABLE "comment" ADD CONSTRAINT "fk_comment_cycle" FOREIGN KEY ("cycle_id") REFERENCES "cycle"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'CREATE TABLE "comment_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "comment_id" uuid NOT NULL, "seq" integer NOT NULL, "author" text NOT NULL, "body" text NOT NULL, "written_on" date NOT NULL, CONSTRAINT "pk_comment_message" PRIMARY KEY ("id"), CONSTRAINT "uq_comment_message_seq" UNIQUE ("comment_id", "seq"), CONSTRAINT "ck_comment_message_author" CHECK ("author" IN (\'lead\', \'writer\')))',
    );
    await queryRunner.query(
      'ALTER TABLE "comment_message" ADD CONSTRAINT "fk_comment_message_comment" FOREIGN KEY ("comment_id") REFERENCES "comment"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "comment_message"');
    await queryRunner.query('DROP TABLE "comment"');
    await queryRunner.query('DROP TABLE "comment_sealed"');
    await queryRunner.query('ALTER TABLE "cycle" DROP CONSTRAINT "ck_cycle_k_comments"');
    await queryRunner.query('ALTER TABLE "cycle" DROP COLUMN "k_comments"');
    await queryRunner.query('ALTER TABLE "schedule" DROP COLUMN "k_comments"');
  }
}
