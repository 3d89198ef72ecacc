/**
 * Small form pieces shared by the admin forms: labelled fields whose errors sit beside them (from
 * the client's own check or the server's `fields`), and one alert for whatever has no field.
 */
import {
  forwardRef,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react';
import { ApiError, NetworkError } from '../lib/api-client';

export type FieldErrors = Record<string, string | undefined>;

/** Splits a failed request into messages per field (of `names`) and one message for the form. */
export function describeFormError(
  error: unknown,
  names: readonly string[],
): { fields: FieldErrors; form: string | null } {
  if (error instanceof ApiError) {
    const fields: FieldErrors = {};
    for (const name of names) {
      const messages = error.fields[name];
      if (messages?.length) fields[name] = capitalise(messages.join('; '));
    }
    if (Object.keys(fields).length > 0) return { fields, form: null };
    return { fields, form: error.message };
  }
  if (error instanceof NetworkError) return { fields: {}, form: error.message };
  return { fields: {}, form: 'That did not work. Try again.' };
}

const capitalise = (text: string) => {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="notice notice--error" role="alert">
      {message}
    </div>
  );
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** What ties a control to its label, hint and error. */
interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A label, an optional hint, the control, and its error beside it (the control is `children`). */
function Field({
  label,
  error,
  hint,
  children,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="muted small">
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

export const TextField = forwardRef<
  HTMLInputElement,
  FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>
>(function TextField({ label, error, hint, ...input }, ref) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(control) => <input ref={ref} {...control} {...input} />}
    </Field>
  );
});

export const SelectField = forwardRef<
  HTMLSelectElement,
  FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { children: ReactNode }
>(function SelectField({ label, error, hint, children, ...select }, ref) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(control) => (
        <select ref={ref} className="select" {...control} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
});
