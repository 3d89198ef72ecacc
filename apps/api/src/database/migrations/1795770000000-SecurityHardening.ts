import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 14: `sso_identity` binds a person to an OpenID Connect (issuer, subject) on their first
 * single sign-on; `rate_limit` holds the fixed-window counters every instance shares.
 */
export class SecurityHardening1795770000000 implements MigrationInterface {
  name = 'SecurityHardening1795770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sso_identity" ("issuer" text NOT NULL, "subject" text NOT NULL, "user_id" uuid NOT NULL, "bound_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_sso_identity_issuer_user" UNIQUE ("issuer", "user_id"), CONSTRAINT "pk_sso_identity" PRIMARY KEY ("issuer", "subject"))',
    );
    await queryRunner.query(
      'CREATE TABLE "rate_limit" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT \'0\', "expire" bigint, CONSTRAINT "pk_rate_limit" PRIMARY KEY ("key"))',
    );
    await queryRunner.query(
      'ALTER TABLE "sso_identity" ADD CONSTRAINT "fk_sso_identity_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sso_identity" DROP CONSTRAINT "fk_sso_identity_user"');
    await queryRunner.query('DROP TABLE "rate_limit"');
    await queryRunner.query('DROP TABLE "sso_identity"');
  }
}
