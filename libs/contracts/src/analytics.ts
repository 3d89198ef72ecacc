/**
 * Analytics views beyond the team trend: item breakdown, group comparison and trend, pooled team
 * trend, reliability, and actions. Plain types only. Every number sits inside a released cell; a
 * suppressed cell carries a reason and no number at all.
 */
import type {
  ActionOutcomeView,
  ActionOwner,
  ActionStatus,
  Cell,
  Change,
  DimensionInfo,
  FavourableCell,
  GatedCell,
  InstrumentId,
  Participation,
} from './core';

export interface CycleRef {
  cycleId: string;
  opensAt: string;
  closesAt: string;
  k: number;
  invited: number;
}

// ---------------------------------------------------------------- item breakdown

export interface Estimate {
  n: number;
  mean: number;
  /** 95% t-interval; within a team finite-population corrected with N = invited. */
  lower: number;
  upper: number;
  /** Share of favourable answers beside the mean, released with it (absent for the trust index and item rows). */
  favourable?: FavourableCell;
  /**
   * Pooled cells only: the design effect the interval allows for, because the same people answer
   * in every pooled cycle (`repeatedRespondentsDesignEffect` in @candor/stats; 1 = none).
   */
  designEffect?: number;
}

export interface ItemDistribution {
  /** counts[i] = number of people who answered i + 1 (the raw answer, before reverse-scoring). */
  counts: number[];
}

export interface ItemBreakdownRow {
  itemId: string;
  text: string;
  /** Negatively worded: the mean is of the reverse-scored value (8 − answer), the distribution is of raw answers. */
  reverse: boolean;
  /** The dimension the item belongs to. */
  dimension: string;
  score: Cell<Estimate>;
  /** Released only when n ≥ max(k, 10). */
  distribution: GatedCell<ItemDistribution>;
}

export interface ItemBreakdownResponse {
  team: { id: string; name: string };
  instrument: InstrumentId;
  cycle: CycleRef;
  participation: Cell<Participation>;
  /** The minimum n for an answer distribution (10, or k if larger). */
  distributionMinimum: number;
  /** Labels of the answer scale, index 0 = answer 1. */
  scaleLabels: string[];
  items: ItemBreakdownRow[];
}

// ---------------------------------------------------------------- group comparison

export type ComparisonFlag = 'above' | 'below' | 'none';

export interface ComparisonEstimate extends Estimate {
  /**
   * Test of this team against the rest of the group (the group's responses minus this team's):
   * Welch's t-test for means, a delta-method t-test for the trust index. Null for group rows, or
   * when the reference is not released or has too few responses to test.
   */
  test: { delta: number; p: number; q: number; flag: ComparisonFlag } | null;
}

export interface ComparisonRow {
  kind: 'group' | 'team';
  id: string;
  name: string;
  /** Group id of the parent row; null for the root (the reference). */
  parentId: string | null;
  depth: number;
  /**
   * The cycle used for a team row: its latest cycle closing in the period while it was in this
   * group (null for a team of the group with no cycle in the month).
   */
  cycleId: string | null;
  participation: Cell<Participation>;
  scores: Record<string, Cell<ComparisonEstimate>>;
}

export interface GroupComparisonResponse {
  group: { id: string; name: string };
  instrument: InstrumentId;
  /** Calendar month, UTC: `YYYY-MM`. Cycles count in the month they closed in. */
  period: string;
  /**
   * True once the month is over and every cycle closing in it has closed: its rows are frozen and
   * its group rows decided. Before that, group rows are suppressed as `period-open`.
   */
  final: boolean;
  /** The threshold applied to every row: the largest k among the cycles used. */
  k: number;
  /** False-discovery rate of the Benjamini–Hochberg adjustment across all tested team cells. */
  fdr: number;
  dimensions: DimensionInfo[];
  /** Pre-order: the group itself (the reference) first, then subgroups and teams. */
  rows: ComparisonRow[];
}

export interface GroupTrendPoint {
  /** `YYYY-MM` */
  period: string;
  /** The month is over and all its cycles have closed (see GroupComparisonResponse.final). */
  final: boolean;
  teams: number;
  k: number;
  participation: Cell<Participation>;
  scores: Record<string, Cell<Estimate & { change: Change | null }>>;
}

export interface GroupTrendResponse {
  group: { id: string; name: string };
  instrument: InstrumentId;
  dimensions: DimensionInfo[];
  /** Months in which at least one cycle of the group closed, oldest first. */
  points: GroupTrendPoint[];
}

// ---------------------------------------------------------------- pooled team trend

