/**
 * /admin/* — organisation, people, CSV import, schedules, reported comments, outbox and audit log. Admins configure;
 * nothing here shows an individual answer (the API has none to show). Each section is its own
 * file in this folder.
 */
import { Link, NavLink, Route, Routes } from 'react-router';
import { EmptyState } from '../../components/states';
import { useCurrentUser } from '../../lib/current-user';
import { AuditSection } from './AuditSection';
import { useCommentModeration } from './comment-reports-api';
import { CommentReportsSection } from './CommentReportsSection';
import { ImportSection } from './ImportSection';
import { OrgSection } from './OrgSection';
import { OutboxSection } from './OutboxSection';
import { PeopleSection } from './PeopleSection';
import { PersonPage } from './PersonPage';
import { SchedulesSection } from './SchedulesSection';
import { TeamMembersPage } from './TeamMembersPage';

const SECTIONS = [
  { path: '', label: 'Organisation' },
  { path: 'people', label: 'People' },
  { path: 'import', label: 'CSV import' },
  { path: 'schedules', label: 'Schedules' },
  { path: 'comments', label: 'Reported comments' },
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
      <OpenReportsAlert />
      <nav className="subnav" aria-label="Administration">
        {SECTIONS.map((s) => (
          <NavLink
            key={s.path}
            to={`/admin${s.path ? `/${s.path}` : ''}`}
            end={s.path !== 'people'}
            className="subnav__link"
          >
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<OrgSection />} />
        <Route path="teams/:teamId" element={<TeamMembersPage />} />
        <Route path="people" element={<PeopleSection />} />
        <Route path="people/:userId" element={<PersonPage />} />
        <Route path="import" element={<ImportSection />} />
        <Route path="schedules" element={<SchedulesSection />} />
        <Route path="comments" element={<CommentReportsSection />} />
        <Route path="outbox" element={<OutboxSection />} />
        <Route path="audit" element={<AuditSection />} />
      </Routes>
    </div>
  );
}

/** Open abuse reports wait for an admin: said on every admin page until they are resolved. */
function OpenReportsAlert() {
  const open = useCommentModeration().data?.openReports ?? 0;
  if (open === 0) return null;
  return (
    <div className="notice notice--warn" role="status">
      <p>
        {open === 1 ? 'One reported comment waits' : `${open} reported comments wait`} for a decision.{' '}
        <Link to="/admin/comments">Review reported comments</Link>
      </p>
    </div>
  );
}
