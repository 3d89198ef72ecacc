/**
 * Plays for one dimension. A lead starts one in two clicks: "Start this play", then "Start" in the
 * short form that opens with the owner (themself), today and a due date four weeks on already
 * filled in. It becomes an action of the team: on the chart at its date, and under Actions.
 */
import type { Play } from '@candor/instruments';
import { useState, type FormEvent } from 'react';
import { requestErrors } from '../../components/forms';
import { useCurrentUser } from '../../lib/current-user';
import { DueField, InlineFormActions, OwnerField } from './action-fields';
import { useActionOwners, useCreateAction, useTeamActions } from './api';

const DAY = 86_400_000;
export const today = () => new Date().toISOString().slice(0, 10);
export const inDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export function PlayList({
  teamId,
  plays,
  dimensionId,
  canStart,
}: {
  teamId: string;
  plays: readonly Play[];
  dimensionId: string;
  canStart: boolean;
}) {
  const [starting, setStarting] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const actions = useTeamActions(teamId);
  const underWay = new Map(
    (actions.data?.actions ?? [])
      .filter((a) => a.playKey && (a.status === 'planned' || a.status === 'doing'))
      .map((a) => [a.playKey!, a]),
  );
  return (
    <>
      <ul className="plays" aria-label="Plays to try">
        {plays.map((play) => (
          <li key={play.key} className="play">
            <h4 className="play__title">{play.title}</h4>
            <p className="play__summary">{play.summary}</p>
            <details className="play__more">
              <summary>How to try it</summary>
              <ul>
                {play.steps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ul>
              <p>
                <strong>You will notice:</strong> {play.signal}
              </p>
            </details>
            {underWay.has(play.key) ? (
              <p className="play__under-way">
                <span className="status status--doing">Under way</span>{' '}
                {underWay.get(play.key)!.owner
                  ? `owner ${underWay.get(play.key)!.owner!.name}`
                  : 'no owner yet'}
              </p>
            ) : (
              canStart &&
              (starting === play.key ? (
                <StartPlayForm
                  teamId={teamId}
                  play={play}
                  dimensionId={dimensionId}
                  onCancel={() => setStarting(null)}
                  onStarted={(title) => {
                    setStarting(null);
                    setStarted(title);
                  }}
                />
              ) : (
                <button
                  type="button"
                  className="button button--secondary play__start"
                  aria-label={`Start this play: ${play.title}`}
                  onClick={() => {
                    setStarted(null);
                    setStarting(play.key);
                  }}
                >
                  Start this play
                </button>
              ))
            )}
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {started && (
          <p className="notice notice--success">
            Started “{started}”. It is under Actions and on the chart from today; the pulses after it will
            tell whether it worked.
          </p>
        )}
      </div>
    </>
  );
}

function StartPlayForm({
  teamId,
  play,
  dimensionId,
  onCancel,
  onStarted,
}: {
  teamId: string;
  play: Play;
  dimensionId: string;
  onCancel: () => void;
  onStarted: (title: string) => void;
}) {
  const user = useCurrentUser();
  const owners = useActionOwners(teamId, true);
  const create = useCreateAction(teamId);
  const [start] = useState(today);
  const [ownerId, setOwnerId] = useState(user.id);
  const [due, setDue] = useState(() => inDays(start, 28));
  const errors = requestErrors(create.error);
  const people = owners.data?.people ?? [{ id: user.id, name: user.name }];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // Once it is saved, the play shows as under way and this form goes: the promise, unlike
    // mutate's own callbacks, still reports to the list after that.
    create
      .mutateAsync({
        dimension: dimensionId,
        text: play.title,
        date: start,
        playKey: play.key,
        ownerId: ownerId || null,
        dueDate: due || null,
        status: 'doing',
      })
      .then((action) => onStarted(action.text))
      .catch(() => {
        // Shown by the form from the mutation's error state.
      });
  };

  return (
    <form
      className="inline-form play__form"
      onSubmit={onSubmit}
      aria-label={`Start ${play.title}`}
      noValidate
    >
      <div className="inline-form__fields">
        <OwnerField people={people} value={ownerId} onChange={setOwnerId} error={errors.fields.ownerId} />
        <DueField
          label="Check back by"
          value={due}
          min={start}
          onChange={setDue}
          error={errors.fields.dueDate}
        />
      </div>
      <InlineFormActions
        pending={create.isPending}
        submit={['Start', 'Starting…']}
        onCancel={onCancel}
        error={errors.form}
      />
    </form>
  );
}
