/** Admin API: org, people, CSV import, schedules, outbox, audit log. Admins only on the server. */
import type {
  AdminGroupsResponse,
  AdminTeamsResponse,
  AuditLogResponse,
  ImportApplyResponse,
  ImportReport,
  OutboxResponse,
  PeopleListResponse,
  ScheduleListResponse,
} from '@candor/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

export const PAGE_SIZE = 25;

export function useGroups() {
  return useQuery({
    queryKey: ['admin', 'groups'] as const,
    queryFn: ({ signal }) => apiRequest<AdminGroupsResponse>('/admin/groups', { signal }),
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['admin', 'teams'] as const,
    queryFn: ({ signal }) => apiRequest<AdminTeamsResponse>('/admin/teams', { signal }),
  });
}

export function usePeople(q: string, cursor: string | null) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (q) query.set('q', q);
  if (cursor) query.set('cursor', cursor);
  return useQuery({
    queryKey: ['admin', 'people', q, cursor] as const,
    queryFn: ({ signal }) => apiRequest<PeopleListResponse>(`/admin/people?${query}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAudit(action: string, cursor: string | null) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (action) query.set('action', action);
  if (cursor) query.set('cursor', cursor);
  return useQuery({
    queryKey: ['admin', 'audit', action, cursor] as const,
    queryFn: ({ signal }) => apiRequest<AuditLogResponse>(`/admin/audit?${query}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useOutbox(before: string | null) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (before) query.set('before', before);
  return useQuery({
    queryKey: ['admin', 'outbox', before] as const,
    queryFn: ({ signal }) => apiRequest<OutboxResponse>(`/admin/outbox?${query}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSchedules() {
  return useQuery({
    queryKey: ['admin', 'schedules'] as const,
    queryFn: ({ signal }) => apiRequest<ScheduleListResponse>('/schedules', { signal }),
  });
}

const csvRequest = (path: string, csv: string, createTeams: boolean) =>
  apiRequest<unknown>(`${path}?createTeams=${createTeams}`, {
    method: 'POST',
    body: csv,
    contentType: 'text/csv',
  });

export function useImportPreview() {
  return useMutation({
    mutationFn: ({ csv, createTeams }: { csv: string; createTeams: boolean }) =>
      csvRequest('/admin/import/preview', csv, createTeams) as Promise<ImportReport>,
  });
}

export function useImportApply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ csv, createTeams }: { csv: string; createTeams: boolean }) =>
      csvRequest('/admin/import/apply', csv, createTeams) as Promise<ImportApplyResponse>,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin'] }),
  });
}
