import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Cycle } from '../kernel/cycle.entities';
import { User } from '../kernel/org.entities';

/** Who was invited to a cycle (frozen at open). Says nothing about who answered. */
@Entity('cycle_invitee')
export class CycleInvitee {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_cycle_invitee' })
  cycleId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_cycle_invitee' })
  userId!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_cycle_invitee_cycle' })
  cycle?: Cycle;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_cycle_invitee_user' })
  user?: User;
}
