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
import { adoptEarlyRequest, apiRequest } from '../../lib/api-client';

export const meQueryKey = ['auth', 'me'] as const;

/** GET /api/auth/me. A 401 is the normal "not signed in" answer, handled by RequireAuth. */
export function getMe(signal?: AbortSignal): Promise<UserSummary> {
  return apiRequest<UserSummary>('/auth/me', { redirectOn401: false, signal });
}

let early: { at: number; promise: Promise<UserSummary> } | null = null;

/**
 * Asks who is signed in as soon as the app's code runs (main.tsx), before React's first render,
 * so that the session check does not wait for it. Used once, by the first `me` query.
 */
export function prefetchMe(): void {
  // public/early.js has usually asked already, before this code finished downloading.
  const promise = adoptEarlyRequest<UserSummary>('/auth/me', { redirectOn401: false }) ?? getMe();
  promise.catch(() => {}); // handled when picked up
  early = { at: Date.now(), promise };
}

function fetchMe(signal: AbortSignal): Promise<UserSummary> {
  const started = early;
  early = null;
  if (started && Date.now() - started.at < 5_000) return started.promise;
  return getMe(signal);
}

export const meQuery = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => fetchMe(signal),
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
      early = null; // a session check from before signing in is out of date
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
      early = null;
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryKey, response.user);
    },
  });
}
