// The schedule and cycle entities sit in the shared kernel (ADR 0014): answers, comments, keys,
// notifications and statistics all hang off a cycle, and surveys calls those domains when a cycle
// closes, so the entities they reference cannot live in surveys/ without a two-way import.
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { OrgGroup, Team } from './org.entities';

export type Cadence = 'weekly' | 'biweekly' | 'monthly' | 'quarterly';

/** A recurring pulse for a team or for every team under a group. */
@Entity('schedule')
export class Schedule {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId!: string | null;

  @ManyToOne(() => Team, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'fk_schedule_team' })
  team?: Team | null;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne(() => OrgGroup, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_schedule_group' })
  group?: OrgGroup | null;

  @Column({ type: 'text' })
  instrument!: 'psych-safety' | 'trust-equation';

  @Column({ name: 'trust_subject', type: 'text', nullable: true })
  trustSubject!: 'team' | 'lead' | null;

  @Column({ type: 'text' })
  cadence!: Cadence;

  /** 1 = Monday … 7 = Sunday, in `timezone`. */
  @Column({ type: 'smallint' })
  weekday!: number;

  @Column({ type: 'smallint' })
  hour!: number;

  @Column({ type: 'text', default: 'UTC' })
  timezone!: string;

  @Column({ name: 'window_days', type: 'smallint' })
  windowDays!: number;

  @Column({ type: 'smallint' })
  k!: number;

  /** Threshold for releasing comment text; null = max(k, 5). Never below k. */
  @Column({ name: 'k_comments', type: 'smallint', nullable: true })
  kComments!: number | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Local date (in `timezone`) of the first possible opening. */
  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type CycleStatus = 'open' | 'closed';

/** One run of a pulse for one team. k, the invited list and the signing key are frozen at open. */
@Entity('cycle')
@Check('ck_cycle_k_comments', `"k_comments" >= "k"`)
@Unique('uq_cycle_team_instrument_opens', ['teamId', 'instrumentVersion', 'opensAt'])
@Index('ix_cycle_status_closes', ['status', 'closesAt'])
@Index('ix_cycle_team_closes', ['teamId', 'closesAt'])
export class Cycle {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  @ManyToOne(() => Team, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'fk_cycle_team' })
  team?: Team;

  @Column({ name: 'schedule_id', type: 'uuid', nullable: true })
  scheduleId!: string | null;

  @ManyToOne(() => Schedule, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'schedule_id', foreignKeyConstraintName: 'fk_cycle_schedule' })
  schedule?: Schedule | null;

  @Column({ name: 'instrument_version', type: 'text' })
  instrumentVersion!: string;

  @Column({ name: 'trust_subject', type: 'text', nullable: true })
  trustSubject!: 'team' | 'lead' | null;

  @Column({ name: 'opens_at', type: 'timestamptz' })
  opensAt!: Date;

  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt!: Date;

  @Column({ type: 'text', default: 'open' })
  status!: CycleStatus;

  /** Anonymity threshold, locked when the cycle opened. */
  @Column({ type: 'smallint' })
  k!: number;

  /** Comments are released only when at least this many took part; ≥ k, frozen at open. */
  @Column({ name: 'k_comments', type: 'smallint' })
  kComments!: number;

  /** Number of members invited, frozen at open: the N of the finite-population correction. */
  @Column({ type: 'integer' })
  invited!: number;

  /** RSA public key for the blind signatures of this cycle, SPKI DER base64. */
  @Column({ name: 'public_key_spki', type: 'text' })
  publicKeySpki!: string;

  /** PKCS#8 PEM; erased when the cycle closes, so no further token can be signed. */
  @Column({ name: 'private_key_pkcs8', type: 'text', nullable: true })
  privateKeyPkcs8!: string | null;

  /**
   * The team's groups when the cycle closed, top first; null while open. The cycle counts in these
   * groups for ever, wherever the team moves later (docs/adr/0007).
   */
  @Column({ name: 'group_path', type: 'uuid', array: true, nullable: true })
  groupPath!: string[] | null;
}
