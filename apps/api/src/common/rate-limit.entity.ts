import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Fixed-window counters shared by every instance (rate-limiter-flexible's PostgreSQL store, see
 * common/shared-limiter.ts and docs/adr/0009-shared-rate-limits.md). The layout is the one that
 * library expects; the table is made by a migration, never by the library. `key` is
 * `<limit>:<HMAC of the subject>`: no address, person or token in the clear. `expire` is the end of
 * the window in milliseconds since the epoch; rows past it are reset on the next hit and deleted
 * an hour later.
 */
@Entity('rate_limit')
export class RateLimitCounter {
  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'pk_rate_limit' })
  key!: string;

  @Column({ type: 'integer', default: 0 })
  points!: number;

  @Column({ type: 'bigint', nullable: true })
  expire!: string | null;
}
