/**
 * The organisation: the tree of groups and teams, and the forms to create, rename and move them.
 * Moves that would make a loop are refused by the API; its message shows beside the field.
 */
import type { AdminGroup, AdminTeam } from '@candor/contracts';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useCreateGroup, useCreateTeam, useGroups, useTeams, useUpdateGroup, useUpdateTeam } from './api';
import {
  CheckboxField,
  describeFormError,
  FormAlert,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../components/forms';
import { buildOrgTree, groupPaths, type OrgNode } from './org-tree';
import { Section } from '../../components/Section';
import { smallTeamText } from './small-team';

type Panel = { kind: 'new-group' } | { kind: 'new-team' } | null;

export function OrgSection() {
  const groups = useGroups();
  const teams = useTeams();
  const [panel, setPanel] = useState<Panel>(null);
  const [done, setDone] = useState<string | null>(null);
  const ready = groups.isSuccess && teams.isSuccess;

  const finish = (message: string) => {
    setPanel(null);
    setDone(message);
  };

  return (
    <Section
      title="Organisation"
      actions={
        ready && (
          <div className="card__actions">
            <button
              type="button"
              className="button button--secondary"
              aria-expanded={panel?.kind === 'new-group'}
              onClick={() => {
                setDone(null);
                setPanel(panel?.kind === 'new-group' ? null : { kind: 'new-group' });
              }}
            >
              New group
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={groups.data.groups.length === 0}
              aria-expanded={panel?.kind === 'new-team'}
              onClick={() => {
                setDone(null);
                setPanel(panel?.kind === 'new-team' ? null : { kind: 'new-team' });
              }}
            >
              New team
            </button>
          </div>
        )
      }
    >
      <div aria-live="polite">{done && <p className="notice notice--success">{done}</p>}</div>
      {ready && panel?.kind === 'new-group' && (
        <GroupForm groups={groups.data.groups} onDone={finish} onCancel={() => setPanel(null)} />
      )}
      {ready && panel?.kind === 'new-team' && (
        <TeamForm groups={groups.data.groups} onDone={finish} onCancel={() => setPanel(null)} />
      )}
      {groups.isPending || teams.isPending ? (
        <Skeleton height={320} label="Loading the organisation…" />
      ) : groups.isError || teams.isError ? (
        <ErrorState
          error={groups.error ?? teams.error}
          onRetry={() => void (groups.refetch(), teams.refetch())}
        />
      ) : groups.data.groups.length === 0 ? (
        <EmptyState title="No groups yet">
          <p>
            Create the top group (your organisation) with “New group”, or import a CSV of people and teams.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="muted">
            {groups.data.groups.length} groups, {teams.data.teams.length} teams. Members and leads per team.
          </p>
          <ul className="org-tree" aria-label="Organisation tree">
            {buildOrgTree(groups.data.groups, teams.data.teams).map((node) => (
              <OrgBranch key={node.group.id} node={node} groups={groups.data.groups} onDone={setDone} />
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

/** The "Edit" link of a row of the tree, and what closes its form (done, with a message, or cancelled). */
function useEditing(onDone: (message: string) => void) {
  const [editing, setEditing] = useState(false);
  return {
    editing,
    button: (label: string) => (
      <button
        type="button"
        className="button button--link small"
        aria-expanded={editing}
        aria-label={label}
        onClick={() => setEditing(!editing)}
      >
        Edit
      </button>
    ),
    close: () => setEditing(false),
    done: (message: string) => {
      setEditing(false);
      onDone(message);
    },
  };
}

function OrgBranch({
  node,
  groups,
  onDone,
}: {
  node: OrgNode;
  groups: AdminGroup[];
  onDone: (message: string) => void;
}) {
  const edit = useEditing(onDone);
  return (
    <li>
      <div className="org-tree__row">
        <span className="org-tree__group">{node.group.name}</span>
        {edit.button(`Edit group ${node.group.name}`)}
      </div>
      {edit.editing && (
        <GroupForm groups={groups} group={node.group} onDone={edit.done} onCancel={edit.close} />
      )}
      {(node.children.length > 0 || node.teams.length > 0) && (
        <ul>
          {node.children.map((child) => (
            <OrgBranch key={child.group.id} node={child} groups={groups} onDone={onDone} />
          ))}
          {node.teams.map((team) => (
            <TeamLeaf key={team.id} team={team} groups={groups} onDone={onDone} />
          ))}
        </ul>
      )}
    </li>
  );
}

function TeamLeaf({
  team,
  groups,
  onDone,
}: {
  team: AdminTeam;
  groups: AdminGroup[];
  onDone: (message: string) => void;
}) {
  const edit = useEditing(onDone);
  return (
    <li className="org-tree__team">
      <div className="org-tree__row">
        <span>
          {team.name}{' '}
          <span className="muted small">
            · {team.memberCount} {team.memberCount === 1 ? 'member' : 'members'}, {team.leadCount}{' '}
            {team.leadCount === 1 ? 'lead' : 'leads'}
            {!team.active && ' · inactive'}
          </span>
          {smallTeamText(team) && (
            <span className="org-tree__warning" role="note">
              <span aria-hidden="true">⚠ </span>
              {smallTeamText(team)}
            </span>
          )}
        </span>
        <span className="org-tree__actions">
          <Link
            className="small"
            to={`/admin/teams/${encodeURIComponent(team.id)}`}
            aria-label={`Members of ${team.name}`}
          >
            Members
          </Link>
          {edit.button(`Edit team ${team.name}`)}
        </span>
      </div>
      {edit.editing && <TeamForm groups={groups} team={team} onDone={edit.done} onCancel={edit.close} />}
    </li>
  );
}

const ROOT = '';

/** What the group and team forms are given by the tree or the "New" buttons. */
interface FormPanelProps {
  groups: AdminGroup[];
  onDone: (message: string) => void;
  onCancel: () => void;
}

/** Only the fields that differ from `current`: an edit sends the API what changed and nothing else. */
function changes<T extends Record<string, unknown>>(current: T, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) if (next[key] !== current[key]) out[key] = next[key];
  return out;
}

/** Create a group (no `group`) or rename/move one. */
function GroupForm({ groups, group, onDone, onCancel }: FormPanelProps & { group?: AdminGroup }) {
  const create = useCreateGroup();
  const update = useUpdateGroup();

  const save = (name: string, parentId: string) => {
    const parent = parentId === ROOT ? null : parentId;
    if (!group) return create.mutateAsync({ name, parentId: parent });
    return update.mutateAsync({
      id: group.id,
      ...changes({ name: group.name, parentId: group.parentId }, { name, parentId: parent }),
    });
  };

  return (
    <OrgForm
      kind="group"
      current={group}
      place={{
        field: 'parentId',
        label: 'Inside',
        initial: group ? (group.parentId ?? ROOT) : (groups[0]?.id ?? ROOT),
        choices: [
          { id: ROOT, path: 'Nothing (a top-level group)' },
          ...groupPaths(groups).filter((p) => p.id !== group?.id),
        ],
      }}
      focusErrors
      pending={create.isPending || update.isPending}
      save={save}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

/** Create a team (no `team`) or rename/move one to another group. */
function TeamForm({ groups, team, onDone, onCancel }: FormPanelProps & { team?: AdminTeam }) {
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const paths = groupPaths(groups);
  const [active, setActive] = useState(team?.active ?? true);

  const save = (name: string, groupId: string) => {
    if (!team) return create.mutateAsync({ name, groupId });
    return update.mutateAsync({
      id: team.id,
      ...changes({ name: team.name, groupId: team.groupId, active: team.active }, { name, groupId, active }),
    });
  };

  return (
    <OrgForm
      kind="team"
      current={team}
      place={{
        field: 'groupId',
        label: 'In group',
        initial: team?.groupId ?? paths[0]?.id ?? '',
        choices: paths,
      }}
      sayWhere
      pending={create.isPending || update.isPending}
      save={save}
      onDone={onDone}
      onCancel={onCancel}
    >
      {team && (
        <CheckboxField
          label="Active: surveyed and shown in people’s team lists (an inactive team keeps its history)"
          checked={active}
          onChange={(e) => setActive(e.target.checked)}
        />
      )}
    </OrgForm>
  );
}

/**
 * What the group and team forms share: a name, the group it sits in, the errors beside them, and
 * the message once the API has saved it.
 */
function OrgForm({
  kind,
  current,
  place,
  focusErrors = false,
  sayWhere = false,
  pending,
  save,
  onDone,
  onCancel,
  children,
}: {
  kind: 'group' | 'team';
  /** The group or team being edited; none to create one. */
  current?: { name: string };
  /** The picker for where it sits: the API field it sets, its label, first value and choices. */
  place: {
    field: 'parentId' | 'groupId';
    label: string;
    initial: string;
    choices: { id: string; path: string }[];
  };
  /** Move focus to the field at fault when the API refuses (the group form does; the team form never has). */
  focusErrors?: boolean;
  /** Name the chosen group in the message: "Created team “iOS” in Acme / Mobile." */
  sayWhere?: boolean;
  pending: boolean;
  /** Sends the trimmed name and the chosen place; resolves with what the API saved. */
  save: (name: string, place: string) => Promise<{ name: string }>;
  onDone: (message: string) => void;
  onCancel: () => void;
  /** Further fields, under the name and the picker. */
  children?: ReactNode;
}) {
  const [name, setName] = useState(current?.name ?? '');
  const [placeId, setPlaceId] = useState(place.initial);
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const placeRef = useRef<HTMLSelectElement>(null);
  useEffect(() => nameRef.current?.focus(), []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!name.trim()) {
      setFields({ name: 'Enter a name.' });
      nameRef.current?.focus();
      return;
    }
    setFields({});
    const onError = (error: unknown) => {
      const described = describeFormError(error, ['name', place.field]);
      setFields(described.fields);
      setFormError(described.form);
      if (!focusErrors) return;
      if (described.fields[place.field]) placeRef.current?.focus();
      else nameRef.current?.focus();
    };
    const where = sayWhere ? ` in ${place.choices.find((p) => p.id === placeId)?.path ?? ''}` : '';
    const verb = current ? 'Saved' : 'Created';
    // The promise, not mutate's callbacks: a move puts this group or team under another group, so
    // this form is unmounted by the refreshed tree, and mutate's callbacks never run for an
    // unmounted form (the saved message was lost whenever one list arrived before the other).
    void save(name.trim(), placeId).then(
      (saved) => onDone(`${verb} ${kind} “${saved.name}”${where}.`),
      onError,
    );
  };

  return (
    <form
      className="inline-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={current ? `Edit ${current.name}` : `New ${kind}`}
    >
      <FormAlert message={formError} />
      <div className="inline-form__fields">
        <TextField
          ref={nameRef}
          label={kind === 'group' ? 'Group name' : 'Team name'}
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <SelectField
          ref={placeRef}
          label={place.label}
          value={placeId}
          onChange={(e) => setPlaceId(e.target.value)}
          error={fields[place.field]}
        >
          {place.choices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.path}
            </option>
          ))}
        </SelectField>
      </div>
      {children}
      <div className="inline-form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : `${current ? 'Save' : 'Create'} ${kind}`}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
