/**
 * Did an action work? The rule that turns a team's released cycles around an action's start date
 * into a plain verdict. Pure; the caller says which way is good for the dimension and how two
 * cycles are compared (Welch's test for a mean, the delta-method test for the trust index), so the
 * same rule serves every dimension. docs/statistics.md, "Did the action work?", states it in words.
 */

/** The verdicts, in the words the pages use. */
export type OutcomeVerdict =
  /** The dimension moved the good way by at least the minimum detectable change (significant). */
  | 'worked'
  /** Released cycles on both sides, and no significant change (yet). */
  | 'no-change'
  /** It moved the wrong way, significantly. */
  | 'worse'
  /** Cycles have closed since, but without a released score on one side (fewer than k answered, or none before). */
  | 'too-few-answers'
  /** No cycle has closed since the action started. */
  | 'waiting';

/** What the rule needs of a change between two cycles (the shape of changeBetween's result and of the API's Change). */
export interface ChangeLike {
  delta: number;
  significant: boolean;
}

export interface VerdictInput {
  /** Which way is good for the dimension. */
  goodDirection: 'higher' | 'lower';
  /** A released cycle that closed on or before the action's date exists. */
  baseline: boolean;
  /** Cycles of the dimension's trend that opened on or after the date and have closed. */
  closedAfter: number;
  /** Of those, how many have a released score. */
  releasedAfter: number;
  /** The change from the baseline to the follow-up cycle compared; null when it could not be tested. */
  change: ChangeLike | null;
}

/**
 * The verdict: `waiting` until a cycle has closed after the action; `too-few-answers` while there is
 * no released score before it or none after it (or the change cannot be tested); otherwise
 * `worked` when the change is significant (p < 0.05 and at least the minimum detectable change) in
 * the good direction, `worse` when significant the other way, and `no-change` when it is not
 * significant.
 */
export function outcomeVerdict(input: VerdictInput): OutcomeVerdict {
  if (input.closedAfter === 0) return 'waiting';
  if (!input.baseline || input.releasedAfter === 0 || input.change === null) return 'too-few-answers';
  const { delta, significant } = input.change;
  if (!significant || delta === 0) return 'no-change';
  const up = delta > 0;
  return up === (input.goodDirection === 'higher') ? 'worked' : 'worse';
}

/** How many cycles after the start date a play is given to show an effect. */
export const OUTCOME_FOLLOW_UP_CYCLES = 3;

export interface OutcomeCycle<S> {
  /** ISO timestamps of the cycle's window. */
  opensAt: string;
  closesAt: string;
  /** Sufficient statistics of the dimension when the cycle's score is released; null when suppressed. */
  stats: S | null;
}

export interface ActionOutcome {
  verdict: OutcomeVerdict;
  /** Index (in the given cycles) of the baseline: the last released cycle closing on or before the date. */
  beforeIndex: number | null;
  /** Index of the follow-up compared with it: the latest released one among the first follow-up cycles. */
  afterIndex: number | null;
  change: ChangeLike | null;
  /** Follow-up cycles still to come before the verdict is final (0 once the window is complete). */
  followUpsLeft: number;
}

/**
 * The outcome of an action started on `date` (YYYY-MM-DD, UTC) from a trend's closed cycles (in
 * time order). Baseline: the last released cycle that closed on or before the end of that day.
 * Follow-ups: the first `followUpCycles` cycles that opened on or after the start of that day; the
 * latest released one among them is compared with the baseline (a play takes time, and later
 * cycles have more of its effect, but cycles long after the action have other causes too).
 */
export function actionOutcome<S, C extends ChangeLike>(input: {
  date: string;
  goodDirection: 'higher' | 'lower';
  cycles: readonly OutcomeCycle<S>[];
  compare: (before: S, after: S) => C | null;
  followUpCycles?: number;
}): ActionOutcome & { change: C | null } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || Number.isNaN(Date.parse(`${input.date}T00:00:00Z`))) {
    throw new RangeError(`date must be YYYY-MM-DD, got ${input.date}`);
  }
  const window = input.followUpCycles ?? OUTCOME_FOLLOW_UP_CYCLES;
  if (!Number.isInteger(window) || window < 1)
    throw new RangeError(`followUpCycles must be ≥ 1, got ${window}`);
  const start = Date.parse(`${input.date}T00:00:00Z`);
  const end = start + 86_400_000;
  let beforeIndex: number | null = null;
  for (const [i, c] of input.cycles.entries()) {
    if (c.stats !== null && Date.parse(c.closesAt) < end) beforeIndex = i;
  }
  const followUps = input.cycles
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => Date.parse(c.opensAt) >= start)
    .slice(0, window);
  const released = followUps.filter(({ c }) => c.stats !== null);
  const after = released.at(-1) ?? null;
  const baseline = beforeIndex === null ? null : input.cycles[beforeIndex]!;
  const change =
    baseline && baseline.stats !== null && after ? input.compare(baseline.stats, after.c.stats!) : null;
  return {
    verdict: outcomeVerdict({
      goodDirection: input.goodDirection,
      baseline: baseline !== null,
      closedAfter: followUps.length,
      releasedAfter: released.length,
      change,
    }),
    beforeIndex,
    afterIndex: after?.i ?? null,
    change,
    followUpsLeft: window - followUps.length,
  };
}
