import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Invitation and password-reset links (issue 3): only the token's hash is stored. */
export class AccountTokens1795738417810 implements MigrationInterface {
  name = 'AccountTokens1795738417810';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "auth_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" text NOT NULL, "token_hash" bytea NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_auth_token_hash" UNIQUE ("token_hash"), CONSTRAINT "pk_auth_token" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_auth_token_user" ON "auth_token" ("user_id") ');
    await queryRunner.query(
      'ALTER TABLE "auth_token" ADD CONSTRAINT "fk_auth_token_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "auth_token" DROP CONSTRAINT "fk_auth_token_user"');
    await queryRunner.query('DROP INDEX "public"."ix_auth_token_user"');
    await queryRunner.query('DROP TABLE "auth_token"');
  }
}
