/**
 * /admin/people/:userId — one person: name and email, invitation, deactivation (with a confirm
 * step), team memberships with their roles, and the groups they direct.
 */
import type { AdminPersonDetail, MembershipRole } from '@candor/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ErrorState, Skeleton } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../../lib/current-user';
import {
  useGroups,
  useInvite,
  usePerson,
  useRemoveMembership,
  useSetDirector,
  useSetMembership,
  useTeams,
  useUpdatePerson,
} from './api';
import {
  describeFormError,
  emailProblem,
  FormAlert,
  OptionsField,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../components/forms';
import { ROLE_OPTIONS, RoleSelect } from './RoleSelect';
import { groupPaths } from './org-tree';
import { personStatus } from './PeopleSection';
import { Section } from '../../components/Section';

export function PersonPage() {
  const { userId = '' } = useParams();
  const person = usePerson(userId);
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice ?? null;
  return (
    <Section title={person.data ? person.data.name : 'Person'}>
      <p>
        <Link to="/admin/people">← All people</Link>
      </p>
      {notice && (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      )}
      {person.isPending ? (
        <Skeleton height={400} label="Loading this person…" />
      ) : person.isError ? (
        <ErrorState error={person.error} onRetry={() => void person.refetch()} />
      ) : (
        <PersonDetail person={person.data} />
      )}
    </Section>
  );
}

function PersonDetail({ person }: { person: AdminPersonDetail }) {
  return (
    <div className="person">
      <p>
        <span className="muted">Status:</span> <strong>{personStatus(person)}</strong>
        {person.isAdmin && <span className="badge">Admin</span>}
      </p>
      <DetailsForm key={`${person.name}|${person.email}`} person={person} />
      <AccessPanel person={person} />
      <Memberships person={person} />
      <DirectorScopes person={person} />
    </div>
  );
}

function DetailsForm({ person }: { person: AdminPersonDetail }) {
  const update = useUpdatePerson();
  const [name, setName] = useState(person.name);
  const [email, setEmail] = useState(person.email);
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const changed = name.trim() !== person.name || email.trim().toLowerCase() !== person.email;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    setSaved(false);
    const errors: FieldErrors = {};
    if (!name.trim()) errors.name = 'Enter their name.';
    const emailError = emailProblem(email);
    if (emailError) errors.email = emailError;
    setFields(errors);
    if (errors.name || errors.email) return;
    const body: { id: string; name?: string; email?: string } = { id: person.id };
    if (name.trim() !== person.name) body.name = name.trim();
    if (email.trim().toLowerCase() !== person.email) body.email = email.trim();
    update.mutate(body, {
      onSuccess: () => setSaved(true),
      onError: (error) => {
        const described = describeFormError(error, ['name', 'email']);
        setFields(described.fields);
        setFormError(described.form);
      },
    });
  };

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-label="Name and email">
      <h3 className="subheading">Name and email</h3>
      <FormAlert message={formError} />
      <div className="inline-form__fields">
        <TextField
          label="Name"
          value={name}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <TextField
          label="Work email"
          type="email"
          value={email}
          maxLength={254}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email}
          hint="They sign in with this address; single sign-on matches people by it."
        />
      </div>
      <div className="inline-form__actions">
        <button type="submit" className="button button--primary" disabled={!changed || update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
        <span aria-live="polite" className="muted small">
          {saved && !changed ? 'Saved.' : ''}
        </span>
      </div>
    </form>
  );
}

/** Invitation and deactivation: what decides whether this person can sign in. */
function AccessPanel({ person }: { person: AdminPersonDetail }) {
  const me = useCurrentUser();
  const invite = useInvite();
  const update = useUpdatePerson();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const self = person.id === me.id;

  const setActive = (active: boolean) =>
    update.mutate(
      { id: person.id, active },
      {
        onSuccess: () => {
          setConfirming(false);
          toggleRef.current?.focus();
        },
      },
    );

  return (
    <div className="person__block">
      <h3 className="subheading">Signing in</h3>
      {person.active ? (
        <>
          <p className="muted">
            {person.hasPassword
              ? 'They have a password. A new invitation link lets them choose another one.'
              : 'They have not set a password yet. The invitation email holds a link to set one; it works once.'}
          </p>
          <div className="inline-form__actions">
            <button
              type="button"
              className="button button--secondary"
              disabled={invite.isPending}
              onClick={() => invite.mutate(person.id)}
            >
              {invite.isPending
                ? 'Sending…'
                : person.hasPassword
                  ? 'Send a new invitation link'
                  : 'Send invitation'}
            </button>
            {!self && (
              <button
                ref={toggleRef}
                type="button"
                className="button button--danger"
                aria-expanded={confirming}
                onClick={() => setConfirming(true)}
              >
                Deactivate…
              </button>
            )}
          </div>
          <div aria-live="polite">
            {invite.isSuccess && (
              <p className="notice notice--success">
                Invitation sent to {person.email}. The link works once, until{' '}
                {formatDateTime(invite.data.expiresAt)}.
              </p>
            )}
            {invite.isError && <FormAlert message={describeFormError(invite.error, []).form} />}
          </div>
          {confirming && (
            <div
              ref={confirmRef}
              tabIndex={-1}
              className="confirm"
              role="group"
              aria-labelledby="confirm-deactivate-title"
            >
              <p id="confirm-deactivate-title">
                <strong>Deactivate {person.name}?</strong>
              </p>
              <ul className="small">
                <li>They cannot sign in any more, and their open sessions end at once.</li>
                <li>They get no invitations, reminders or new surveys.</li>
                <li>
                  History is kept: their memberships stay on record, past results keep their answers (which
                  were never linked to them), and the audit log keeps what they did.
                </li>
                <li>You can reactivate them at any time.</li>
              </ul>
              <FormAlert message={update.isError ? describeFormError(update.error, []).form : null} />
              <div className="inline-form__actions">
                <button
                  type="button"
                  className="button button--danger"
                  disabled={update.isPending}
                  onClick={() => setActive(false)}
                >
                  {update.isPending ? 'Deactivating…' : `Deactivate ${person.name}`}
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  onClick={() => {
                    setConfirming(false);
                    toggleRef.current?.focus();
                  }}
                >
                  Cancel
                </button>
              </div>
            </div>
          )}
        </>
      ) : (
        <>
          <p className="muted">
            Deactivated: they cannot sign in and get no invitations or surveys. Their history is kept.
          </p>
          <FormAlert message={update.isError ? describeFormError(update.error, []).form : null} />
          <button
            ref={toggleRef}
            type="button"
            className="button button--secondary"
            disabled={update.isPending}
            onClick={() => setActive(true)}
          >
            {update.isPending ? 'Reactivating…' : 'Reactivate'}
          </button>
        </>
      )}
    </div>
  );
}