export interface PooledTrendPoint {
  pooled: true;
  /**
   * The closed cycles pooled into this point, oldest first: the block's cycles that invited at
   * least their k (a cycle of fewer people never counts in a pool).
   */
  cycleIds: string[];
  from: string;
  to: string;
  k: number;
  invited: number;
  participation: Cell<Participation>;
  scores: Record<string, Cell<Estimate & { change: Change | null }>>;
}

export interface PooledTrendResponse {
  team: { id: string; name: string };
  instrument: InstrumentId;
  /** Number of consecutive closed cycles in each pool. */
  poolSize: number;
  dimensions: DimensionInfo[];
  points: PooledTrendPoint[];
  /** Closed cycles after the last complete pool: not shown until the pool is complete. */
  pendingCycles: number;
}

// ---------------------------------------------------------------- reliability

/**
 * A scale α is computed over: its items, each scored in the scale's direction (negatively worded
 * items reversed, 8 − answer). Psychological safety is one scale (`psych_safety`, 7 items); the
 * trust equation is four (`credibility`, `reliability`, `intimacy`, `self_orientation`, 3 items
 * each) — never the 12 statements as one scale, since self-orientation measures another construct
 * that runs against trust.
 */
export interface ReliabilityScale {
  /** The response dimension id of the scale. */
  id: string;
  label: string;
  /** Item ids, in instrument order. */
  items: string[];
  /** Of `items`, those reversed before α. */
  reversed: string[];
}

export type AlphaCell = GatedCell<{ n: number; alpha: number }>;

export interface ReliabilityPoint {
  period: string;
  /**
   * α per scale, in the order of `ReliabilityResponse.scales`; each withheld below `minimumN`
   * and whenever the group's month is suppressed.
   */
  scales: { scale: string; alpha: AlphaCell }[];
  /**
   * Kept for clients that read one α: present only for a single-scale instrument (psychological
   * safety), equal to `scales[0].alpha`. Absent for the trust equation.
   */
  alpha?: AlphaCell;
}

export interface ReliabilityResponse {
  group: { id: string; name: string };
  instrument: InstrumentId;
  /** The instrument version whose items are used. */
  instrumentVersion: string;
  /** Minimum n for α. */
  minimumN: number;
  /** The scales α is computed for, one per `points[].scales` entry. */
  scales: ReliabilityScale[];
  points: ReliabilityPoint[];
}

// ---------------------------------------------------------------- actions

export interface CreateActionRequest {
  /** A dimension id of either instrument (e.g. `psych_safety`, `trust_index`, `credibility`). */
  dimension: string;
  text: string;
  /** `YYYY-MM-DD`: when the team started (or starts) it; where it is drawn on the trend. */
  date: string;
  /** The play it was started from (`findPlay` in @candor/instruments); its dimension must match. */
  playKey?: string | null;
  /** Who owns it: an active member or lead of the team (see ActionOwnersResponse); none when absent. */
  ownerId?: string | null;
  /** `YYYY-MM-DD`, on or after `date`. */
  dueDate?: string | null;
  /** Default `doing`. */
  status?: ActionStatus;
}

/** Change what is written about an action; its dimension and play stay. Only the fields sent change. */
export interface UpdateActionRequest {
  text?: string;
  date?: string;
  ownerId?: string | null;
  dueDate?: string | null;
  status?: ActionStatus;
}

export interface ActionItem {
  id: string;
  teamId: string;
  dimension: string;
  text: string;
  date: string;
  createdAt: string;
  /** The play it was started from, or null (always sent by the actions API; optional for older readers). */
  playKey?: string | null;
  owner?: ActionOwner | null;
  dueDate?: string | null;
  status?: ActionStatus;
  /** Last change to the action. */
  updatedAt?: string;
}

/** People who may own a team's action: its active members and leads, by name. */
export interface ActionOwnersResponse {
  people: ActionOwner[];
}

export interface ActionListResponse {
  actions: ActionItem[];
}

/** An action on a trend, with the change across it. */
export interface TrendAction extends ActionItem {
  /** Last released cycle that closed on or before the date. */
  beforeCycleId: string | null;
  /** First released cycle that opened on or after the date. */
  afterCycleId: string | null;
  /** Change from the before cycle to the after cycle (Welch), null without both. */
  change: Change | null;
  /**
   * Whether it worked (`actionOutcome` in @candor/stats over the trend's released cycles), computed
   * by the API. Optional for older servers: the web then applies `outcomeVerdict` to `change`.
   */
  outcome?: ActionOutcomeView;
}
