/** Leads record what the team decided to do; it appears on the trend at its date with the change across it. */
import { useId, useState, type FormEvent } from 'react';
import { isApiError } from '../../lib/api-client';
import { useCreateAction } from './api';

const DIMENSIONS = [
  { id: 'psych_safety', label: 'Psychological safety' },
  { id: 'trust_index', label: 'Trust index' },
  { id: 'credibility', label: 'Credibility' },
  { id: 'reliability', label: 'Reliability' },
  { id: 'intimacy', label: 'Intimacy' },
  { id: 'self_orientation', label: 'Self-orientation' },
];

const today = () => new Date().toISOString().slice(0, 10);

export function LogActionForm({ teamId }: { teamId: string }) {
  const create = useCreateAction(teamId);
  const [dimension, setDimension] = useState('psych_safety');
  const [date, setDate] = useState(today);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const ids = { dimension: useId(), date: useId(), text: useId(), error: useId() };
  const fieldErrors = isApiError(create.error) ? create.error.fields : {};

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    create.mutate(
      { dimension, date, text: text.trim() },
      {
        onSuccess: (action) => {
          setSaved(action.text);
          setText('');
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
        What did the team decide to try? It is drawn on the chart at its date, with the change from the cycle
        before to the cycle after. Visible to the team’s leads.
      </p>
      <form className="action-form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={ids.dimension}>Measure</label>
          <select id={ids.dimension} value={dimension} onChange={(e) => setDimension(e.target.value)}>
            {DIMENSIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.date}>Date</label>
          <input id={ids.date} type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
          {fieldErrors.date && <p className="field__error">{fieldErrors.date.join(' ')}</p>}
        </div>
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
        {saved && <p className="notice notice--success">Logged: “{saved}”. It now appears on the chart.</p>}
        {create.isError && Object.keys(fieldErrors).length === 0 && (
          <p className="notice notice--error" role="alert">
            {create.error.message}
          </p>
        )}
      </div>
    </section>
  );
}
