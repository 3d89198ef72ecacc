/**
 * /admin/* — organisation, people, CSV import, schedules, outbox and audit log. Admins configure;
 * nothing here shows an individual answer (the API has none to show).
 */
import type { AuditEntry, ImportIssue, ImportReport, ImportSummary, OutboxMessage } from '@candor/contracts';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, NavLink, Route, Routes } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDate, formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../auth/current-user';
import {
  PAGE_SIZE,
  useAudit,
  useGroups,
  useImportApply,
  useImportPreview,
  useOutbox,
  usePeople,
  useSchedules,
  useTeams,
} from './api';
import { buildOrgTree, type OrgNode } from './org-tree';

const SECTIONS = [
  { path: '', label: 'Organisation' },
  { path: 'people', label: 'People' },
  { path: 'import', label: 'CSV import' },
  { path: 'schedules', label: 'Schedules' },
  { path: 'outbox', label: 'Outbox' },
  { path: 'audit', label: 'Audit log' },
];

export default function AdminPage() {
  const user = useCurrentUser();
  if (!user.isAdmin) {
    return (
      <div className="page">
        <h1>Administration</h1>
        <EmptyState title="For admins only">
          <p>Ask an admin if you need to change the organisation, people or schedules.</p>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="page">
      <div className="page-header">
        <h1>Administration</h1>
        <p className="page-header__lede">
          Set up the organisation, people and survey schedules. Admins never see individual answers.
        </p>
      </div>
      <nav className="subnav" aria-label="Administration">
        {SECTIONS.map((s) => (
          <NavLink key={s.path} to={`/admin${s.path ? `/${s.path}` : ''}`} end className="subnav__link">
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<OrgSection />} />
        <Route path="people" element={<PeopleSection />} />
        <Route path="import" element={<ImportSection />} />
        <Route path="schedules" element={<SchedulesSection />} />
        <Route path="outbox" element={<OutboxSection />} />
        <Route path="audit" element={<AuditSection />} />
      </Routes>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(`${title} · Administration`);
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        {title}
      </h2>
      {children}
    </section>
  );
}

// ---------------------------------------------------------------- organisation

function OrgSection() {
  const groups = useGroups();
  const teams = useTeams();
  return (
    <Section title="Organisation">
      {groups.isPending || teams.isPending ? (
        <Skeleton height={320} label="Loading the organisation…" />
      ) : groups.isError || teams.isError ? (
        <ErrorState
          error={groups.error ?? teams.error}
          onRetry={() => void (groups.refetch(), teams.refetch())}
        />
      ) : groups.data.groups.length === 0 ? (
        <EmptyState title="No groups yet">
          <p>Import a CSV of people and teams to create the organisation.</p>
        </EmptyState>
      ) : (
        <>
          <p className="muted">
            {groups.data.groups.length} groups, {teams.data.teams.length} teams. Members and leads per team.
          </p>
          <ul className="org-tree" aria-label="Organisation tree">
            {buildOrgTree(groups.data.groups, teams.data.teams).map((node) => (
              <OrgBranch key={node.group.id} node={node} />
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

function OrgBranch({ node }: { node: OrgNode }) {
  return (
    <li>
      <span className="org-tree__group">{node.group.name}</span>
      {(node.children.length > 0 || node.teams.length > 0) && (
        <ul>
          {node.children.map((child) => (
            <OrgBranch key={child.group.id} node={child} />
          ))}
          {node.teams.map((team) => (
            <li key={team.id} className="org-tree__team">
              {team.name}{' '}
              <span className="muted small">
                · {team.memberCount} {team.memberCount === 1 ? 'member' : 'members'}, {team.leadCount}{' '}
                {team.leadCount === 1 ? 'lead' : 'leads'}
                {!team.active && ' · inactive'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

// ---------------------------------------------------------------- people

function PeopleSection() {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const people = usePeople(q, cursors.at(-1)!);
  const searchId = useId();
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setQ(search.trim());
    setCursors([null]);
  };
  return (
    <Section title="People">
      <form className="search-form" role="search" onSubmit={onSearch}>
        <label htmlFor={searchId}>Search by name or email</label>
        <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <button type="submit" className="button button--secondary">
          Search
        </button>
      </form>
      {people.isPending ? (
        <Skeleton height={400} label="Loading people…" />
      ) : people.isError ? (
        <ErrorState error={people.error} onRetry={() => void people.refetch()} />
      ) : people.data.people.length === 0 ? (
        <EmptyState title={q ? `Nobody matches “${q}”` : 'No people yet'} />
      ) : (
        <>
          <div className="table-scroll" role="region" aria-label="People (table)" tabIndex={0}>
            <table className="data-table">
              <caption className="visually-hidden">
                People{q ? ` matching “${q}”` : ''}, page {cursors.length}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Added</th>
                </tr>
              </thead>
              <tbody>
                {people.data.people.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      {p.name} {p.isAdmin && <span className="badge">Admin</span>}
                    </th>
                    <td>{p.email}</td>
                    <td>
                      {!p.active ? 'Deactivated' : p.hasPassword ? 'Active' : 'Invited (no password yet)'}
                    </td>
                    <td>{formatDate(p.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button
              type="button"
              className="button button--secondary"
              disabled={cursors.length === 1}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Previous
            </button>
            <span className="muted small" aria-live="polite">
              Page {cursors.length}
            </span>
            <button
              type="button"
              className="button button--secondary"
              disabled={!people.data.nextCursor}
              onClick={() => setCursors((c) => [...c, people.data.nextCursor])}
            >
              Next
            </button>
          </div>
        </>
      )}
    </Section>
  );
}

// ---------------------------------------------------------------- CSV import

const SAMPLE = 'email,name,team,role,group\nada@example.com,Ada Lovelace,Platform,lead,Acme/Engineering';

function ImportSection() {
  const [csv, setCsv] = useState('');
  const [createTeams, setCreateTeams] = useState(true);
  const preview = useImportPreview();
  const apply = useImportApply();
  const ids = { file: useId(), text: useId(), create: useId() };
  const previewed =
    preview.data && preview.variables?.csv === csv && preview.variables.createTeams === createTeams;

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setCsv(await file.text());
    preview.reset();
    apply.reset();
  };

  return (
    <Section title="CSV import">
      <p className="muted">
        One row per person and team: <code>email,name,team,role,group</code> (role: member or lead; group as a
        path such as <code>Acme/Product/Payments</code>). Preview first: nothing is written until you apply,
        and apply changes everything or nothing.
      </p>
      <div className="import-form">
        <div className="field">
          <label htmlFor={ids.file}>CSV file</label>
          <input
            id={ids.file}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.text}>Or paste the CSV</label>
          <textarea
            id={ids.text}
            rows={6}
            value={csv}
            placeholder={SAMPLE}
            spellCheck={false}
            onChange={(e) => {
              setCsv(e.target.value);
              apply.reset();
            }}
          />
        </div>
        <label className="checkbox" htmlFor={ids.create}>
          <input
            id={ids.create}
            type="checkbox"
            checked={createTeams}
            onChange={(e) => setCreateTeams(e.target.checked)}
          />{' '}
          Create teams and groups that do not exist yet
        </label>
        <div className="import-form__actions">
          <button
            type="button"
            className="button button--secondary"
            disabled={!csv.trim() || preview.isPending}
            onClick={() => {
              apply.reset();
              preview.mutate({ csv, createTeams });
            }}
          >
            {preview.isPending ? 'Checking…' : 'Preview'}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={!previewed || !preview.data?.ok || apply.isPending || apply.isSuccess}
            onClick={() => apply.mutate({ csv, createTeams })}
          >
            {apply.isPending ? 'Applying…' : 'Apply'}
          </button>
        </div>
      </div>
      <div aria-live="polite">
        {preview.isError && <ErrorState error={preview.error} title="Could not check the file" />}
        {apply.isError && <ErrorState error={apply.error} title="Nothing was applied" />}
        {apply.isSuccess ? (
          <div className="notice notice--success">
            <p>
              <strong>Applied.</strong> <SummaryText summary={apply.data.summary} />
            </p>
          </div>
        ) : (
          previewed && preview.data && <ImportPreview report={preview.data} />
        )}
      </div>
    </Section>
  );
}

function SummaryText({ summary }: { summary: ImportSummary }) {
  const { people, groups, teams, memberships } = summary;
  return (
    <>
      {summary.rows} {summary.rows === 1 ? 'row' : 'rows'}: {people.create} people to create, {people.update}{' '}
      to update, {people.unchanged} unchanged; {groups.create} groups and {teams.create} teams to create;
      memberships {memberships.add} added, {memberships.changeRole} role changes, {memberships.remove}{' '}
      removed.
    </>
  );
}

function ImportPreview({ report }: { report: ImportReport }) {
  return (
    <div className="import-preview">
      <p className={report.ok ? 'notice notice--success' : 'notice notice--error'}>
        {report.ok
          ? 'No errors: apply will make these changes. '
          : `${report.errorCount} ${report.errorCount === 1 ? 'error' : 'errors'}: fix the file and preview again. `}
        <SummaryText summary={report.summary} />
      </p>
      {report.errors.length > 0 && (
        <IssueTable title="Errors" issues={report.errors} total={report.errorCount} />
      )}
      {report.warnings.length > 0 && (
        <IssueTable title="Warnings" issues={report.warnings} total={report.warningCount} />
      )}
    </div>
  );
}

function IssueTable({ title, issues, total }: { title: string; issues: ImportIssue[]; total: number }) {
  return (
    <div className="table-scroll" role="region" aria-label={`${title} (table)`} tabIndex={0}>
      <table className="data-table">
        <caption>
          {title}
          {total > issues.length ? ` (first ${issues.length} of ${total})` : ` (${total})`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((issue, i) => (
            <tr key={`${issue.line}-${issue.column}-${i}`}>
              <th scope="row">{issue.line ?? 'File'}</th>
              <td>{issue.column ?? '—'}</td>
              <td>{issue.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------- schedules

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const INSTRUMENT_NAMES = { 'psych-safety': 'Psychological safety', 'trust-equation': 'Trust' } as const;

function SchedulesSection() {
  const schedules = useSchedules();
  return (
    <Section title="Schedules">
      <p>
        <Link className="button button--primary" to="/schedules/new">
          New schedule
        </Link>
      </p>
      {schedules.isPending ? (
        <Skeleton height={320} label="Loading schedules…" />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />
      ) : schedules.data.schedules.length === 0 ? (
        <EmptyState title="No schedules yet" />
      ) : (
        <div className="table-scroll" role="region" aria-label="Schedules (table)" tabIndex={0}>
          <table className="data-table">
            <caption className="visually-hidden">Survey schedules with their next openings</caption>
            <thead>
              <tr>
                <th scope="col">For</th>
                <th scope="col">Survey</th>
                <th scope="col">When</th>
                <th scope="col">k</th>
                <th scope="col">Next openings</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {schedules.data.schedules.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.teamName ?? s.groupName}{' '}
                    <span className="muted small">({s.teamId ? 'team' : 'group'})</span>
                  </th>
                  <td>
                    {INSTRUMENT_NAMES[s.instrument]}
                    {s.trustSubject === 'lead' && ' (about the tech lead)'}
                  </td>
                  <td>
                    {s.cadence}, {WEEKDAYS[s.weekday]} {String(s.hour).padStart(2, '0')}:00 ({s.timezone}),
                    open {s.windowDays} {s.windowDays === 1 ? 'day' : 'days'}
                    {!s.active && <strong> · paused</strong>}
                  </td>
                  <td className="num">{s.k}</td>
                  <td>
                    {s.nextOpenings.length === 0 ? (
                      <span className="muted">none (paused)</span>
                    ) : (
                      <ul className="plain-list">
                        {s.nextOpenings.slice(0, 3).map((o) => (
                          <li key={o.opensAt}>{formatDateTime(o.opensAt)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <Link
                      to={`/schedules/${encodeURIComponent(s.id)}`}
                      aria-label={`Edit the schedule for ${s.teamName ?? s.groupName}`}
                    >
                      Edit
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

// ---------------------------------------------------------------- outbox

function OutboxSection() {
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const outbox = useOutbox(pages.at(-1)!);
  const messages = outbox.data?.messages ?? [];
  return (
    <Section title="Outbox">
      <p className="muted">Email written here because no SMTP server is configured, newest first.</p>
      {outbox.isPending ? (
        <Skeleton height={320} label="Loading the outbox…" />
      ) : outbox.isError ? (
        <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : messages.length === 0 ? (
        <EmptyState title="The outbox is empty" />
      ) : (
        <>
          <ul className="outbox">
            {messages.map((m) => (
              <OutboxItem key={m.id} message={m} />
            ))}
          </ul>
          <div className="pager">
            <button
              type="button"
              className="button button--secondary"
              disabled={pages.length === 1}
              onClick={() => setPages((p) => p.slice(0, -1))}
            >
              Newer
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={messages.length < PAGE_SIZE}
              onClick={() => setPages((p) => [...p, messages.at(-1)!.id])}
            >
              Older
            </button>
          </div>
        </>
      )}
    </Section>
  );
}

function OutboxItem({ message }: { message: OutboxMessage }) {
  return (
    <li className="outbox__item">
      <details>
        <summary>
          <span className="outbox__subject">{message.subject}</span>{' '}
          <span className="muted small">
            to {message.to} · {message.kind} · {formatDateTime(message.createdAt)}
          </span>
        </summary>
        <pre className="outbox__text">{message.text}</pre>
      </details>
    </li>
  );
}

// ---------------------------------------------------------------- audit log

function AuditSection() {
  const [filter, setFilter] = useState('');
  const [action, setAction] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const audit = useAudit(action, cursors.at(-1)!);
  const filterId = useId();
  return (
    <Section title="Audit log">
      <form
        className="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          setAction(filter.trim());
          setCursors([null]);
        }}
      >
        <label htmlFor={filterId}>Only this action (e.g. access.denied)</label>
        <input
          id={filterId}
          type="text"
          value={filter}
          pattern="[a-z_.]*"
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="submit" className="button button--secondary">
          Filter
        </button>
      </form>
      {audit.isPending ? (
        <Skeleton height={400} label="Loading the audit log…" />
      ) : audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : audit.data.entries.length === 0 ? (
        <EmptyState title="No entries" />
      ) : (
        <>
          <div className="table-scroll" role="region" aria-label="Audit log (table)" tabIndex={0}>
            <table className="data-table">
              <caption className="visually-hidden">Audit log, newest first, page {cursors.length}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.entries.map((e) => (
                  <AuditRow key={e.id} entry={e} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button
              type="button"
              className="button button--secondary"
              disabled={cursors.length === 1}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              Newer
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={!audit.data.nextCursor}
              onClick={() => setCursors((c) => [...c, audit.data.nextCursor])}
            >
              Older
            </button>
          </div>
        </>
      )}
    </Section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const detail = Object.entries(entry.detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
  return (
    <tr>
      <th scope="row">{formatDateTime(entry.at)}</th>
      <td>{entry.actorEmail ?? 'system'}</td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td>{entry.target ?? '—'}</td>
      <td className="small">{detail || '—'}</td>
    </tr>
  );
}
