/**
 * Leads record what the team decided to do — their own idea or one of the plays — with an owner,
 * a due date and a status. It appears on the chart at its start date, with the change from the
 * cycle before to the cycle after, and under Actions.
 */
import { INSTRUMENT_IDS, type ActionStatus } from '@candor/contracts';
import { currentInstrument, playsFor, TRUST_INDEX } from '@candor/instruments';
import { useState, type FormEvent } from 'react';
import { FormAlert, OptionsField, requestErrors, SelectField, TextField } from '../../components/forms';
import { useCurrentUser } from '../../lib/current-user';
import { DueField, OwnerField, StatusField } from './action-fields';
import { useActionOwners, useCreateAction } from './api';
import { inDays, today } from './PlayList';

/** Every reported dimension, each instrument's in turn, the trust index before its components. */
const DIMENSIONS = INSTRUMENT_IDS.map(currentInstrument)
  .flatMap((i) => (i.id === 'trust-equation' ? [TRUST_INDEX, ...i.responseDimensions] : i.responseDimensions))
  .map((d) => ({ value: d.id, label: d.label }));

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
  const errors = requestErrors(create.error);
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
        <OptionsField
          label="Measure"
          value={dimension}
          options={DIMENSIONS}
          onChange={(e) => {
            setDimension(e.target.value);
            setPlayKey('');
          }}
        />
        {plays.length > 0 && (
          <SelectField
            label="From a play (optional)"
            value={playKey}
            onChange={(e) => choosePlay(e.target.value)}
          >
            <option value="">Our own idea</option>
            {plays.map((p) => (
              <option key={p.key} value={p.key}>
                {p.title}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          label="What the team will do"
          fieldClassName="action-form__text"
          type="text"
          value={text}
          maxLength={500}
          required
          onChange={(e) => setText(e.target.value)}
          error={[errors.fields.text, errors.fields.playKey].filter(Boolean).join(' ') || undefined}
        />
        <TextField
          label="Start date"
          type="date"
          value={date}
          required
          onChange={(e) => setDate(e.target.value)}
          error={errors.fields.date}
        />
        <OwnerField people={people} value={ownerId} onChange={setOwnerId} error={errors.fields.ownerId} />
        <DueField value={due} min={date} onChange={setDue} error={errors.fields.dueDate} />
        <StatusField value={status} onChange={setStatus} />
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
        <FormAlert message={errors.form} />
      </div>
    </section>
  );
}
