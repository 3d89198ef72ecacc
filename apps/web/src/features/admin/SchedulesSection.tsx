/** Survey schedules with their next openings; editing happens on /schedules. */
import { Link } from 'react-router';
import { DataTable } from '../../components/DataTable';
import { EmptyState, QueryState } from '../../components/states';
import { formatDateTime, WEEKDAY_NAMES } from '../../lib/format';
import { useSchedules } from './api';
import { Section } from '../../components/Section';
import { INSTRUMENT_NAME } from '../../lib/survey-text';

export function SchedulesSection() {
  const schedules = useSchedules();
  return (
    <Section title="Schedules">
      <p>
        <Link className="button button--primary" to="/schedules/new">
          New schedule
        </Link>
      </p>
      <QueryState
        query={schedules}
        height={320}
        loadingLabel="Loading schedules…"
        isEmpty={(d) => d.schedules.length === 0}
        empty={<EmptyState title="No schedules yet" />}
      >
        {(data) => (
          <DataTable
            label="Schedules (table)"
            caption="Survey schedules with their next openings"
            columns={['For', 'Survey', 'When', 'k', 'Next openings', { label: 'Actions', hidden: true }]}
          >
            {data.schedules.map((s) => (
              <tr key={s.id} role="row">
                <th scope="row" role="rowheader">
                  {s.teamName ?? s.groupName}{' '}
                  <span className="muted small">({s.teamId ? 'team' : 'group'})</span>
                </th>
                <td role="cell" data-label="Survey">
                  {INSTRUMENT_NAME[s.instrument]}
                  {s.trustSubject === 'lead' && ' (about the tech lead)'}
                </td>
                <td role="cell" data-label="When">
                  {s.cadence}, {WEEKDAY_NAMES[s.weekday - 1]} {String(s.hour).padStart(2, '0')}:00 (
                  {s.timezone}), open {s.windowDays} {s.windowDays === 1 ? 'day' : 'days'}
                  {!s.active && <strong> · paused</strong>}
                </td>
                <td role="cell" className="num" data-label="k">
                  {s.k}
                </td>
                <td role="cell" data-label="Next openings">
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
                <td role="cell">
                  <Link
                    to={`/schedules/${encodeURIComponent(s.id)}`}
                    aria-label={`Edit the schedule for ${s.teamName ?? s.groupName}`}
                  >
                    Edit
                  </Link>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </Section>
  );
}
