import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Cycle } from '../kernel/cycle.entities';

/**
 * A token that has been used. The hash stops reuse; `submission_digest` (SHA-256 over the raw
 * token and the answers, so it cannot be recomputed from stored rows) and `receipt_id` let an
 * identical retry get its first receipt back.
 */
@Entity('spent_token')
export class SpentToken {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_spent_token' })
  cycleId!: string;

  @PrimaryColumn({ name: 'token_hash', type: 'bytea', primaryKeyConstraintName: 'pk_spent_token' })
  tokenHash!: Buffer;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_spent_token_cycle' })
  cycle?: Cycle;

  @Column({ name: 'submission_digest', type: 'bytea' })
  submissionDigest!: Buffer;

  @Column({ name: 'receipt_id', type: 'uuid' })
  receiptId!: string;

  /**
   * The submission's answers, padded and sealed under the cycle's data key (see
   * sealing.service.ts); opened and written to `response` in random order at close. Null for
   * answers stored before sealing existed.
   */
  @Column({ name: 'sealed_answers', type: 'bytea', nullable: true })
  sealedAnswers!: Buffer | null;
}

/**
 * One anonymous response. By design it carries no identity and no time of submission:
 * the cycle, a random id, the instrument version answered, and the answers. Keyed by
 * (cycle_id, id): every read is by cycle, and a close writes a cycle's rows side by side.
 */
@Entity('response')
export class SurveyResponse {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_response' })
  cycleId!: string;

  /** gen_random_uuid(): random, carries no time (unlike uuid v7 or a sequence). */
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_response' })
  id!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_response_cycle' })
  cycle?: Cycle;

  @Column({ name: 'instrument_version', type: 'text' })
  instrumentVersion!: string;

  @Column({ type: 'jsonb' })
  answers!: Record<string, number>;
}
