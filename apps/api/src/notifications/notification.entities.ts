import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Cycle } from '../kernel/cycle.entities';

/** `comment`: a new message in an anonymous comment thread (never its content). */
export type NotificationKind = 'open' | 'reminder' | 'results' | 'comment';

/**
 * One row per notification ever sent (or being sent): its primary key is what makes "never
 * twice for the same cycle, recipient and kind" hold across ticks, retries and instances.
 * `recipient` is a person's id for email, or `slack` for the team's channel. No timestamp.
 */
@Entity('notification_sent')
export class NotificationSent {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_notification_sent' })
  cycleId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_notification_sent' })
  kind!: NotificationKind;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_notification_sent' })
  recipient!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_notification_sent_cycle' })
  cycle?: Cycle;
}

/** Email that would have been sent, when no SMTP server is configured. Admins read it. */
@Entity('outbox')
export class OutboxEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_outbox' })
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'to_address', type: 'text' })
  toAddress!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  kind!: NotificationKind;
}
