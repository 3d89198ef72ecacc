import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Team, User } from '../org/org.entities';

/** What a team decided to do about a dimension, on a date. Drawn on the team's trend. */
@Entity('action')
@Index('ix_action_team_date', ['teamId', 'date'])
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
}
