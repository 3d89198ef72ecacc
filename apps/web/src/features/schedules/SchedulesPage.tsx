/**
 * /schedules/* — the schedules a person manages (admins: all; leads: their teams), and the form to
 * create or edit one.
 */
import type { ScheduleView } from '@candor/contracts';
import { useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, QueryState, Skeleton } from '../../components/states';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useCurrentUser } from '../../lib/current-user';
import { useManagedSchedules, useOrgScopes, useSchedule } from './api';
import { ScheduleForm, formatOpening, type ScopeOption } from './ScheduleForm';
import { WEEKDAY_NAMES } from '../../lib/format';
import { INSTRUMENT_NAME } from '../../lib/survey-text';

export default function SchedulesPage() {
  const user = useCurrentUser();
  const ledTeams = user.teams.filter((t) => t.role === 'lead');
  if (!user.isAdmin && ledTeams.length === 0) {
    return (
      <div className="page">
        <h1>Schedules</h1>
        <EmptyState title="For team leads and admins">
          <p>Team leads schedule surveys for their teams; admins for any team or group.</p>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="page">
      <Routes>
        <Route index element={<ScheduleList />} />
        <Route path="new" element={<EditSchedule />} />
        <Route path=":scheduleId" element={<EditSchedule />} />
      </Routes>
    </div>
  );
}

function ScheduleList() {
  useDocumentTitle('Schedules');
  const schedules = useManagedSchedules();
  const [params] = useSearchParams();
  const teamId = params.get('teamId');
  const saved = params.get('saved');
  const list = (schedules.data?.schedules ?? []).filter((s) => !teamId || s.teamId === teamId);
  return (
    <>
      <div className="page-header">
        <h1>Schedules</h1>
        <p className="page-header__lede">When each team’s pulse surveys open, and for how long.</p>
      </div>
      <p>
        <Link
          className="button button--primary"
          to={`/schedules/new${teamId ? `?teamId=${encodeURIComponent(teamId)}` : ''}`}
        >
          New schedule
        </Link>
      </p>
      <div aria-live="polite">{saved && <p className="notice notice--success">Schedule saved.</p>}</div>
      <section className="card" aria-label="Your schedules">
        <QueryState
          query={schedules}
          height={240}
          loadingLabel="Loading schedules…"
          isEmpty={() => list.length === 0}
          empty={<EmptyState title="No schedules yet" />}
        >
          {() => (
            <ul className="plain-list schedule-list">
              {list.map((s) => (
                <ScheduleItem key={s.id} schedule={s} />
              ))}
            </ul>
          )}
        </QueryState>
      </section>
    </>
  );
}

function ScheduleItem({ schedule: s }: { schedule: ScheduleView }) {
  const next = s.nextOpenings[0];
  return (
    <li className="schedule-list__item">
      <strong>{s.teamName ?? s.groupName}</strong>{' '}
      <span className="muted small">({s.teamId ? 'team' : 'group'})</span>
      <br />
      {INSTRUMENT_NAME[s.instrument]}
      {s.trustSubject === 'lead' && ' (about the tech lead)'} · {s.cadence}, {WEEKDAY_NAMES[s.weekday - 1]}{' '}
      {String(s.hour).padStart(2, '0')}:00 ({s.timezone}) · k = {s.k}
      {!s.active && <strong> · paused</strong>}
      <br />
      <span className="muted small">
        {next ? `Next opens ${formatOpening(next.opensAt, s.timezone)}` : 'No openings (paused)'}
      </span>{' '}
      <Link
        to={`/schedules/${encodeURIComponent(s.id)}`}
        aria-label={`Edit the schedule for ${s.teamName ?? s.groupName}`}
      >
        Edit
      </Link>
    </li>
  );
}

/** The teams and groups this person may schedule. Admins load the whole organisation. */
function useScopes(): { teams: ScopeOption[]; groups: ScopeOption[]; pending: boolean; error: unknown } {
  const user = useCurrentUser();
  const { teams, groups } = useOrgScopes(user.isAdmin);
  if (!user.isAdmin) {
    return {
      teams: user.teams.filter((t) => t.role === 'lead').map((t) => ({ id: t.teamId, name: t.teamName })),
      groups: [],
      pending: false,
      error: null,
    };
  }
  const byName = (a: ScopeOption, b: ScopeOption) => a.name.localeCompare(b.name);
  return {
    teams: (teams.data?.teams ?? [])
      .filter((t) => t.active)
      .map((t) => ({ id: t.id, name: t.name }))
      .sort(byName),
    groups: (groups.data?.groups ?? []).map((g) => ({ id: g.id, name: g.name })).sort(byName),
    pending: teams.isPending || groups.isPending,
    error: teams.error ?? groups.error,
  };
}

function EditSchedule() {
  const { scheduleId } = useParams();
  useDocumentTitle(scheduleId ? 'Edit schedule' : 'New schedule');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const schedule = useSchedule(scheduleId);
  const scopes = useScopes();
  const [formKey] = useState(() => scheduleId ?? 'new');
  return (
    <>
      <nav className="page-header__eyebrow" aria-label="Breadcrumb">
        <Link to="/schedules">Schedules</Link> <span aria-hidden="true">/</span> {scheduleId ? 'Edit' : 'New'}
      </nav>
      <h1>{scheduleId ? 'Edit schedule' : 'New schedule'}</h1>
      <section className="card">
        {scopes.pending || (scheduleId && schedule.isPending) ? (
          <Skeleton height={480} label="Loading…" />
        ) : schedule.isError || scopes.error ? (
          <ErrorState error={schedule.error ?? scopes.error} />
        ) : (
          <ScheduleForm
            key={formKey}
            schedule={schedule.data}
            teams={scopes.teams}
            groups={scopes.groups}
            initialTeamId={params.get('teamId') ?? undefined}
            onSaved={() => void navigate('/schedules?saved=1')}
          />
        )}
      </section>
    </>
  );
}
