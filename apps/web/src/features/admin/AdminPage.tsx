/**
 * /admin/* — organisation, people, CSV import, schedules, outbox and audit log. Admins configure;
 * nothing here shows an individual answer (the API has none to show). Each section is its own
 * file in this folder.
 */
import { NavLink, Route, Routes } from 'react-router';
import { EmptyState } from '../../components/states';
import { useCurrentUser } from '../../lib/current-user';
import { AuditSection } from './AuditSection';
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
        <Route path="outbox" element={<OutboxSection />} />
        <Route path="audit" element={<AuditSection />} />
      </Routes>
    </div>
  );
}
