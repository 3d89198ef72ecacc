/** The team page's other reads and the action mutations (the trend itself: lib/team-trend.ts). */
import type {
  ActionItem,
  ActionListResponse,
  ActionOwnersResponse,
  CreateActionRequest,
  UpdateActionRequest,
  InstrumentId,
  ItemBreakdownResponse,
  PooledTrendResponse,
} from '@candor/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

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
