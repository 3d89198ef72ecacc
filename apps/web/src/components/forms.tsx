/**
 * The form kit every web form uses: labelled fields whose errors sit beside them (from the
 * client's own check or the server's `fields`), tied to their control by aria-invalid and
 * aria-describedby, and one alert for whatever has no field.
 */
import {
  forwardRef,
  useId,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
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

/**
 * A failed request's field messages as the server wrote them (several joined by `separator`),
 * and its own message when it named no field. Nothing when there is no error.
 */
export function requestErrors(
  error: Error | null | undefined,
  separator = ' ',
): { fields: FieldErrors; form: string | null; hasFields: boolean } {
  const fields: FieldErrors = {};
  if (error instanceof ApiError) {
    for (const [name, messages] of Object.entries(error.fields)) {
      if (messages.length) fields[name] = messages.join(separator);
    }
  }
  const hasFields = Object.keys(fields).length > 0;
  return { fields, form: error && !hasFields ? error.message : null, hasFields };
}

const EMAIL_EXAMPLE = 'Enter an email address like name@example.com.';

/**
 * What is wrong with a typed email address, or null: `missing` when nothing was typed, the example
 * when it does not look like one (the server has the last word).
 */
export function emailProblem(text: string, missing = EMAIL_EXAMPLE): string | null {
  const value = text.trim();
  if (!value) return missing;
  return /^[^\s@]+@[^\s@]+$/.test(value) ? null : EMAIL_EXAMPLE;
}

export function FormAlert({ message, id }: { message: string | null; id?: string }) {
  if (!message) return null;
  return (
    <div id={id} className="notice notice--error" role="alert">
      {message}
    </div>
  );
}

/** The form's alert in a slot that takes focus, for forms that move focus to what went wrong. */
export const FormAlertSlot = forwardRef<HTMLDivElement, { message: string | null; id?: string }>(
  function FormAlertSlot({ message, id }, ref) {
    return (
      <div ref={ref} tabIndex={-1} className="form__alert-slot">
        <FormAlert message={message} id={id} />
      </div>
    );
  },
);

interface FieldProps {
  label: string;
  error?: string;
  /** Said between the label and the control, and read with the control. */
  hint?: ReactNode;
  /** The label is read by assistive technology but not shown (a control in a table row). */
  hideLabel?: boolean;
  /** More classes for the field's outermost element. */
  fieldClassName?: string;
}

/** What ties a control to its label, hint and error. */
interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

function useControl(error: string | undefined, hint: ReactNode) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  const control: ControlProps = {
    id,
    'aria-invalid': Boolean(error),
    'aria-describedby': describedBy || undefined,
  };
  return control;
}

function Hint({ id, hint }: { id: string; hint: ReactNode }) {
  if (!hint) return null;
  return typeof hint === 'string' ? (
    <p id={`${id}-hint`} className="muted small">
      {hint}
    </p>
  ) : (
    <div id={`${id}-hint`}>{hint}</div>
  );
}

function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field__error">
      {error}
    </p>
  );
}

/** A label, an optional hint, the control, and its error beside it (the control is `children`). */
function Field({
  label,
  error,
  hint,
  hideLabel,
  fieldClassName,
  children,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const control = useControl(error, hint);
  return (
    <div className={fieldClassName ? `field ${fieldClassName}` : 'field'}>
      <label htmlFor={control.id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <Hint id={control.id} hint={hint} />
      {children(control)}
      <FieldError id={control.id} error={error} />
    </div>
  );
}

/** A text-like input (text, email, password, url, date, number…), with optional suggestions. */
export const TextField = forwardRef<
  HTMLInputElement,
  FieldProps &
    Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'list'> & {
      /** Values offered while typing (a datalist); the person may still type another. */
      suggestions?: readonly string[];
    }
>(function TextField({ label, error, hint, hideLabel, fieldClassName, suggestions, ...input }, ref) {
  return (
    <Field label={label} error={error} hint={hint} hideLabel={hideLabel} fieldClassName={fieldClassName}>
      {(control) => (
        <>
          <input
            ref={ref}
            {...control}
            list={suggestions?.length ? `${control.id}-list` : undefined}
            {...input}
          />
          {suggestions && suggestions.length > 0 && (
            <datalist id={`${control.id}-list`}>
              {suggestions.map((value) => (
                <option key={value} value={value} />
              ))}
            </datalist>
          )}
        </>
      )}
    </Field>
  );
});

export const SelectField = forwardRef<
  HTMLSelectElement,
  FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { children: ReactNode }
>(function SelectField({ label, error, hint, hideLabel, fieldClassName, children, ...select }, ref) {
  return (
    <Field label={label} error={error} hint={hint} hideLabel={hideLabel} fieldClassName={fieldClassName}>
      {(control) => (
        <select ref={ref} className="select" {...control} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
});

export const TextareaField = forwardRef<
  HTMLTextAreaElement,
  FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>
>(function TextareaField({ label, error, hint, hideLabel, fieldClassName, ...textarea }, ref) {
  return (
    <Field label={label} error={error} hint={hint} hideLabel={hideLabel} fieldClassName={fieldClassName}>
      {(control) => <textarea ref={ref} {...control} {...textarea} />}
    </Field>
  );
});

/** A choice from a list of `{ value, label }` options. */
export const OptionsField = forwardRef<
  HTMLSelectElement,
  FieldProps &
    Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'children'> & {
      options: readonly { value: string; label: string }[];
    }
>(function OptionsField({ options, ...field }, ref) {
  return (
    <SelectField ref={ref} {...field}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </SelectField>
  );
});

/**
 * A checkbox with its label beside it; with a hint or an error, both below it in a field and read
 * with the checkbox.
 */
export const CheckboxField = forwardRef<
  HTMLInputElement,
  Omit<FieldProps, 'hideLabel'> & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'>
>(function CheckboxField({ label, error, hint, fieldClassName, ...input }, ref) {
  const control = useControl(error, hint);
  const box = (
    <label className="checkbox" htmlFor={control.id}>
      <input ref={ref} type="checkbox" {...control} {...input} /> {label}
    </label>
  );
  if (!hint && !error) return fieldClassName ? <div className={fieldClassName}>{box}</div> : box;
  return (
    <div className={fieldClassName ? `field ${fieldClassName}` : 'field'}>
      {box}
      <Hint id={control.id} hint={hint} />
      <FieldError id={control.id} error={error} />
    </div>
  );
});

/**
 * A one-line search: label, box and button. It keeps what is typed and hands the trimmed text to
 * `onSearch` when submitted.
 */
export function SearchForm({
  label,
  submit,
  onSearch,
  formLabel,
  landmark = true,
  ...input
}: {
  label: string;
  /** The button's text. */
  submit: string;
  onSearch: (text: string) => void;
  /** The form's accessible name, when the page has more than one search. */
  formLabel?: string;
  /** Marks the form as a search landmark (role="search"). */
  landmark?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>) {
  const [text, setText] = useState('');
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form
      className="search-form"
      role={landmark ? 'search' : undefined}
      aria-label={formLabel}
      onSubmit={onSubmit}
    >
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" {...input} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="button button--secondary">
        {submit}
      </button>
    </form>
  );
}

/** One choice of a few, as radio buttons under a legend. */
export function RadioGroupField<T extends string>({
  legend,
  value,
  options,
  onChange,
  error,
}: {
  legend: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className="field fieldset"
      aria-invalid={Boolean(error)}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="radio">
          <input type="radio" name={id} checked={value === o.value} onChange={() => onChange(o.value)} />{' '}
          {o.label}
        </label>
      ))}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}
