/**
 * /admin/teams/:teamId — a team's members and leads: change a role, remove someone, or find a
 * person and add them as member or lead.
 */
import type { MembershipRole, TeamMember } from '@candor/contracts';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { DataTable } from '../../components/DataTable';
import { EmptyState, ErrorState, QueryState, Skeleton } from '../../components/states';
import { usePeople, useRemoveMembership, useSetMembership, useTeamMembers, useTeams } from './api';
import { describeFormError, FormAlert, SearchForm } from '../../components/forms';
import { RoleSelect } from './RoleSelect';
import { personPath } from './PeopleSection';
import { Section } from '../../components/Section';
import { SmallTeamNote } from './small-team';

export function TeamMembersPage() {
  const { teamId = '' } = useParams();
  const teams = useTeams();
  const members = useTeamMembers(teamId);
  const team = teams.data?.teams.find((t) => t.id === teamId);
  const [error, setError] = useState<string | null>(null);
  const setRole = useSetMembership();
  const remove = useRemoveMembership();
  const onError = (e: unknown) => setError(describeFormError(e, []).form);
  const list = members.data?.members ?? [];

  return (
    <Section title={team ? `Team ${team.name}` : 'Team'}>
      <p>
        <Link to="/admin">← Organisation</Link>
      </p>
      <p className="muted small">
        Changing someone’s role or removing them ends their sessions, so it applies on their next request. A
        team needs at least one lead to see its results.
      </p>
      {team && <SmallTeamNote team={team} />}
      <div aria-live="polite">
        <FormAlert message={error} />
      </div>
      <QueryState
        query={members}
        height={240}
        loadingLabel="Loading members…"
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState title="Nobody in this team yet">
            <p>Find people below and add them as member or lead.</p>
          </EmptyState>
        }
      >
        {() => (
          <DataTable
            label="Members (table)"
            caption={<>Members and leads of {team?.name ?? 'this team'}</>}
            columns={['Name', 'Email', 'Role', { label: 'Actions', hidden: true }]}
          >
            {list.map((m) => (
              <MemberRow
                key={m.userId}
                member={m}
                busy={setRole.isPending || remove.isPending}
                onRole={(role) => {
                  setError(null);
                  setRole.mutate({ teamId, userId: m.userId, role }, { onError });
                }}
                onRemove={() => {
                  setError(null);
                  remove.mutate({ teamId, userId: m.userId }, { onError });
                }}
              />
            ))}
          </DataTable>
        )}
      </QueryState>
      {(!team || team.active) && (
        <AddMember
          teamId={teamId}
          teamName={team?.name ?? 'this team'}
          memberIds={new Set(list.map((m) => m.userId))}
        />
      )}
    </Section>
  );
}

function MemberRow({
  member,
  busy,
  onRole,
  onRemove,
}: {
  member: TeamMember;
  busy: boolean;
  onRole: (role: MembershipRole) => void;
  onRemove: () => void;
}) {
  return (
    <tr role="row">
      <th scope="row" role="rowheader">
        <Link to={personPath(member.userId)}>{member.name}</Link>
        {!member.active && <span className="muted small"> (deactivated)</span>}
      </th>
      <td role="cell" className="data-table__email" data-label="Email">
        {member.email}
      </td>
      <td role="cell">
        <RoleSelect label={`Role of ${member.name}`} value={member.role} disabled={busy} onChange={onRole} />
      </td>
      <td role="cell">
        <button
          type="button"
          className="button button--ghost"
          disabled={busy}
          aria-label={`Remove ${member.name} from the team`}
          onClick={onRemove}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

function AddMember({
  teamId,
  teamName,
  memberIds,
}: {
  teamId: string;
  teamName: string;
  memberIds: Set<string>;
}) {
  const [q, setQ] = useState('');
  const people = usePeople(q, null);
  const add = useSetMembership();
  const [added, setAdded] = useState<string | null>(null);
  const candidates = q
    ? (people.data?.people ?? []).filter((p) => p.active && !memberIds.has(p.id)).slice(0, 10)
    : [];

  return (
    <div className="person__block">
      <h3 className="subheading">Add someone to {teamName}</h3>
      <SearchForm
        label="Find a person by name or email"
        submit="Find"
        formLabel="Find a person to add"
        onSearch={setQ}
      />
      <div aria-live="polite">
        {added && <p className="notice notice--success">{added}</p>}
        {add.isError && <FormAlert message={describeFormError(add.error, []).form} />}
      </div>
      {q && people.isPending && <Skeleton height={80} label="Searching…" />}
      {q && people.isError && <ErrorState error={people.error} onRetry={() => void people.refetch()} />}
      {q && people.isSuccess && candidates.length === 0 && (
        <p className="muted">Nobody active matches “{q}” who is not already in the team.</p>
      )}
      {candidates.length > 0 && (
        <ul className="membership-list" aria-label="People found">
          {candidates.map((p) => (
            <li key={p.id} className="membership-list__item">
              <span>
                {p.name} <span className="muted small break-all">{p.email}</span>
              </span>
              <span className="membership-list__controls">
                {(['member', 'lead'] as const).map((role) => (
                  <button
                    key={role}
                    type="button"
                    className="button button--secondary"
                    disabled={add.isPending}
                    aria-label={`Add ${p.name} as ${role}`}
                    onClick={() =>
                      add.mutate(
                        { teamId, userId: p.id, role },
                        { onSuccess: () => setAdded(`Added ${p.name} to ${teamName} as ${role}.`) },
                      )
                    }
                  >
                    Add as {role}
                  </button>
                ))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
