/** A team's trend per instrument: closed cycles (released or suppressed cells) and the open cycle. */
import type { InstrumentId, TeamTrendResponse } from '@candor/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { adoptEarlyRequest, apiRequest, type RequestOptions } from './api-client';

function trendPath(teamId: string, instrument: InstrumentId): string {
  return `/teams/${encodeURIComponent(teamId)}/trend?${new URLSearchParams({ instrument })}`;
}

export function getTeamTrend(
  teamId: string,
  instrument: InstrumentId,
  signal?: AbortSignal,
  options: Pick<RequestOptions, 'redirectOn401'> = {},
) {
  return apiRequest<TeamTrendResponse>(trendPath(teamId, instrument), { signal, ...options });
}

/** Trend requests started early (route loader), waiting to be picked up by the page's query. */
const early = new Map<string, { at: number; promise: Promise<TeamTrendResponse> }>();
const EARLY_MAX_AGE_MS = 15_000;

/**
 * Starts a trend request before the page (and the session check) has loaded, so that the two
 * run in parallel. It never redirects by itself: if it fails, the page simply asks again, and
 * that request handles a 401 the usual way.
 */
export function prefetchTeamTrend(teamId: string, instrument: InstrumentId): void {
  const key = `${teamId}:${instrument}`;
  const existing = early.get(key);
  if (existing && Date.now() - existing.at < EARLY_MAX_AGE_MS) return;
  // On a page load at /teams/:id, public/early.js has usually sent this request already.
  const promise =
    adoptEarlyRequest<TeamTrendResponse>(trendPath(teamId, instrument), { redirectOn401: false }) ??
    getTeamTrend(teamId, instrument, undefined, { redirectOn401: false });
  promise.catch(() => {}); // handled when picked up
  early.set(key, { at: Date.now(), promise });
}

async function fetchTeamTrend(teamId: string, instrument: InstrumentId, signal: AbortSignal) {
  const key = `${teamId}:${instrument}`;
  const started = early.get(key);
  early.delete(key);
  if (started && Date.now() - started.at < EARLY_MAX_AGE_MS) {
    try {
      return await started.promise;
    } catch {
      // Ask again below; that request reports errors (and a 401) normally.
    }
  }
  return getTeamTrend(teamId, instrument, signal);
}

export const teamTrendQuery = (teamId: string, instrument: InstrumentId) =>
  queryOptions({
    queryKey: ['teams', teamId, 'trend', instrument] as const,
    queryFn: ({ signal }) => fetchTeamTrend(teamId, instrument, signal),
    staleTime: 60_000,
  });

export function useTeamTrend(teamId: string, instrument: InstrumentId) {
  return useQuery(teamTrendQuery(teamId, instrument));
}
