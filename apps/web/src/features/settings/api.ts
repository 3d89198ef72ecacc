/** Personal preferences and team Slack webhooks. */
import type {
  ChangePasswordRequest,
  PreferencesResponse,
  TeamSlackRequest,
  TeamSlackResponse,
  UpdatePreferencesRequest,
} from '@candor/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

const preferencesKey = ['me', 'preferences'] as const;

export function usePreferences() {
  return useQuery({
    queryKey: preferencesKey,
    queryFn: ({ signal }) => apiRequest<PreferencesResponse>('/me/preferences', { signal }),
  });
}

export function useUpdatePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdatePreferencesRequest) =>
      apiRequest<PreferencesResponse>('/me/preferences', { method: 'PATCH', body }),
    onSuccess: (data) => queryClient.setQueryData(preferencesKey, data),
  });
}

const slackKey = (teamId: string) => ['teams', teamId, 'slack'] as const;

export function useTeamSlack(teamId: string) {
  return useQuery({
    queryKey: slackKey(teamId),
    queryFn: ({ signal }) =>
      apiRequest<TeamSlackResponse>(`/teams/${encodeURIComponent(teamId)}/slack`, { signal }),
  });
}

export function useSetTeamSlack(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamSlackRequest) =>
      apiRequest<TeamSlackResponse>(`/teams/${encodeURIComponent(teamId)}/slack`, { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(slackKey(teamId), data),
  });
}

/**
 * POST /api/auth/password. On success every session of the person ends, this one included: the
 * browser forgets everything it held for the session.
 */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordRequest) =>
      apiRequest<void>('/auth/password', { method: 'POST', body, redirectOn401: false }),
    onSuccess: () => queryClient.clear(),
  });
}
