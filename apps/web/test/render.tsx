/** Renders a page the way the app does: query client, router, a signed-in user. */
import type { UserSummary } from '@candor/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { RouterProvider, createMemoryRouter, type RouteObject } from 'react-router';
import { createQueryClient } from '../src/app/query-client';
import { RequireAuth } from '../src/app/RequireAuth';
import { meQueryKey } from '../src/features/auth/api';

export interface RenderOptions {
  /** Where the router starts. */
  url: string;
  /** Route pattern for `ui`, e.g. '/surveys/:cycleId'. */
  path: string;
  /** Pre-loaded session; null renders as signed out. */
  user?: UserSummary | null;
  /** Extra routes, e.g. a marker page to assert navigation. */
  routes?: RouteObject[];
}

export function renderRoute(ui: ReactElement, options: RenderOptions) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false, refetchOnWindowFocus: false },
  });
  if (options.user) queryClient.setQueryData(meQueryKey, options.user);
  const router = createMemoryRouter(
    [
      { path: options.path, element: options.user ? <RequireAuth>{ui}</RequireAuth> : ui },
      ...(options.routes ?? []),
      { path: '*', element: <p>Elsewhere</p> },
    ],
    { initialEntries: [options.url] },
  );
  const result: RenderResult = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, queryClient };
}
