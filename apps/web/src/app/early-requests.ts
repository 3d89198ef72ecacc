import { INSTRUMENT_IDS, type TeamTrendResponse, type UserSummary } from '@candor/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { meQuery } from '../features/auth/api';
import { adoptEarlyRequest } from '../lib/api-client';
import { teamTrendQuery, trendPath } from '../lib/team-trend';

/**
 * Hands the requests that public/early.js sent, before the app's code had even downloaded, to the
 * query client — once, at start-up, before the router runs. From then on the query client is the
 * only cache: the team route's loader and the pages find these queries already in flight (or
 * answered). An early request that failed leaves its query in error, and the next prefetch or
 * page asks again in the ordinary way (a 401 then handled as usual); no retry of the adopted
 * promise itself, which would only fail again. See docs/benchmarks.md
 * ("Dashboard") for why early.js stays: without it the trend request leaves ~400 ms later.
 */
export function adoptEarlyRequests(queryClient: QueryClient, pathname = window.location.pathname): void {
  const me = adoptEarlyRequest<UserSummary>('/auth/me', { redirectOn401: false });
  if (me) void queryClient.prefetchQuery({ ...meQuery, queryFn: () => me, retry: false });

  const match = /^\/teams\/([^/]+)\/?$/.exec(pathname);
  if (!match) return;
  let teamId: string;
  try {
    teamId = decodeURIComponent(match[1]!);
  } catch {
    return;
  }
  for (const instrument of INSTRUMENT_IDS) {
    const trend = adoptEarlyRequest<TeamTrendResponse>(trendPath(teamId, instrument), {
      redirectOn401: false,
    });
    if (trend)
      void queryClient.prefetchQuery({
        ...teamTrendQuery(teamId, instrument),
        queryFn: () => trend,
        retry: false,
      });
  }
}
