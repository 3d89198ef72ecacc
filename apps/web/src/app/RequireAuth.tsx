import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState } from '../components/states';
import { isApiError, loginPath } from '../lib/api-client';
import { useMe } from '../features/auth/api';
import { CurrentUserContext } from '../lib/current-user';

/** Renders its children only for a signed-in person; otherwise sends them to /login?next=… */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <div className="boot" role="status" aria-live="polite">
        <span className="brand__mark" aria-hidden="true" />
        <span className="visually-hidden">Loading Candor…</span>
      </div>
    );
  }
  if (me.isError) {
    if (isApiError(me.error, 401)) {
      return <Navigate to={loginPath(`${location.pathname}${location.search}${location.hash}`)} replace />;
    }
    return (
      <main className="page page--narrow" id="main">
        <ErrorState error={me.error} title="Could not reach Candor" onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return <CurrentUserContext.Provider value={me.data}>{children}</CurrentUserContext.Provider>;
}
