import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RouterProvider, createBrowserRouter } from 'react-router';
import { currentPath, loginPath, setUnauthorizedHandler } from '../lib/api-client';
import { createQueryClient } from './query-client';
import { createRoutes } from './routes';

type Router = ReturnType<typeof createBrowserRouter>;

/**
 * When a signed-in request gets a 401 the session has ended: forget cached data and go to the
 * sign-in page, remembering where the person was.
 */
export function installUnauthorizedHandler(router: Router, queryClient: QueryClient): () => void {
  return setUnauthorizedHandler(() => {
    // During a navigation (a route loader's prefetch got the 401) the person is on their way to
    // the new page: remember that one, not the page they are leaving.
    const going = router.state.navigation.location;
    const here = going ? `${going.pathname}${going.search}${going.hash}` : currentPath();
    if (here.startsWith('/login')) return;
    // Forget first: the sign-in page must not see the old session in the cache and bounce back.
    queryClient.clear();
    void router.navigate(loginPath(here), { replace: true });
  });
}

/** `queryClient`: the one main.tsx has already started the session check in (a new one when absent). */
export function App({ queryClient: given }: { queryClient?: QueryClient }) {
  const [queryClient] = useState(() => given ?? createQueryClient());
  const [router] = useState(() => createBrowserRouter(createRoutes(queryClient)));
  useEffect(() => installUnauthorizedHandler(router, queryClient), [router, queryClient]);

  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
