/**
 * Data for the director's home. Two paths to the same `GroupOverviewResponse`:
 *
 * - Phase 2 (the API's own endpoint, `GET /api/groups/:groupId/overview?period=YYYY-MM`):
 *   `groupOverviewQuery` below. It is the one request the page should make once the endpoint
 *   exists — swap `useDirectorOverview` to it; nothing else in the page changes.
 * - Phase 1 (today): `useDirectorOverview` composes the same shape from the two group comparisons
 *   of the period and the trends of the group's teams (overview.ts), all views the API already
 *   releases to a director.
 */
import type {
  GroupComparisonResponse,
  GroupOverviewResponse,
  GroupTrendResponse,
  InstrumentId,
  TeamTrendResponse,
} from '@candor/contracts';
import { keepPreviousData, queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';
import { composeOverview, INSTRUMENT_IDS } from './overview';

/** The phase-2 endpoint: the whole overview, its BH family across both instruments, and the where-to-look list. */
export const groupOverviewQuery = (groupId: string, period: string) =>
  queryOptions({
    queryKey: ['groups', groupId, 'overview', period] as const,
    queryFn: ({ signal }) =>
      apiRequest<GroupOverviewResponse>(
        `/groups/${encodeURIComponent(groupId)}/overview?${new URLSearchParams({ period })}`,
        { signal },
      ),
    staleTime: 60_000,
  });

/** Months with at least one closed cycle in the group (psychological safety), newest first. */
export function useGroupPeriods(groupId: string, months = 24) {
  const trend = useQuery({
    queryKey: ['groups', groupId, 'trend', 'psych-safety', months] as const,
    queryFn: ({ signal }) =>
      apiRequest<GroupTrendResponse>(
        `/groups/${encodeURIComponent(groupId)}/trend?${new URLSearchParams({ instrument: 'psych-safety', months: String(months) })}`,
        { signal },
      ),
    staleTime: 5 * 60_000,
  });
  const newestFirst = [...(trend.data?.points ?? [])].reverse();
  return {
    ...trend,
    periods: newestFirst.map((p) => p.period),
    /** The newest month that is final (over, every cycle closed): its group rows are shown. */
    latestFinal: newestFirst.find((p) => p.final)?.period ?? null,
  };
}

/**
 * Teams whose trends the phase-1 overview reads (for changes since their previous cycle and their
 * size). Above this the where-to-look list says it looked at the first ones only; the phase-2
 * endpoint has no such limit.
 */
export const TREND_TEAM_LIMIT = 40;

export function useDirectorOverview(groupId: string, period: string | null) {
  const comparisons = useQueries({
    queries: INSTRUMENT_IDS.map((instrument) => ({
      queryKey: ['groups', groupId, 'comparison', instrument, period] as const,
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiRequest<GroupComparisonResponse>(
          `/groups/${encodeURIComponent(groupId)}/comparison?${new URLSearchParams({ instrument, period: period! })}`,
          { signal },
        ),
      enabled: period !== null,
      placeholderData: keepPreviousData,
      staleTime: 60_000,
    })),
  });
  const teamIds = (comparisons[0]!.data?.rows ?? []).filter((r) => r.kind === 'team').map((r) => r.id);
  const checked = teamIds.slice(0, TREND_TEAM_LIMIT);
  const trends = useQueries({
    queries: checked.flatMap((teamId) =>
      INSTRUMENT_IDS.map((instrument: InstrumentId) => ({
        // The same cache entries as the team page's trends.
        queryKey: ['teams', teamId, 'trend', instrument] as const,
        queryFn: ({ signal }: { signal: AbortSignal }) =>
          apiRequest<TeamTrendResponse>(
            `/teams/${encodeURIComponent(teamId)}/trend?${new URLSearchParams({ instrument })}`,
            { signal },
          ),
        staleTime: 60_000,
      })),
    ),
  });
  const [psych, trust] = comparisons;
  const pending = comparisons.some((c) => c.isPending) || trends.some((t) => t.isPending);
  const error = comparisons.find((c) => c.isError)?.error ?? null;
  const data =
    psych?.data && trust?.data && !pending
      ? composeOverview({
          comparisons: { 'psych-safety': psych.data, 'trust-equation': trust.data },
          trends: Object.fromEntries(
            trends.flatMap((t, i) =>
              t.data ? [[`${checked[Math.floor(i / 2)]}:${INSTRUMENT_IDS[i % 2]}`, t.data]] : [],
            ),
          ),
        })
      : undefined;
  return {
    data,
    pending: period !== null && pending,
    error,
    /** Teams left out of the change check (beyond TREND_TEAM_LIMIT). */
    unchecked: teamIds.length - checked.length,
    refetch: () => comparisons.forEach((c) => void c.refetch()),
  };
}
