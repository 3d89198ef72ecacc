/** Director views of a group: the teams × dimensions comparison for a month, and the group's months. */
import type {
  GroupComparisonResponse,
  GroupTrendResponse,
  InstrumentId,
  ReliabilityResponse,
} from '@candor/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

const comparisonQuery = (instrument: InstrumentId, period: string) =>
  new URLSearchParams({ instrument, period });

export function useGroupComparison(groupId: string, instrument: InstrumentId, period: string | null) {
  return useQuery({
    queryKey: ['groups', groupId, 'comparison', instrument, period] as const,
    queryFn: ({ signal }) =>
      apiRequest<GroupComparisonResponse>(
        `/groups/${encodeURIComponent(groupId)}/comparison?${comparisonQuery(instrument, period!)}`,
        { signal },
      ),
    enabled: period !== null && groupId !== '',
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** Months with at least one closed cycle in the group, oldest first: the period picker's options. */
export function useGroupTrend(groupId: string, instrument: InstrumentId, months = 24) {
  return useQuery({
    queryKey: ['groups', groupId, 'trend', instrument, months] as const,
    queryFn: ({ signal }) =>
      apiRequest<GroupTrendResponse>(
        `/groups/${encodeURIComponent(groupId)}/trend?${new URLSearchParams({ instrument, months: String(months) })}`,
        { signal },
      ),
    enabled: groupId !== '',
    staleTime: 5 * 60_000,
  });
}

/** Cronbach's α of an instrument's statements per month for the group (released where n ≥ 30). */
export function useGroupReliability(groupId: string, instrument: InstrumentId, months: number) {
  return useQuery({
    queryKey: ['groups', groupId, 'reliability', instrument, months] as const,
    queryFn: ({ signal }) =>
      apiRequest<ReliabilityResponse>(
        `/groups/${encodeURIComponent(groupId)}/reliability?${new URLSearchParams({ instrument, months: String(months) })}`,
        { signal },
      ),
    enabled: groupId !== '',
    staleTime: 5 * 60_000,
  });
}
