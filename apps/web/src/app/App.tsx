import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RouterProvider, createBrowserRouter } from 'react-router';
import { currentPath, loginPath, setUnauthorizedHandler } from '../lib/api-client';
import { createQueryClient } from './query-client';
import { routes } from './routes';

type Router = ReturnType<typeof createBrowserRouter>;

/**
 * When a signed-in request gets a 401 the session has ended: forget cached data and go to the
 * sign-in page, remembering where the person was.
 */
export function installUnauthorizedHandler(router: Router, queryClient: QueryClient): () => void {
  return setUnauthorizedHandler(() => {
    const here = currentPath();
    if (here.startsWith('/login')) return;
    // Forget first: the sign-in page must not see the old session in the cache and bounce back.
    queryClient.clear();
    void router.navigate(loginPath(here), { replace: true });
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  useEffect(() => installUnauthorizedHandler(router, queryClient), [router, queryClient]);

  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
