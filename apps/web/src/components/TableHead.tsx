/**
 * The head of a data table, with explicit ARIA roles: tables that stack into labelled rows on a
 * phone (`.data-table--stack`, the statements table, the overview grid) change their CSS display,
 * and the roles keep them tables for assistive technology.
 */
import type { ReactNode } from 'react';

export interface HeadColumn {
  /** Heading text (or content); shown to screen readers only when `hidden`. */
  label: ReactNode;
  hidden?: boolean;
  className?: string;
  ariaSort?: 'ascending' | 'descending';
}

export function TableHead({ columns }: { columns: readonly (string | HeadColumn)[] }) {
  return (
    <thead role="rowgroup">
      <tr role="row">
        {columns.map((column, i) => {
          const c = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={i} scope="col" role="columnheader" className={c.className} aria-sort={c.ariaSort}>
              {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
