/**
 * The vocabulary every other contracts module builds on: instrument ids, released-or-suppressed
 * cells, changes, participation, bands and the favourable share, action status and outcome.
 * Nothing here imports another contracts module, so the modules form no import circle
 * (eslint.config.mjs forbids importing the index from inside contracts).
 */

/** Every instrument id, once: validation lists, loops and types all read this. */
export const INSTRUMENT_IDS = ['psych-safety', 'trust-equation'] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];
/** e.g. `psych-safety@1` */
export type InstrumentVersion = `${InstrumentId}@${number}`;
export type TrustSubject = 'team' | 'lead';
export type MembershipRole = 'member' | 'lead';

/**
 * Why a cell carries no number (docs/anonymity.md): fewer than k answers; it would reveal a smaller
 * group when combined with numbers already shown; its cycle is still open; or its period (a month
 * of a group view) can still change — it is released once the month is over and all its cycles
 * have closed.
 */
export type SuppressionReason = 'below-k' | 'would-reveal' | 'open-cycle' | 'period-open';

export type Cell<T> = ({ status: 'released' } & T) | { status: 'suppressed'; reason: SuppressionReason };

export interface Change {
  /** current mean − previous mean */
  delta: number;
  /** two-sided Welch p-value */
  p: number;
  /** minimum detectable change at α = 0.05, power 0.8 */
  mdc: number;
  /** p < 0.05 and |delta| ≥ mdc */
  significant: boolean;
  direction: 'up' | 'down' | 'none';
}

export interface Participation {
  n: number;
  invited: number;
  rate: number;
}

export interface DimensionInfo {
  id: string;
  label: string;
  /** Scale of the dimension: 1–7 for scores, 3/7–21 for the trust index. */
  min: number;
  max: number;
  /** Which way is good (self-orientation: lower); the web reads @candor/instruments when absent. */
  goodDirection?: GoodDirection;
}

/**
 * Reasons beyond the release gate's: a minimum n for a kind of number (distribution n ≥ 10, α
 * n ≥ 30), or α of a month whose cycles used different versions of the instrument's items.
 */
export type AnalyticsSuppressionReason = SuppressionReason | 'below-minimum' | 'mixed-versions';

/** A released value, or the reason it is not shown. */
export type GatedCell<T> =
  ({ status: 'released' } & T) | { status: 'suppressed'; reason: AnalyticsSuppressionReason };

/** Which way is good for a dimension: most are better higher; self-orientation is better lower. */
export type GoodDirection = 'higher' | 'lower';

/** The plain reading of a mean (`bandOf` in @candor/instruments; cut points in docs/statistics.md). */
export type Band = 'strong' | 'fine' | 'needs-attention';

export interface FavourableShare {
  /**
   * Share (0–1) of the dimension's item answers that are favourable: 5–7 after reverse-scoring, or
   * 1–3 where lower is better (`isFavourableAnswer` in @candor/instruments).
   */
  share: number;
  /** Item answers counted: responses × the dimension's items. */
  answers: number;
}

/** Released under the same rules as the mean beside it; never a number when suppressed. */
export type FavourableCell = GatedCell<FavourableShare>;

// ---------------------------------------------------------------- actions

export type ActionStatus = 'planned' | 'doing' | 'done' | 'dropped';

export interface ActionOwner {
  id: string;
  name: string;
}

/** Whether an action worked (`outcomeVerdict` / `actionOutcome` in @candor/stats). */
export type OutcomeVerdict = 'worked' | 'no-change' | 'worse' | 'too-few-answers' | 'waiting';

export interface ActionOutcomeView {
  verdict: OutcomeVerdict;
  /** The released cycle before the action that the change is measured from. */
  beforeCycleId: string | null;
  /** The released follow-up cycle it is measured to (the latest of the first few after the date). */
  afterCycleId: string | null;
  /** before → after, with the trend's significance rule; null when it could not be tested. */
  change: Change | null;
  /** Follow-up cycles still to come before the verdict is final. */
  followUpsLeft: number;
}
