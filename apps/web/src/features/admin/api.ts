/** Admin API: org, people, CSV import, schedules, outbox, audit log. Admins only on the server. */
import type {
  AdminGroup,
  AdminGroupsResponse,
  AdminPersonDetail,
  AdminTeam,
  AdminTeamsResponse,
  CreateGroupRequest,
  CreatePersonRequest,
  CreateTeamRequest,
  GroupDirectorsResponse,
  InvitationResponse,
  MembershipRole,
  TeamMember,
  TeamMembersResponse,
  UpdateGroupRequest,
  UpdatePersonRequest,
  UpdateTeamRequest,
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

// ---------------------------------------------------------------- changes to the organisation

const enc = encodeURIComponent;

/** After any change: the org tree, people lists, members and the audit log are all stale. */
function useAdminMutation<TVars, TResult>(mutationFn: (vars: TVars) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin'] }),
  });
}

export function useCreateGroup() {
  return useAdminMutation((body: CreateGroupRequest) =>
    apiRequest<AdminGroup>('/admin/groups', { method: 'POST', body }),
  );
}

export function useUpdateGroup() {
  return useAdminMutation(({ id, ...body }: UpdateGroupRequest & { id: string }) =>
    apiRequest<AdminGroup>(`/admin/groups/${enc(id)}`, { method: 'PATCH', body }),
  );
}

export function useCreateTeam() {
  return useAdminMutation((body: CreateTeamRequest) =>
    apiRequest<AdminTeam>('/admin/teams', { method: 'POST', body }),
  );
}

export function useUpdateTeam() {
  return useAdminMutation(({ id, ...body }: UpdateTeamRequest & { id: string }) =>
    apiRequest<AdminTeam>(`/admin/teams/${enc(id)}`, { method: 'PATCH', body }),
  );
}

export function useTeamMembers(teamId: string) {
  return useQuery({
    queryKey: ['admin', 'teams', teamId, 'members'] as const,
    queryFn: ({ signal }) =>
      apiRequest<TeamMembersResponse>(`/admin/teams/${enc(teamId)}/members`, { signal }),
  });
}

export function useSetMembership() {
  return useAdminMutation(
    ({ teamId, userId, role }: { teamId: string; userId: string; role: MembershipRole }) =>
      apiRequest<TeamMember>(`/admin/teams/${enc(teamId)}/members/${enc(userId)}`, {
        method: 'PUT',
        body: { role },
      }),
  );
}

export function useRemoveMembership() {
  return useAdminMutation(({ teamId, userId }: { teamId: string; userId: string }) =>
    apiRequest<void>(`/admin/teams/${enc(teamId)}/members/${enc(userId)}`, { method: 'DELETE' }),
  );
}

export function usePerson(userId: string) {
  return useQuery({
    queryKey: ['admin', 'people', 'detail', userId] as const,
    queryFn: ({ signal }) => apiRequest<AdminPersonDetail>(`/admin/people/${enc(userId)}`, { signal }),
  });
}

export function useCreatePerson() {
  return useAdminMutation((body: CreatePersonRequest) =>
    apiRequest<AdminPersonDetail>('/admin/people', { method: 'POST', body }),
  );
}

export function useUpdatePerson() {
  return useAdminMutation(({ id, ...body }: UpdatePersonRequest & { id: string }) =>
    apiRequest<AdminPersonDetail>(`/admin/people/${enc(id)}`, { method: 'PATCH', body }),
  );
}

export function useInvite() {
  return useAdminMutation((userId: string) =>
    apiRequest<InvitationResponse>(`/admin/people/${enc(userId)}/invitation`, { method: 'POST' }),
  );
}

export function useGroupDirectors(groupId: string) {
  return useQuery({
    queryKey: ['admin', 'groups', groupId, 'directors'] as const,
    queryFn: ({ signal }) =>
      apiRequest<GroupDirectorsResponse>(`/admin/groups/${enc(groupId)}/directors`, { signal }),
  });
}

export function useSetDirector() {
  return useAdminMutation(
    ({ groupId, userId, director }: { groupId: string; userId: string; director: boolean }) =>
      apiRequest<void>(`/admin/groups/${enc(groupId)}/directors/${enc(userId)}`, {
        method: director ? 'PUT' : 'DELETE',
      }),
  );
}
