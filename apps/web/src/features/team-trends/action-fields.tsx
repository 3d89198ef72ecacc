/**
 * Form pieces every action form shares (log an action, start a play, update one): who owns it,
 * its status, its due date, and the save / cancel row with its error.
 */
import type { ActionOwner, ActionStatus } from '@candor/contracts';
import { FormAlert, OptionsField, SelectField, TextField } from '../../components/forms';
import { useCurrentUser } from '../../lib/current-user';

export const STATUS_TEXT: Record<ActionStatus, string> = {
  planned: 'Planned',
  doing: 'Doing',
  done: 'Done',
  dropped: 'Dropped',
};
const STATUS_OPTIONS = (['planned', 'doing', 'done', 'dropped'] as const).map((value) => ({
  value,
  label: STATUS_TEXT[value],
}));

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
  error?: string;
  /** An option to keep (an owner who has since left the team). */
  extra?: ActionOwner;
}) {
  const user = useCurrentUser();
  return (
    <SelectField label="Owner" value={value} onChange={(e) => onChange(e.target.value)} error={error}>
      {extra && <option value={extra.id}>{extra.name}</option>}
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {p.id === user.id ? `${p.name} (you)` : p.name}
        </option>
      ))}
      <option value="">Nobody in particular</option>
    </SelectField>
  );
}

/** Planned, doing, done or dropped. */
export function StatusField({
  value,
  onChange,
}: {
  value: ActionStatus;
  onChange: (status: ActionStatus) => void;
}) {
  return (
    <OptionsField
      label="Status"
      value={value}
      options={STATUS_OPTIONS}
      onChange={(e) => onChange(e.target.value as ActionStatus)}
    />
  );
}

/** A date no earlier than the action's start: when it is due, or when to check back. */
export function DueField({
  label = 'Due',
  value,
  min,
  onChange,
  error,
}: {
  label?: string;
  value: string;
  min: string;
  onChange: (date: string) => void;
  error?: string;
}) {
  return (
    <TextField
      label={label}
      type="date"
      value={value}
      min={min}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
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
  error: string | null;
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
      <FormAlert message={error} />
    </>
  );
}
