/**
 * Data for the director's home: one request, `GET /api/groups/:groupId/overview?period=YYYY-MM`,
 * which the API composes (both instruments' comparisons, the teams' changes, worst first, the
 * "where to look" list), and the group's months for the period picker.
 */
import type { GroupOverviewResponse, GroupTrendResponse } from '@candor/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

/** The whole overview, its BH family across both instruments, and the where-to-look list. */
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

export function useDirectorOverview(groupId: string, period: string | null) {
  const overview = useQuery({
    ...groupOverviewQuery(groupId, period ?? ''),
    enabled: period !== null,
    placeholderData: keepPreviousData,
  });
  return {
    data: overview.data,
    pending: period !== null && overview.isPending,
    error: overview.error,
    refetch: () => void overview.refetch(),
  };
}
