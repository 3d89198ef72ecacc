/**
 * A data table in its scrollable, focusable region, with a caption for assistive technology and
 * the ARIA roles that keep it a table when it stacks into labelled rows on a phone
 * (`.data-table--stack`: give each cell a `data-label`).
 */
import type { ReactNode } from 'react';
import { TableHead, type HeadColumn } from './TableHead';

export function DataTable({
  label,
  caption,
  columns,
  children,
}: {
  /** Accessible name of the scrollable region, e.g. "People (table)". */
  label: string;
  caption: ReactNode;
  columns: readonly (string | HeadColumn)[];
  /** The rows. */
  children: ReactNode;
}) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="data-table data-table--stack" role="table">
        <caption className="visually-hidden">{caption}</caption>
        <TableHead columns={columns} />
        <tbody role="rowgroup">{children}</tbody>
      </table>
    </div>
  );
}
