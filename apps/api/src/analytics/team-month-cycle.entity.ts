import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrgGroup, Team } from '../kernel/org.entities';
import { Cycle } from '../kernel/cycle.entities';

/** What a month row says of its cycle: kept in team_month_cycle and copied to team_month_group. */
abstract class MonthRowColumns {
  /** The cycle's `group_path`: the team's groups when the cycle closed, top first. */
  @Column({ name: 'group_path', type: 'uuid', array: true })
  groupPath!: string[];

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

/**
 * Per team, instrument and calendar month (UTC) of closing: the cycle the director views use (the
 * latest one closing in the month) with its k, invited count, response count and the groups it
 * counts in (frozen at its close). Written only by team-month.sql.ts when cycles close, and never
 * again once the month is sealed (disclosure_period); see there.
 */
@Entity('team_month_cycle')
// Covering index of the month reads (INCLUDE columns), made by migration TeamMonthCycleCovering.
@Index('ix_team_month_cycle_rows', { synchronize: false })
export class TeamMonthCycle extends MonthRowColumns {
  /** Instrument id (`psych-safety`, `trust-equation`): every version of it counts. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_team_month_cycle' })
  instrument!: string;

  /** The top group of the org tree the cycle closed in (`group_path[1]`). */
  @PrimaryColumn({ name: 'root_id', type: 'uuid', primaryKeyConstraintName: 'pk_team_month_cycle' })
  rootId!: string;

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
}

/**
 * One row per group on a month row's frozen path: which teams' cycles count in a group's cell of a
 * month, as an index range (instrument, group, month), with a copy of the month row's columns so
 * that a group's month is read from that range alone (its primary key index INCLUDEs them:
 * migration TeamMonthGroupRows). Written with the month row by team-month.sql.ts, deleted with it
 * (fk_team_month_group_month).
 */
@Entity('team_month_group')
@Index('ix_team_month_group_team', ['teamId', 'month', 'instrument', 'rootId'])
export class TeamMonthGroup extends MonthRowColumns {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_team_month_group' })
  instrument!: string;

  @PrimaryColumn({ name: 'group_id', type: 'uuid', primaryKeyConstraintName: 'pk_team_month_group' })
  groupId!: string;

  @ManyToOne(() => OrgGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_team_month_group_group' })
  group?: OrgGroup;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_team_month_group' })
  month!: string;

  @PrimaryColumn({ name: 'root_id', type: 'uuid', primaryKeyConstraintName: 'pk_team_month_group' })
  rootId!: string;

  @PrimaryColumn({ name: 'team_id', type: 'uuid', primaryKeyConstraintName: 'pk_team_month_group' })
  teamId!: string;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'fk_team_month_group_team' })
  team?: Team;

  /** 0 for the top group of the path, then 1, 2, … down to the team's own group. */
  @Column({ type: 'smallint' })
  depth!: number;

  @ManyToOne(() => TeamMonthCycle, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'instrument',
      referencedColumnName: 'instrument',
      foreignKeyConstraintName: 'fk_team_month_group_month',
    },
    {
      name: 'root_id',
      referencedColumnName: 'rootId',
      foreignKeyConstraintName: 'fk_team_month_group_month',
    },
    { name: 'month', referencedColumnName: 'month', foreignKeyConstraintName: 'fk_team_month_group_month' },
    {
      name: 'team_id',
      referencedColumnName: 'teamId',
      foreignKeyConstraintName: 'fk_team_month_group_month',
    },
  ])
  monthRow?: TeamMonthCycle;

  // The month row's cycle (its other columns come with MonthRowColumns).
  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId!: string;
}

/**
 * A month in which cycles of an instrument closed in an org tree. `sealedAt` is set once the month
 * is over and every cycle of the tree closing in it has closed: from then on its month rows never change and its group
 * cells are decided (DisclosureService.sealMonths).
 */
@Entity('disclosure_period')
export class DisclosurePeriod {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_disclosure_period' })
  instrument!: string;

  /** Months are sealed per org tree (top group), so one tree's late cycles never hold back another's. */
  @PrimaryColumn({ name: 'root_id', type: 'uuid', primaryKeyConstraintName: 'pk_disclosure_period' })
  rootId!: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_disclosure_period' })
  month!: string;

  @Column({ name: 'sealed_at', type: 'timestamptz', nullable: true })
  sealedAt!: Date | null;
}

/**
 * The release gate's ledger: a decision made against everything released before (a cell with
 * cycles of 0 < n < k), and the cycles the cell covers. Never updated or deleted: the same cell
 * always gets the same answer.
 */
@Entity('disclosure_cell')
@Check(
  'ck_disclosure_cell_reason',
  `("released" AND "reason" IS NULL) OR (NOT "released" AND "reason" IS NOT NULL)`,
)
export class DisclosureCell {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_disclosure_cell' })
  instrument!: string;

  /** `group:<root id>:<group id>:<YYYY-MM>` or `pool:<team id>:<digest of its cycles>`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_disclosure_cell' })
  key!: string;

  @Column({ type: 'text' })
  kind!: 'group-month' | 'pool';

  /** First day of the cell's month (group cells); null for pools. */
  @Column({ type: 'date', nullable: true })
  month!: string | null;

  /** Every cycle the cell covers. */
  @Column({ type: 'uuid', array: true })
  cycles!: string[];

  /** Those with 0 < n < k, the auditor's unknowns (n and k are frozen when a cycle closes). */
  @Column({ type: 'uuid', array: true })
  hidden!: string[];

  @Column({ type: 'integer' })
  n!: number;

  @Column({ type: 'smallint' })
  k!: number;

  @Column({ type: 'boolean' })
  released!: boolean;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' })
  decidedAt!: Date;
}
