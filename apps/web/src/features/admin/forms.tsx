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
import { ApiError, NetworkError } from '../../lib/api-client';

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

export const TextField = forwardRef<
  HTMLInputElement,
  FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>
>(function TextField({ label, error, hint, ...input }, ref) {
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
      <input
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
});

export const SelectField = forwardRef<
  HTMLSelectElement,
  FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { children: ReactNode }
>(function SelectField({ label, error, hint, children, ...select }, ref) {
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
      <select
        ref={ref}
        id={id}
        className="select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...select}
      >
        {children}
      </select>
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
});
