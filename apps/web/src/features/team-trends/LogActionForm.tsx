/**
 * Leads record what the team decided to do — their own idea or one of the plays — with an owner,
 * a due date and a status. It appears on the chart at its start date, with the change from the
 * cycle before to the cycle after, and under Actions.
 */
import type { ActionStatus } from '@candor/contracts';
import { playsFor } from '@candor/instruments';
import { useId, useState, type FormEvent } from 'react';
import { isApiError } from '../../lib/api-client';
import { useCurrentUser } from '../../lib/current-user';
import { STATUS_TEXT } from './ActionsSection';
import { OwnerField } from './action-fields';
import { useActionOwners, useCreateAction } from './api';
import { inDays, today } from './PlayList';

const DIMENSIONS = [
  { id: 'psych_safety', label: 'Psychological safety' },
  { id: 'trust_index', label: 'Trust index' },
  { id: 'credibility', label: 'Credibility' },
  { id: 'reliability', label: 'Reliability' },
  { id: 'intimacy', label: 'Intimacy' },
  { id: 'self_orientation', label: 'Self-orientation' },
];

export function LogActionForm({ teamId }: { teamId: string }) {
  const user = useCurrentUser();
  const create = useCreateAction(teamId);
  const owners = useActionOwners(teamId, true);
  const [dimension, setDimension] = useState('psych_safety');
  const [playKey, setPlayKey] = useState('');
  const [date, setDate] = useState(today);
  const [text, setText] = useState('');
  const [ownerId, setOwnerId] = useState(user.id);
  const [due, setDue] = useState(() => inDays(today(), 28));
  const [status, setStatus] = useState<ActionStatus>('doing');
  const [saved, setSaved] = useState<string | null>(null);
  const ids = {
    dimension: useId(),
    play: useId(),
    date: useId(),
    text: useId(),
    due: useId(),
    status: useId(),
  };
  const fieldErrors = isApiError(create.error) ? create.error.fields : {};
  const plays = playsFor(dimension);
  const people = owners.data?.people ?? [{ id: user.id, name: user.name }];

  const choosePlay = (key: string) => {
    setPlayKey(key);
    const play = plays.find((p) => p.key === key);
    if (play) setText(play.title);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    create.mutate(
      {
        dimension,
        date,
        text: text.trim(),
        playKey: playKey || null,
        ownerId: ownerId || null,
        dueDate: due || null,
        status,
      },
      {
        onSuccess: (action) => {
          setSaved(action.text);
          setText('');
          setPlayKey('');
        },
      },
    );
  };

  return (
    <section className="card" aria-labelledby="log-action-heading">
      <h2 id="log-action-heading" className="card__title">
        Log an action
      </h2>
      <p className="muted">
        What did the team decide to try? It is drawn on the chart at its start date, with the change from the
        cycle before to the cycle after. Everyone on the team sees it.
      </p>
      <form className="action-form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={ids.dimension}>Measure</label>
          <select
            id={ids.dimension}
            value={dimension}
            onChange={(e) => {
              setDimension(e.target.value);
              setPlayKey('');
            }}
          >
            {DIMENSIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        {plays.length > 0 && (
          <div className="field">
            <label htmlFor={ids.play}>From a play (optional)</label>
            <select id={ids.play} value={playKey} onChange={(e) => choosePlay(e.target.value)}>
              <option value="">Our own idea</option>
              {plays.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.title}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field action-form__text">
          <label htmlFor={ids.text}>What the team will do</label>
          <input
            id={ids.text}
            type="text"
            value={text}
            maxLength={500}
            required
            onChange={(e) => setText(e.target.value)}
          />
          {fieldErrors.text && <p className="field__error">{fieldErrors.text.join(' ')}</p>}
          {fieldErrors.playKey && <p className="field__error">{fieldErrors.playKey.join(' ')}</p>}
        </div>
        <div className="field">
          <label htmlFor={ids.date}>Start date</label>
          <input id={ids.date} type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
          {fieldErrors.date && <p className="field__error">{fieldErrors.date.join(' ')}</p>}
        </div>
        <OwnerField people={people} value={ownerId} onChange={setOwnerId} error={fieldErrors.ownerId} />
        <div className="field">
          <label htmlFor={ids.due}>Due</label>
          <input id={ids.due} type="date" value={due} min={date} onChange={(e) => setDue(e.target.value)} />
          {fieldErrors.dueDate && <p className="field__error">{fieldErrors.dueDate.join(' ')}</p>}
        </div>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value as ActionStatus)}>
            {(['planned', 'doing', 'done', 'dropped'] as const).map((s) => (
              <option key={s} value={s}>
                {STATUS_TEXT[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="action-form__submit">
          <button
            type="submit"
            className="button button--primary"
            disabled={create.isPending || !text.trim()}
          >
            {create.isPending ? 'Saving…' : 'Log action'}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {saved && (
          <p className="notice notice--success">
            Logged: “{saved}”. It now appears on the chart and under Actions.
          </p>
        )}
        {create.isError && Object.keys(fieldErrors).length === 0 && (
          <p className="notice notice--error" role="alert">
            {create.error.message}
          </p>
        )}
      </div>
    </section>
  );
}
