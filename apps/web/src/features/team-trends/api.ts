/** A team's trend per instrument: closed cycles (released or suppressed cells) and the open cycle. */
import type {
  ActionItem,
  ActionListResponse,
  ActionOwnersResponse,
  CreateActionRequest,
  UpdateActionRequest,
  InstrumentId,
  ItemBreakdownResponse,
  PooledTrendResponse,
  TeamTrendResponse,
} from '@candor/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { adoptEarlyRequest, apiRequest, type RequestOptions } from '../../lib/api-client';

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

/** Item means (and, from n ≥ 10, answer distributions) of one closed cycle. */
export function getItemBreakdown(teamId: string, cycleId: string, signal?: AbortSignal) {
  return apiRequest<ItemBreakdownResponse>(
    `/teams/${encodeURIComponent(teamId)}/cycles/${encodeURIComponent(cycleId)}/items`,
    { signal },
  );
}

export function useItemBreakdown(teamId: string, cycleId: string | null) {
  return useQuery({
    queryKey: ['teams', teamId, 'cycles', cycleId, 'items'] as const,
    queryFn: ({ signal }) => getItemBreakdown(teamId, cycleId!, signal),
    enabled: cycleId !== null,
    staleTime: 5 * 60_000,
  });
}

/**
 * The trend pooled over blocks of consecutive closed cycles (leads only). The block size is fixed
 * per team by the API (`poolSize`): pools of two sizes over the same cycles could be differenced
 * to reveal a suppressed cycle, so there is no size to choose.
 */
export function getPooledTrend(teamId: string, instrument: InstrumentId, signal?: AbortSignal) {
  const query = new URLSearchParams({ instrument });
  return apiRequest<PooledTrendResponse>(`/teams/${encodeURIComponent(teamId)}/trend/pooled?${query}`, {
    signal,
  });
}

export function usePooledTrend(teamId: string, instrument: InstrumentId) {
  return useQuery({
    queryKey: ['teams', teamId, 'trend', instrument, 'pooled'] as const,
    queryFn: ({ signal }) => getPooledTrend(teamId, instrument, signal),
    staleTime: 60_000,
  });
}

const actionsKey = (teamId: string) => ['teams', teamId, 'actions'] as const;

/** The team's actions with owner, due date and status (everyone who sees the results). */
export function useTeamActions(teamId: string) {
  return useQuery({
    queryKey: actionsKey(teamId),
    queryFn: ({ signal }) =>
      apiRequest<ActionListResponse>(`/teams/${encodeURIComponent(teamId)}/actions`, { signal }),
    staleTime: 30_000,
  });
}

/** Who may own one of the team's actions (leads only). */
export function useActionOwners(teamId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['teams', teamId, 'action-owners'] as const,
    queryFn: ({ signal }) =>
      apiRequest<ActionOwnersResponse>(`/teams/${encodeURIComponent(teamId)}/action-owners`, { signal }),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** After an action changes: its list, and the trends that draw it, are out of date. */
function useInvalidateActions(teamId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: actionsKey(teamId) }),
      queryClient.invalidateQueries({ queryKey: ['teams', teamId, 'trend'] }),
    ]);
}

export function useCreateAction(teamId: string) {
  const invalidate = useInvalidateActions(teamId);
  return useMutation({
    mutationFn: (body: CreateActionRequest) =>
      apiRequest<ActionItem>(`/teams/${encodeURIComponent(teamId)}/actions`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateAction(teamId: string) {
  const invalidate = useInvalidateActions(teamId);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateActionRequest }) =>
      apiRequest<ActionItem>(`/teams/${encodeURIComponent(teamId)}/actions/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body,
      }),
    onSuccess: invalidate,
  });
}
