/**
 * From numbers to decisions: which way is good, bands and the favourable share beside
 * each mean, actions with owners and outcomes, and the director's overview across both
 * instruments. Plain types only.
 */
import type {
  Band,
  Cell,
  Change,
  DimensionInfo,
  GatedCell,
  GoodDirection,
  InstrumentId,
  Participation,
} from './core';
import type { ComparisonFlag, Estimate } from './analytics';

// ---------------------------------------------------------------- director overview

/** Why a team shows no result for an instrument in a period. */
export type NoResultsReason =
  /** No cycle of the instrument closed in the period. */
  | 'no-cycle'
  /** Fewer than k answered. */
  | 'below-k'
  /** The team has fewer active members than k: it can never show results. */
  | 'smaller-than-k';

/** One dimension of the overview: every dimension of both instruments, side by side. */
export interface OverviewDimension extends DimensionInfo {
  instrument: InstrumentId;
  goodDirection: GoodDirection;
}

export interface OverviewEstimate extends Estimate {
  band: Band;
  /**
   * The team against the rest of the group, Benjamini–Hochberg-adjusted across every tested team ×
   * dimension of both instruments; `flag` is the sign of the difference (above/below), not whether
   * it is good — read it with the dimension's `goodDirection`.
   */
  test: { delta: number; p: number; q: number; flag: ComparisonFlag } | null;
  /** Change versus the team's previous released cycle of the instrument. */
  change: Change | null;
}

export interface OverviewInstrumentStatus {
  /** The cycle used for the period, if any. */
  cycleId: string | null;
  participation: Cell<Participation>;
  /** Why there is no result; null when there is one. */
  noResults: NoResultsReason | null;
}

export interface OverviewRow {
  teamId: string;
  name: string;
  groupId: string;
  groupName: string;
  instruments: Record<InstrumentId, OverviewInstrumentStatus>;
  /** Every dimension id of `GroupOverviewResponse.dimensions`. */
  scores: Record<string, GatedCell<OverviewEstimate>>;
}

export type AttentionKind =
  /** A significant change for the worse since the team's previous cycle. */
  | 'significant-drop'
  /** Significantly worse than the rest of the group (after Benjamini–Hochberg). */
  | 'below-group'
  /** In the "needs attention" band. */
  | 'needs-attention'
  /** No result in the period, with the reason. */
  | 'no-results';

/** One line of the director's "where to look" list. */
export interface AttentionItem {
  kind: AttentionKind;
  teamId: string;
  teamName: string;
  instrument: InstrumentId;
  /** The dimension concerned; null for `no-results` (the whole instrument). */
  dimension: string | null;
  /** The released mean the line is about (drops: the new value). */
  mean?: number;
  band?: Band;
  /** significant-drop: the change that was flagged (current − previous). */
  change?: Change;
  /** below-group: the difference from the rest of the group and its BH-adjusted q. */
  test?: { delta: number; q: number };
  /** no-results: why. */
  reason?: NoResultsReason;
  /** ISO time the result is from: the cycle's close. */
  at?: string;
}

/**
 * `GET /api/groups/:groupId/overview?period=YYYY-MM` (phase 2): every team under the group by every
 * dimension of both instruments for one period, and the "where to look" list.
 */
export interface GroupOverviewResponse {
  group: { id: string; name: string };
  period: string;
  /** The largest k among the cycles used. */
  k: number;
  fdr: number;
  dimensions: OverviewDimension[];
  /** The whole group, per dimension: the reference the teams are tested against. */
  reference: Record<string, GatedCell<Estimate & { band: Band }>>;
  rows: OverviewRow[];
  /** Most urgent first: significant drops, then below the group, then needs attention, then no results. */
  attention: AttentionItem[];
}