function Memberships({ person }: { person: AdminPersonDetail }) {
  const teams = useTeams();
  const setRole = useSetMembership();
  const remove = useRemoveMembership();
  const [teamId, setTeamId] = useState('');
  const [role, setNewRole] = useState<MembershipRole>('member');
  const [error, setError] = useState<string | null>(null);
  const available = (teams.data?.teams ?? [])
    .filter((t) => t.active && !person.memberships.some((m) => m.teamId === t.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  const onError = (e: unknown) => setError(describeFormError(e, []).form);

  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!teamId) return setError('Choose a team.');
    setRole.mutate({ teamId, userId: person.id, role }, { onSuccess: () => setTeamId(''), onError });
  };

  return (
    <div className="person__block">
      <h3 className="subheading">Teams</h3>
      <p className="muted small">
        A lead sees their team’s results and sets its schedules; a member answers and sees released results.
        Changing a role ends the person’s sessions, so it applies on their next request.
      </p>
      <FormAlert message={error} />
      {person.memberships.length === 0 ? (
        <p>Not in any team.</p>
      ) : (
        <ul className="membership-list">
          {person.memberships.map((m) => (
            <li key={m.teamId} className="membership-list__item">
              <Link to={`/admin/teams/${encodeURIComponent(m.teamId)}`}>{m.teamName}</Link>
              {!m.teamActive && <span className="muted small"> (inactive team)</span>}
              <div className="membership-list__controls">
                <RoleSelect
                  label={`Role in ${m.teamName}`}
                  value={m.role}
                  disabled={setRole.isPending}
                  onChange={(role) =>
                    setRole.mutate({ teamId: m.teamId, userId: person.id, role }, { onError })
                  }
                />
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={`Remove from ${m.teamName}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ teamId: m.teamId, userId: person.id }, { onError })}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {person.active && (
        <form className="inline-form inline-form--row" onSubmit={onAdd} noValidate aria-label="Add to a team">
          <SelectField label="Add to team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">Choose a team…</option>
            {available.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
          <OptionsField
            label="As"
            value={role}
            options={ROLE_OPTIONS}
            onChange={(e) => setNewRole(e.target.value as MembershipRole)}
          />
          <button type="submit" className="button button--secondary" disabled={setRole.isPending}>
            Add to team
          </button>
        </form>
      )}
    </div>
  );
}

function DirectorScopes({ person }: { person: AdminPersonDetail }) {
  const groups = useGroups();
  const setDirector = useSetDirector();
  const [groupId, setGroupId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const paths = groupPaths(groups.data?.groups ?? []).filter(
    (p) => !person.directorOf.some((d) => d.groupId === p.id),
  );
  const onError = (e: unknown) => setError(describeFormError(e, []).form);
  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!groupId) return setError('Choose a group.');
    setDirector.mutate(
      { groupId, userId: person.id, director: true },
      { onSuccess: () => setGroupId(''), onError },
    );
  };
  return (
    <div className="person__block">
      <h3 className="subheading">Director of</h3>
      <p className="muted small">
        A director sees the results of every team in their groups and the groups below them, and compares
        them.
      </p>
      <FormAlert message={error} />
      {person.directorOf.length === 0 ? (
        <p>No groups.</p>
      ) : (
        <ul className="membership-list">
          {person.directorOf.map((d) => (
            <li key={d.groupId} className="membership-list__item">
              {d.groupName}
              <span className="membership-list__controls">
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={`Stop directing ${d.groupName}`}
                  disabled={setDirector.isPending}
                  onClick={() =>
                    setDirector.mutate(
                      { groupId: d.groupId, userId: person.id, director: false },
                      { onError },
                    )
                  }
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {person.active && (
        <form
          className="inline-form inline-form--row"
          onSubmit={onAdd}
          noValidate
          aria-label="Make director of a group"
        >
          <SelectField label="Make director of" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            <option value="">Choose a group…</option>
            {paths.map((p) => (
              <option key={p.id} value={p.id}>
                {p.path}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="button button--secondary" disabled={setDirector.isPending}>
            Add scope
          </button>
        </form>
      )}
    </div>
  );
}
