/**
 * What became of each action: the API's fields (owner, due date, status) merged with the trend's
 * view of it (the change across its date) and a plain verdict. The verdict comes from the API when
 * it sends one (`TrendAction.outcome`); until then the same rule (`outcomeVerdict` in
 * @candor/stats) is applied here to the change the trend reports from the last released cycle
 * before the action to the first released one after it.
 */
import type {
  ActionItem,
  ActionOutcomeView,
  DimensionInfo,
  OutcomeVerdict,
  TeamTrendResponse,
  TrendAction,
} from '@candor/contracts';
import { outcomeVerdict } from '@candor/stats';
import { dimensionDirection } from '../../components/decisions/direction';

export interface ActionView {
  action: ActionItem;
  dimension: DimensionInfo | null;
  outcome: ActionOutcomeView | null;
}

const dayStart = (date: string) => Date.parse(`${date}T00:00:00.000Z`);

export function outcomeOf(trendAction: TrendAction, trend: TeamTrendResponse): ActionOutcomeView | null {
  if (trendAction.outcome) return trendAction.outcome;
  const dimension = trend.dimensions.find((d) => d.id === trendAction.dimension);
  if (!dimension) return null;
  const after = trend.points.filter((p) => Date.parse(p.opensAt) >= dayStart(trendAction.date));
  const releasedAfter = after.filter((p) => p.scores[dimension.id]?.status === 'released').length;
  return {
    verdict: outcomeVerdict({
      goodDirection: dimensionDirection(dimension),
      baseline: trendAction.beforeCycleId !== null,
      closedAfter: after.length,
      releasedAfter,
      change: trendAction.change,
    }),
    beforeCycleId: trendAction.beforeCycleId,
    afterCycleId: trendAction.afterCycleId,
    change: trendAction.change,
    followUpsLeft: 0,
  };
}

/** The team's actions (newest first) with their dimension and outcome, from whichever trend draws them. */
export function actionViews(
  actions: readonly ActionItem[],
  trends: readonly (TeamTrendResponse | undefined)[],
): ActionView[] {
  return [...actions]
    .sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt))
    .map((action) => {
      for (const trend of trends) {
        const onTrend = trend?.actions?.find((a) => a.id === action.id);
        const dimension = trend?.dimensions.find((d) => d.id === action.dimension) ?? null;
        if (trend && dimension) {
          return { action, dimension, outcome: onTrend ? outcomeOf(onTrend, trend) : null };
        }
      }
      return { action, dimension: null, outcome: null };
    });
}

export const VERDICT_TEXT: Record<OutcomeVerdict, string> = {
  worked: 'It worked',
  'no-change': 'No measurable change yet',
  worse: 'It got worse',
  'too-few-answers': 'Too few answers to tell',
  waiting: 'Waiting for the next results',
};
