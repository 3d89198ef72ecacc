/** A team's trend per instrument: closed cycles (released or suppressed cells) and the open cycle. */
import type { InstrumentId, TeamTrendResponse } from '@candor/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

export function getTeamTrend(teamId: string, instrument: InstrumentId, signal?: AbortSignal) {
  const query = new URLSearchParams({ instrument });
  return apiRequest<TeamTrendResponse>(`/teams/${encodeURIComponent(teamId)}/trend?${query}`, { signal });
}

export const teamTrendQuery = (teamId: string, instrument: InstrumentId) =>
  queryOptions({
    queryKey: ['teams', teamId, 'trend', instrument] as const,
    queryFn: ({ signal }) => getTeamTrend(teamId, instrument, signal),
    staleTime: 60_000,
  });

export function useTeamTrend(teamId: string, instrument: InstrumentId) {
  return useQuery(teamTrendQuery(teamId, instrument));
}
