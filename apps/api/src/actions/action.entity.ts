import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ActionStatus } from '@candor/contracts';
import { Team, User } from '../kernel/org.entities';

export const ACTION_STATUSES: readonly ActionStatus[] = ['planned', 'doing', 'done', 'dropped'];

/**
 * What a team decided to do about a dimension: when it started (drawn on the team's trend), who
 * owns it, when it is due, where it stands, and the play it came from, if any.
 */
@Entity('action')
@Index('ix_action_team_date', ['teamId', 'date'])
@Check('ck_action_status', `"status" IN ('planned', 'doing', 'done', 'dropped')`)
export class TeamAction {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_action' })
  id!: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'fk_action_team' })
  team?: Team;

  @Column({ type: 'text' })
  dimension!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'date' })
  date!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_action_created_by' })
  creator?: User | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The play it was started from (`<dimension>/<slug>@<version>`), or null. */
  @Column({ name: 'play_key', type: 'text', nullable: true })
  playKey!: string | null;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_action_owner' })
  owner?: User | null;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @Column({ type: 'text', default: 'doing' })
  status!: ActionStatus;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
