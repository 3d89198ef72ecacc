/** Session: sign in, sign out, and who is signed in. The session itself is an httpOnly cookie. */
import type {
  AuthProvidersResponse,
  LoginRequest,
  LoginResponse,
  PasswordResetRequest,
  SetPasswordWithTokenRequest,
  UserSummary,
} from '@candor/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

export const meQueryKey = ['auth', 'me'] as const;

/** GET /api/auth/me. A 401 is the normal "not signed in" answer, handled by RequireAuth. */
export function getMe(signal?: AbortSignal): Promise<UserSummary> {
  return apiRequest<UserSummary>('/auth/me', { redirectOn401: false, signal });
}

/**
 * Who is signed in. main.tsx starts it (`queryClient.prefetchQuery(meQuery)`) before React's
 * first render, so the session check does not wait for it; RequireAuth's query picks it up.
 */
export const meQuery = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => getMe(signal),
  staleTime: 5 * 60_000,
  retry: false,
});

export function useMe() {
  return useQuery(meQuery);
}

export function login(request: LoginRequest): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/login', { method: 'POST', body: request, redirectOn401: false });
}

export function logout(): Promise<void> {
  return apiRequest<void>('/auth/logout', { method: 'POST', redirectOn401: false });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (response) => {
      // Drops any session check from before signing in too (a prefetch still in flight included).
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryKey, response.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      // Whatever the server said, this browser forgets the session's data. RequireAuth then finds
      // no session and sends the person to /login.
      queryClient.clear();
    },
  });
}

// ---------------------------------------------------------------- accounts: links, reset, SSO

/** GET /api/auth/providers: password always; single sign-on when the installation configures it. */
export function useProviders() {
  return useQuery({
    queryKey: ['auth', 'providers'] as const,
    queryFn: ({ signal }) =>
      apiRequest<AuthProvidersResponse>('/auth/providers', { signal, redirectOn401: false }),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

/** POST /api/auth/password-reset: always "accepted" — whether the account exists is not revealed. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (request: PasswordResetRequest) =>
      apiRequest<void>('/auth/password-reset', {
        method: 'POST',
        body: request,
        credentials: 'omit',
        redirectOn401: false,
      }),
  });
}

export type LinkPurpose = 'invitation' | 'reset';

const LINK_PATHS: Record<LinkPurpose, string> = {
  invitation: '/auth/invitations/accept',
  reset: '/auth/password-reset/confirm',
};

/**
 * Redeems an invitation or reset link with the chosen password. The API answers as a sign-in
 * does (session cookie and the person), so the browser is signed in afterwards.
 */
export function useSetPasswordWithLink(purpose: LinkPurpose) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: SetPasswordWithTokenRequest) =>
      apiRequest<LoginResponse>(LINK_PATHS[purpose], {
        method: 'POST',
        body: request,
        redirectOn401: false,
        referrerPolicy: 'no-referrer',
      }),
    onSuccess: (response) => {
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryKey, response.user);
    },
  });
}
