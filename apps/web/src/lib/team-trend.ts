/** A team's trend per instrument: closed cycles (released or suppressed cells) and the open cycle. */
import type { InstrumentId, TeamTrendResponse } from '@candor/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from './api-client';

/** The trend's path under /api (public/early.js builds the same one). */
export function trendPath(teamId: string, instrument: InstrumentId): string {
  return `/teams/${encodeURIComponent(teamId)}/trend?${new URLSearchParams({ instrument })}`;
}

export function getTeamTrend(teamId: string, instrument: InstrumentId, signal?: AbortSignal) {
  return apiRequest<TeamTrendResponse>(trendPath(teamId, instrument), { signal });
}

/**
 * One cache for the trend: the team route's loader starts it (`queryClient.prefetchQuery`, see
 * app/routes.tsx) in parallel with the page's code and the session check, and the page's
 * `useTeamTrend` picks up the same request or its cached answer (fresh for a minute).
 */
export const teamTrendQuery = (teamId: string, instrument: InstrumentId) =>
  queryOptions({
    queryKey: ['teams', teamId, 'trend', instrument] as const,
    queryFn: ({ signal }) => getTeamTrend(teamId, instrument, signal),
    staleTime: 60_000,
  });

export function useTeamTrend(teamId: string, instrument: InstrumentId) {
  return useQuery(teamTrendQuery(teamId, instrument));
}
