import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../kernel/org.entities';
import { Cycle } from '../kernel/cycle.entities';

/**
 * Who has been issued their blind-signed token for a cycle. It records participation, never
 * which response is theirs: the server signs a blinded message it cannot link to the token.
 * No timestamp, so its order says nothing about when anyone answered.
 */
@Entity('token_issue')
export class TokenIssue {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_token_issue' })
  cycleId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_token_issue' })
  userId!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_token_issue_cycle' })
  cycle?: Cycle;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_token_issue_user' })
  user?: User;

  /** SHA-256 of the blinded message: lets the same request be retried, says nothing about the token. */
  @Column({ name: 'blinded_hash', type: 'bytea' })
  blindedHash!: Buffer;
}
