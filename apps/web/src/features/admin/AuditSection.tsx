/** The audit log of admin changes and access denials, newest first. It never holds answers. */
import type { AuditEntry } from '@candor/contracts';
import { SearchForm } from '../../components/forms';
import { EmptyState } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useAudit } from './api';
import { PagedTable, useSearchedPages } from '../../components/PagedTable';
import { Section } from '../../components/Section';

const COLUMNS = [
  { header: 'When' },
  { header: 'Who' },
  { header: 'Action' },
  { header: 'Target' },
  { header: 'Details' },
];

export function AuditSection() {
  const { q: action, pages, search } = useSearchedPages();
  const audit = useAudit(action, pages.cursor);
  return (
    <Section title="Audit log">
      <SearchForm
        label="Only this action (e.g. access.denied)"
        submit="Filter"
        landmark={false}
        type="text"
        pattern="[a-z_.]*"
        onSearch={search}
      />
      <PagedTable
        query={audit}
        rows={(d) => d.entries}
        nextCursor={(d) => d.nextCursor}
        pages={pages}
        label="Audit log (table)"
        caption={`Audit log, newest first, page ${pages.page}`}
        columns={COLUMNS}
        renderRow={(e) => <AuditRow key={e.id} entry={e} />}
        loadingLabel="Loading the audit log…"
        empty={<EmptyState title="No entries" />}
        pagerLabels={{ previous: 'Newer', next: 'Older' }}
        showPage={false}
      />
    </Section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const detail = Object.entries(entry.detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
  return (
    <tr role="row">
      <th scope="row" role="rowheader">
        {formatDateTime(entry.at)}
      </th>
      <td role="cell" className="data-table__email" data-label="Who">
        {entry.actorEmail ?? 'system'}
      </td>
      <td role="cell" data-label="Action">
        <code>{entry.action}</code>
      </td>
      <td role="cell" className="data-table__email" data-label="Target">
        {entry.target ?? '—'}
      </td>
      <td role="cell" className="small data-table__email" data-label="Details">
        {detail || '—'}
      </td>
    </tr>
  );
}
