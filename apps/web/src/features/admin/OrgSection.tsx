/**
 * The organisation: the tree of groups and teams, and the forms to create, rename and move them.
 * Moves that would make a loop are refused by the API; its message shows beside the field.
 */
import type { AdminGroup, AdminTeam } from '@candor/contracts';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useCreateGroup, useCreateTeam, useGroups, useTeams, useUpdateGroup, useUpdateTeam } from './api';
import { describeFormError, FormAlert, SelectField, TextField, type FieldErrors } from './forms';
import { buildOrgTree, groupPaths, type OrgNode } from './org-tree';
import { Section } from './Section';

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

function OrgBranch({
  node,
  groups,
  onDone,
}: {
  node: OrgNode;
  groups: AdminGroup[];
  onDone: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  return (
    <li>
      <div className="org-tree__row">
        <span className="org-tree__group">{node.group.name}</span>
        <button
          type="button"
          className="button button--link small"
          aria-expanded={editing}
          aria-label={`Edit group ${node.group.name}`}
          onClick={() => setEditing(!editing)}
        >
          Edit
        </button>
      </div>
      {editing && (
        <GroupForm
          groups={groups}
          group={node.group}
          onDone={(message) => {
            setEditing(false);
            onDone(message);
          }}
          onCancel={() => setEditing(false)}
        />
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
  const [editing, setEditing] = useState(false);
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
        </span>
        <span className="org-tree__actions">
          <Link
            className="small"
            to={`/admin/teams/${encodeURIComponent(team.id)}`}
            aria-label={`Members of ${team.name}`}
          >
            Members
          </Link>
          <button
            type="button"
            className="button button--link small"
            aria-expanded={editing}
            aria-label={`Edit team ${team.name}`}
            onClick={() => setEditing(!editing)}
          >
            Edit
          </button>
        </span>
      </div>
      {editing && (
        <TeamForm
          groups={groups}
          team={team}
          onDone={(message) => {
            setEditing(false);
            onDone(message);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
    </li>
  );
}

const ROOT = '';

/** Create a group (no `group`) or rename/move one. */
function GroupForm({
  groups,
  group,
  onDone,
  onCancel,
}: {
  groups: AdminGroup[];
  group?: AdminGroup;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const create = useCreateGroup();
  const update = useUpdateGroup();
  const [name, setName] = useState(group?.name ?? '');
  const [parentId, setParentId] = useState(group ? (group.parentId ?? ROOT) : (groups[0]?.id ?? ROOT));
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const parentRef = useRef<HTMLSelectElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const pending = create.isPending || update.isPending;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!name.trim()) {
      setFields({ name: 'Enter a name.' });
      nameRef.current?.focus();
      return;
    }
    setFields({});
    const parent = parentId === ROOT ? null : parentId;
    const onError = (error: unknown) => {
      const described = describeFormError(error, ['name', 'parentId']);
      setFields(described.fields);
      setFormError(described.form);
      if (described.fields.parentId) parentRef.current?.focus();
      else nameRef.current?.focus();
    };
    if (group) {
      const body: { id: string; name?: string; parentId?: string | null } = { id: group.id };
      if (name.trim() !== group.name) body.name = name.trim();
      if (parent !== group.parentId) body.parentId = parent;
      // The promise, not mutate's callbacks: a move re-parents this branch, so this form is
      // unmounted by the refreshed tree, and mutate's callbacks never run for an unmounted form.
      void update.mutateAsync(body).then((g) => onDone(`Saved group “${g.name}”.`), onError);
    } else {
      void create
        .mutateAsync({ name: name.trim(), parentId: parent })
        .then((g) => onDone(`Created group “${g.name}”.`), onError);
    }
  };

  const paths = groupPaths(groups).filter((p) => p.id !== group?.id);
  return (
    <form
      className="inline-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={group ? `Edit ${group.name}` : 'New group'}
    >
      <FormAlert message={formError} />
      <div className="inline-form__fields">
        <TextField
          ref={nameRef}
          label="Group name"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <SelectField
          ref={parentRef}
          label="Inside"
          value={parentId}
          onChange={(e) => setParentId(e.target.value)}
          error={fields.parentId}
        >
          <option value={ROOT}>Nothing (a top-level group)</option>
          {paths.map((p) => (
            <option key={p.id} value={p.id}>
              {p.path}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="inline-form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : group ? 'Save group' : 'Create group'}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Create a team (no `team`) or rename/move one to another group. */
function TeamForm({
  groups,
  team,
  onDone,
  onCancel,
}: {
  groups: AdminGroup[];
  team?: AdminTeam;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const paths = groupPaths(groups);
  const [name, setName] = useState(team?.name ?? '');
  const [groupId, setGroupId] = useState(team?.groupId ?? paths[0]?.id ?? '');
  const [active, setActive] = useState(team?.active ?? true);
  const activeId = useId();
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const pending = create.isPending || update.isPending;

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
      const described = describeFormError(error, ['name', 'groupId']);
      setFields(described.fields);
      setFormError(described.form);
    };
    const groupName = paths.find((p) => p.id === groupId)?.path ?? '';
    if (team) {
      const body: { id: string; name?: string; groupId?: string; active?: boolean } = { id: team.id };
      if (name.trim() !== team.name) body.name = name.trim();
      if (groupId !== team.groupId) body.groupId = groupId;
      if (active !== team.active) body.active = active;
      // The promise, not mutate's callbacks: a move puts the team under another group, so this
      // form is unmounted by the refreshed tree, and mutate's callbacks never run for an unmounted
      // form (the saved message was lost whenever the team list arrived before the group list).
      void update.mutateAsync(body).then((t) => onDone(`Saved team “${t.name}” in ${groupName}.`), onError);
    } else {
      void create
        .mutateAsync({ name: name.trim(), groupId })
        .then((t) => onDone(`Created team “${t.name}” in ${groupName}.`), onError);
    }
  };

  return (
    <form
      className="inline-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={team ? `Edit ${team.name}` : 'New team'}
    >
      <FormAlert message={formError} />
      <div className="inline-form__fields">
        <TextField
          ref={nameRef}
          label="Team name"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <SelectField
          label="In group"
          value={groupId}
          onChange={(e) => setGroupId(e.target.value)}
          error={fields.groupId}
        >
          {paths.map((p) => (
            <option key={p.id} value={p.id}>
              {p.path}
            </option>
          ))}
        </SelectField>
      </div>
      {team && (
        <label className="checkbox" htmlFor={activeId}>
          <input
            id={activeId}
            type="checkbox"
            checked={active}
            onChange={(e) => setActive(e.target.checked)}
          />{' '}
          Active: surveyed and shown in people’s team lists (an inactive team keeps its history)
        </label>
      )}
      <div className="inline-form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : team ? 'Save team' : 'Create team'}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
