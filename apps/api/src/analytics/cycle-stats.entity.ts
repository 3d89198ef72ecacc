import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Cycle } from '../kernel/cycle.entities';

/** Additive sufficient statistics of one cycle × dimension, written when the cycle closes. */
@Entity('cycle_stats')
export class CycleStats {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_cycle_stats' })
  cycleId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_cycle_stats' })
  dimension!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_cycle_stats_cycle' })
  cycle?: Cycle;

  @Column({ type: 'integer' })
  n!: number;

  @Column({ type: 'double precision' })
  sum!: number;

  @Column({ name: 'sum_sq', type: 'double precision' })
  sumSq!: number;

  /** For the trust index row: Σ (C+R+I)·S, the cross term of the delta-method covariance. */
  @Column({ name: 'sum_cross', type: 'double precision', nullable: true })
  sumCross!: number | null;

  /**
   * For an `item:<id>` row: how many gave each raw answer, lowest first (the answer distribution);
   * null on every other row.
   */
  @Column({ type: 'integer', array: true, nullable: true })
  counts!: number[] | null;
}
