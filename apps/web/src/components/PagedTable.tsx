/**
 * The admin lists page with the server's cursor (and, on a phone, stack each row: give each cell a
 * `data-label` and the row, header and cells their ARIA roles, which the stacked layout keeps): a stack of cursors (the first page has none),
 * "previous" pops, "next" pushes the cursor the server returned. One component renders the
 * loading, error and empty states, the scrollable table and the pager.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { DataTable } from './DataTable';
import { QueryState } from './states';

export interface CursorPages {
  /** The cursor of the page on screen; null for the first page. */
  cursor: string | null;
  /** 1-based page number. */
  page: number;
  next(cursor: string): void;
  previous(): void;
  /** Back to the first page, e.g. after a new search. */
  reset(): void;
}

export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    next: (cursor) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([null]),
  };
}

/** A search term and the pages of its results: a new search goes back to the first page. */
export function useSearchedPages(): { q: string; pages: CursorPages; search: (q: string) => void } {
  const [q, setQ] = useState('');
  const pages = useCursorPages();
  return {
    q,
    pages,
    search: (text) => {
      setQ(text);
      pages.reset();
    },
  };
}

export function Pager({
  pages,
  nextCursor,
  labels = { previous: 'Previous', next: 'Next' },
  showPage = true,
}: {
  pages: CursorPages;
  nextCursor: string | null;
  labels?: { previous: string; next: string };
  showPage?: boolean;
}) {
  return (
    <div className="pager">
      <button
        type="button"
        className="button button--secondary"
        disabled={pages.page === 1}
        onClick={pages.previous}
      >
        {labels.previous}
      </button>
      {showPage && (
        <span className="muted small" aria-live="polite">
          Page {pages.page}
        </span>
      )}
      <button
        type="button"
        className="button button--secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        {labels.next}
      </button>
    </div>
  );
}

export interface Column {
  /** Column heading; visually hidden when `hidden` (e.g. an actions column). */
  header: string;
  hidden?: boolean;
  className?: string;
}

export function PagedTable<TData, TRow>({
  query,
  rows,
  nextCursor,
  pages,
  label,
  caption,
  columns,
  renderRow,
  loadingLabel,
  empty,
  pagerLabels,
  showPage,
}: {
  query: UseQueryResult<TData>;
  rows: (data: TData) => TRow[];
  nextCursor: (data: TData) => string | null;
  pages: CursorPages;
  /** Accessible name of the scrollable region, e.g. "People (table)". */
  label: string;
  caption: string;
  columns: Column[];
  renderRow: (row: TRow) => ReactNode;
  loadingLabel: string;
  empty: ReactNode;
  pagerLabels?: { previous: string; next: string };
  showPage?: boolean;
}) {
  return (
    <QueryState
      query={query}
      height={400}
      loadingLabel={loadingLabel}
      isEmpty={(d) => rows(d).length === 0}
      empty={empty}
    >
      {(data) => (
        <>
          <DataTable
            label={label}
            caption={caption}
            columns={columns.map((c) => ({ label: c.header, hidden: c.hidden, className: c.className }))}
          >
            {rows(data).map(renderRow)}
          </DataTable>
          <Pager pages={pages} nextCursor={nextCursor(data)} labels={pagerLabels} showPage={showPage} />
        </>
      )}
    </QueryState>
  );
}
