/**
 * What the team decided to do: every action with its owner, due date and status, and — once the
 * pulses after it are in — whether it worked. Leads change status, owner and due date here.
 */
import type { ActionItem, ActionStatus, TeamTrendResponse } from '@candor/contracts';
import { findPlay } from '@candor/instruments';
import { useState, type FormEvent } from 'react';
import { ErrorState, Skeleton } from '../../components/states';
import { requestErrors } from '../../components/forms';
import { formatDate, formatSignedDelta } from '../../lib/format';
import { DueField, InlineFormActions, OwnerField, STATUS_TEXT, StatusField } from './action-fields';
import { actionViews, VERDICT_TEXT, type ActionView } from './action-outcome';
import { useActionOwners, useTeamActions, useUpdateAction } from './api';
import { today } from './PlayList';

const day = (date: string) => formatDate(`${date}T12:00:00Z`);

export function ActionsSection({
  teamId,
  trends,
  isLead,
}: {
  teamId: string;
  trends: (TeamTrendResponse | undefined)[];
  isLead: boolean;
}) {
  const actions = useTeamActions(teamId);
  return (
    <section className="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading" className="card__title">
        Actions
      </h2>
      <p className="muted">
        What the team decided to try, who owns it, and whether it worked: a result is called a change only
        when the pulses after it moved beyond normal variation.
      </p>
      {actions.isPending ? (
        <Skeleton height={120} label="Loading the team’s actions…" />
      ) : actions.isError ? (
        <ErrorState error={actions.error} onRetry={() => void actions.refetch()} />
      ) : actions.data.actions.length === 0 ? (
        <p className="muted">
          No actions yet.{' '}
          {isLead
            ? 'Start a play from “Where to start”, or log your own below.'
            : 'Your lead records them here.'}
        </p>
      ) : (
        <ul className="action-items">
          {actionViews(actions.data.actions, trends).map((view) => (
            <ActionRow key={view.action.id} view={view} teamId={teamId} isLead={isLead} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ActionRow({ view, teamId, isLead }: { view: ActionView; teamId: string; isLead: boolean }) {
  const { action, dimension, outcome } = view;
  const [editing, setEditing] = useState(false);
  const status = action.status ?? 'doing';
  const play = action.playKey ? findPlay(action.playKey) : undefined;
  const overdue = action.dueDate && (status === 'planned' || status === 'doing') && action.dueDate < today();
  return (
    <li className="action-item" data-status={status}>
      <div className="action-item__head">
        <span className="action-item__text">{action.text}</span>
        <span className={`status status--${status}`}>{STATUS_TEXT[status]}</span>
      </div>
      <p className="action-item__meta">
        {dimension?.label ?? action.dimension}
        {play && ' · a play'} · started {day(action.date)}
        {action.owner ? ` · owner ${action.owner.name}` : ' · no owner'}
        {action.dueDate && (
          <>
            {' '}
            · due {day(action.dueDate)}
            {overdue && <span className="badge badge--warn">overdue</span>}
          </>
        )}
      </p>
      {outcome && (
        <p className={`verdict verdict--${outcome.verdict}`} data-verdict={outcome.verdict}>
          <strong>{VERDICT_TEXT[outcome.verdict]}</strong>
          {outcome.change &&
          (outcome.verdict === 'worked' || outcome.verdict === 'worse' || outcome.verdict === 'no-change')
            ? ` — ${dimension?.label ?? 'the score'} ${formatSignedDelta(outcome.change.delta)} from the pulse before to the pulse after.`
            : outcome.verdict === 'too-few-answers'
              ? ' — there is no released result on one side of its start (fewer than k answered).'
              : outcome.verdict === 'waiting'
                ? ' — no pulse has closed since it started.'
                : ''}
        </p>
      )}
      {isLead &&
        (editing ? (
          <EditAction teamId={teamId} action={action} onDone={() => setEditing(false)} />
        ) : (
          <button type="button" className="button button--link small" onClick={() => setEditing(true)}>
            Update status, owner or due date<span className="visually-hidden"> of “{action.text}”</span>
          </button>
        ))}
    </li>
  );
}

function EditAction({ teamId, action, onDone }: { teamId: string; action: ActionItem; onDone: () => void }) {
  const update = useUpdateAction(teamId);
  const owners = useActionOwners(teamId, true);
  const [status, setStatus] = useState<ActionStatus>(action.status ?? 'doing');
  const [ownerId, setOwnerId] = useState(action.owner?.id ?? '');
  const [due, setDue] = useState(action.dueDate ?? '');
  const errors = requestErrors(update.error);
  const people = owners.data?.people ?? [];
  const ownerListed = !action.owner || people.some((p) => p.id === action.owner!.id);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { id: action.id, body: { status, ownerId: ownerId || null, dueDate: due || null } },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="inline-form" onSubmit={onSubmit} aria-label={`Update ${action.text}`} noValidate>
      <div className="inline-form__fields">
        <StatusField value={status} onChange={setStatus} />
        <OwnerField
          people={people}
          value={ownerId}
          onChange={setOwnerId}
          error={errors.fields.ownerId}
          extra={!ownerListed && action.owner ? action.owner : undefined}
        />
        <DueField value={due} min={action.date} onChange={setDue} error={errors.fields.dueDate} />
      </div>
      <InlineFormActions
        pending={update.isPending}
        submit={['Save', 'Saving…']}
        onCancel={onDone}
        error={errors.form}
      />
    </form>
  );
}
