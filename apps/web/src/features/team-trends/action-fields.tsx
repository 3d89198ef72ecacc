/** Form pieces every action form shares: who owns it, and the save / cancel row with its error. */
import type { ActionOwner } from '@candor/contracts';
import { useId, type ReactNode } from 'react';
import { useCurrentUser } from '../../lib/current-user';

/** The owner select: the team's people (the signed-in person marked "you"), or nobody. */
export function OwnerField({
  people,
  value,
  onChange,
  error,
  extra,
}: {
  people: readonly ActionOwner[];
  value: string;
  onChange: (ownerId: string) => void;
  error?: string[];
  /** An option to keep (an owner who has since left the team). */
  extra?: ActionOwner;
}) {
  const user = useCurrentUser();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Owner</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {extra && <option value={extra.id}>{extra.name}</option>}
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.id === user.id ? `${p.name} (you)` : p.name}
          </option>
        ))}
        <option value="">Nobody in particular</option>
      </select>
      {error && <p className="field__error">{error.join(' ')}</p>}
    </div>
  );
}

/** Save and Cancel, and the request's message when it failed without a field to point at. */
export function InlineFormActions({
  pending,
  submit,
  onCancel,
  error,
}: {
  pending: boolean;
  /** [label, label while pending] */
  submit: [string, string];
  onCancel: () => void;
  error: ReactNode;
}) {
  return (
    <>
      <div className="inline-form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? submit[1] : submit[0]}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
