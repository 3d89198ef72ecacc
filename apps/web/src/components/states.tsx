/** Loading, empty and error states shared by the pages. */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError, NetworkError } from '../lib/api-client';

/** A placeholder of fixed height, so nothing moves when the content arrives. */
export function Skeleton({ height, label = 'Loading…' }: { height: number; label?: string }) {
  return (
    <div className="skeleton" style={{ height }} role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state__title">{title}</p>
      {children && <div className="empty-state__body">{children}</div>}
    </div>
  );
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'You do not have access to this.';
    if (error.status === 404)
      return 'This could not be found. It may have been removed, or the link is wrong.';
    return error.message;
  }
  if (error instanceof NetworkError) return error.message;
  return 'Something went wrong while loading this.';
}

export function ErrorState({
  error,
  title = 'Could not load this',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const retryable = !(error instanceof ApiError) || error.status >= 500 || error.status === 429;
  return (
    <div className="notice notice--error error-state" role="alert">
      <p className="error-state__title">{title}</p>
      <p>{describeError(error)}</p>
      {onRetry && retryable && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * A query's data, or its loading placeholder, its error (with a retry) or, when `isEmpty` says so,
 * the empty state: the order every list on the pages follows.
 */
export function QueryState<T>({
  query,
  height,
  loadingLabel,
  isEmpty,
  empty,
  children,
}: {
  query: Pick<UseQueryResult<T>, 'isPending' | 'isError' | 'error' | 'data' | 'refetch'>;
  /** Height of the placeholder while loading. */
  height: number;
  loadingLabel: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Skeleton height={height} label={loadingLabel} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const data = query.data as T;
  if (isEmpty?.(data)) return <>{empty}</>;
  return <>{children(data)}</>;
}
