import type { UserSummary } from '@candor/contracts';
import { createContext, useContext } from 'react';

/**
 * The signed-in person, provided by RequireAuth. A context (rather than reading the query cache)
 * keeps pages stable while the cache is cleared on sign-out, until RequireAuth unmounts them.
 */
export const CurrentUserContext = createContext<UserSummary | null>(null);

export function useCurrentUser(): UserSummary {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser() must be used inside RequireAuth');
  return user;
}
