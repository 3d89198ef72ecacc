import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Cycle } from '../kernel/cycle.entities';

/**
 * A comment while its cycle is open. Nothing in it names a person or a moment: the cycle, a tag
 * of the blind token (HMAC-free SHA-256 under its own label, so it never equals the spent-token
 * hash and cannot be matched with it without the token), a digest for identical retries, and the
 * sealed text + reply-secret hash. Emptied when the cycle closes.
 */
@Entity('comment_sealed')
export class CommentSealed {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_comment_sealed' })
  cycleId!: string;

  @PrimaryColumn({ name: 'token_tag', type: 'bytea', primaryKeyConstraintName: 'pk_comment_sealed' })
  tokenTag!: Buffer;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_comment_sealed_cycle' })
  cycle?: Cycle;

  @Column({ type: 'bytea' })
  digest!: Buffer;

  @Column({ type: 'bytea' })
  sealed!: Buffer;
}

/**
 * A released comment: written at close, in random order (`position` is that order, drawn from
 * PostgreSQL's cryptographic random source), with a random id. No user, no time.
 */
@Entity('comment')
@Unique('uq_comment_reply_hash', ['replyHash'])
@Unique('uq_comment_cycle_position', ['cycleId', 'position'])
export class CommentRow {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_comment' })
  id!: string;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_comment_cycle' })
  cycle?: Cycle;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  body!: string;

  /** SHA-256 of the reply secret only the writer's browser holds. */
  @Column({ name: 'reply_hash', type: 'bytea' })
  replyHash!: Buffer;

  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  @Column({ name: 'hidden_reason', type: 'text', nullable: true })
  hiddenReason!: string | null;
}

/** One message of a comment's thread: the team's lead, or the writer (proving the secret). */
@Entity('comment_message')
@Unique('uq_comment_message_seq', ['commentId', 'seq'])
@Check('ck_comment_message_author', `"author" IN ('lead', 'writer')`)
export class CommentMessage {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_comment_message' })
  id!: string;

  @Column({ name: 'comment_id', type: 'uuid' })
  commentId!: string;

  @ManyToOne(() => CommentRow, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id', foreignKeyConstraintName: 'fk_comment_message_comment' })
  comment?: CommentRow;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  author!: 'lead' | 'writer';

  @Column({ type: 'text' })
  body!: string;

  /** The day only: a finer time would date the writer's visits. */
  @Column({ name: 'written_on', type: 'date' })
  writtenOn!: string;
}

/**
 * A lead's abuse report on a released comment, until an admin resolves it. The reason and the
 * admin's outcome only: who reported and when are in the audit log (an admin action), and nothing
 * here or there says anything about the comment's writer.
 */
@Entity('comment_report')
@Check('ck_comment_report_resolution', `"resolution" IN ('keep-hidden', 'restore')`)
export class CommentReport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_comment_report' })
  id!: string;

  @Index('ix_comment_report_comment')
  @Column({ name: 'comment_id', type: 'uuid' })
  commentId!: string;

  @ManyToOne(() => CommentRow, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id', foreignKeyConstraintName: 'fk_comment_report_comment' })
  comment?: CommentRow;

  @Column({ type: 'text' })
  reason!: string;

  /** Null while open; the admin's outcome once resolved. */
  @Column({ type: 'text', nullable: true })
  resolution!: 'keep-hidden' | 'restore' | null;
}
