/** Schedules API: list, one, preview the next openings, create and update (admins and team leads). */
import type {
  AdminGroupsResponse,
  AdminTeamsResponse,
  CreateScheduleRequest,
  ScheduleListResponse,
  SchedulePreviewResponse,
  ScheduleView,
} from '@candor/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

export function useManagedSchedules() {
  return useQuery({
    queryKey: ['schedules', 'list'] as const,
    queryFn: ({ signal }) => apiRequest<ScheduleListResponse>('/schedules', { signal }),
  });
}

export function useSchedule(scheduleId: string | undefined) {
  return useQuery({
    queryKey: ['schedules', 'one', scheduleId] as const,
    queryFn: ({ signal }) =>
      apiRequest<ScheduleView>(`/schedules/${encodeURIComponent(scheduleId!)}`, { signal }),
    enabled: scheduleId !== undefined,
  });
}

/** The next openings of the schedule as it stands in the form; `body` null while there is nothing to ask. */
export function useSchedulePreview(body: Partial<CreateScheduleRequest> | null) {
  return useQuery({
    queryKey: ['schedules', 'preview', body] as const,
    queryFn: ({ signal }) =>
      apiRequest<SchedulePreviewResponse>('/schedules/preview', { method: 'POST', body, signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useSaveSchedule(scheduleId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateScheduleRequest) =>
      scheduleId
        ? apiRequest<ScheduleView>(`/schedules/${encodeURIComponent(scheduleId)}`, { method: 'PATCH', body })
        : apiRequest<ScheduleView>('/schedules', { method: 'POST', body }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['schedules'] }),
        queryClient.invalidateQueries({ queryKey: ['admin', 'schedules'] }),
      ]),
  });
}

/** Admins only: every team and group, to choose a schedule's scope from (same cache as the admin pages). */
export function useOrgScopes(enabled: boolean) {
  const teams = useQuery({
    queryKey: ['admin', 'teams'] as const,
    queryFn: ({ signal }) => apiRequest<AdminTeamsResponse>('/admin/teams', { signal }),
    enabled,
  });
  const groups = useQuery({
    queryKey: ['admin', 'groups'] as const,
    queryFn: ({ signal }) => apiRequest<AdminGroupsResponse>('/admin/groups', { signal }),
    enabled,
  });
  return { teams, groups };
}
