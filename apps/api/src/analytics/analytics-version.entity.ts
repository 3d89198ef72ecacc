import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row: a counter that every transaction changing what analytics read (cycle, cycle_stats,
 * team, org_group) increments once, at its commit, through triggers (migration AnalyticsVersion;
 * actions are keyed separately, see AnalyticsRepository.trendState). The increment is part of the writing transaction, so a reader that sees a
 * version also sees every change counted by it: a result cached under a version is never older
 * than that version (VersionedCache).
 */
@Entity('analytics_version')
export class AnalyticsVersion {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_analytics_version' })
  id!: number;

  @Column({ type: 'bigint' })
  version!: string;
}

/** Transactions that changed analytics data and will increment the version when they commit. */
@Entity('analytics_version_pending')
export class AnalyticsVersionPending {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_analytics_version_pending' })
  txid!: string;
}
