import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Abuse reports that admins resolve (issue 16): `comment_report` holds a lead's reason on a
 * released comment and, once an admin has looked, the outcome (keep-hidden | restore). No reporter
 * and no time (both are in the audit log), nothing about the writer.
 *
 * Reports made before this table existed were audit-log rows only (`comment.reported`, target the
 * comment id, detail.reason): they become open reports, so admins see them too.
 */
export class CommentReports1795795000000 implements MigrationInterface {
  name = 'CommentReports1795795000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "comment_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "comment_id" uuid NOT NULL, "reason" text NOT NULL, "resolution" text, CONSTRAINT "ck_comment_report_resolution" CHECK ("resolution" IN ('keep-hidden', 'restore')), CONSTRAINT "pk_comment_report" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query('CREATE INDEX "ix_comment_report_comment" ON "comment_report" ("comment_id")');
    await queryRunner.query(
      'ALTER TABLE "comment_report" ADD CONSTRAINT "fk_comment_report_comment" FOREIGN KEY ("comment_id") REFERENCES "comment"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      `INSERT INTO "comment_report" ("comment_id", "reason")
       SELECT c."id", COALESCE(a."detail"->>'reason', '')
         FROM "audit_log" a JOIN "comment" c ON c."id"::text = a."target"
        WHERE a."action" = 'comment.reported'
        ORDER BY a."id"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "comment_report"');
  }
}
