import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Team } from '../org/org.entities';
import { Cycle } from '../surveys/survey.entities';

/**
 * Per team, instrument and calendar month (UTC): the cycle the director views use (the latest
 * closed one opening in the month) with its k, invited count and response count. Written only by
 * TEAM_MONTH_UPSERT_SQL (team-month.sql.ts) when cycles close; see there.
 */
@Entity('team_month_cycle')
// (instrument, month, group_id) INCLUDE (team_id, n, k), made by migration TeamMonthGroup: TypeORM cannot
// describe INCLUDE columns, so it leaves this index alone.
@Index('ix_team_month_cycle_counts', { synchronize: false })
export class TeamMonthCycle {
  /** Instrument id (`psych-safety`, `trust-equation`): every version of it counts. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_team_month_cycle' })
  instrument!: string;

  /** First day of the month (UTC). */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_team_month_cycle' })
  month!: string;

  @Index('ix_team_month_cycle_team')
  @PrimaryColumn({ name: 'team_id', type: 'uuid', primaryKeyConstraintName: 'pk_team_month_cycle' })
  teamId!: string;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'fk_team_month_cycle_team' })
  team?: Team;

  @Index('ix_team_month_cycle_cycle')
  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_team_month_cycle_cycle' })
  cycle?: Cycle;

  /**
   * The team's group, kept by a trigger on `team` (migration TeamMonthGroup) when the team moves,
   * so that the org-wide counts sum per group without joining every team.
   */
  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @Column({ type: 'smallint' })
  k!: number;

  @Column({ type: 'integer' })
  invited!: number;

  /** Responses of the cycle (n of its `total` statistics row). */
  @Column({ type: 'integer' })
  n!: number;

  /**
   * A copy of the cycle's statistics rows other than items (its dimensions, `total`, and
   * `trust_index`): dimension → [n, Σ, Σ², Σ cross], so that a group comparison reads one row per
   * team. Written with the row, from `cycle_stats`, by TEAM_MONTH_UPSERT_SQL.
   */
  @Column({ type: 'jsonb' })
  stats!: Record<string, [number, number, number, number | null]>;
}
