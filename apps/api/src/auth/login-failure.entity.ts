import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One failed sign-in (or password-reset request) charged to one throttle counter, kept in
 * PostgreSQL so that every instance behind a load balancer counts the same attempts. The
 * counter key is an HMAC (see login-throttle.ts): no email address or IP address is stored.
 * Rows older than the throttling window are deleted as attempts come in.
 */
@Entity('login_failure')
@Index('ix_login_failure_key_at', ['key', 'failedAt'])
export class LoginFailure {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_login_failure' })
  id!: string;

  @Column({ type: 'text' })
  key!: string;

  @Index('ix_login_failure_at')
  @Column({ name: 'failed_at', type: 'timestamptz', default: () => 'now()' })
  failedAt!: Date;
}
