/**
 * One statement answered on the 1–7 agreement scale: native radio inputs in a fieldset whose
 * legend is the statement, so the browser gives keyboard use for free (Tab into the group, arrow
 * keys to move) and screen readers announce "statement, group, Agree, 6 of 7".
 */
import { AGREEMENT_LABELS } from '@candor/instruments';

export interface LikertItemProps {
  /** Unique within the page: the radio group's name. */
  name: string;
  number: number;
  total: number;
  text: string;
  value: number | undefined;
  error?: string;
  disabled?: boolean;
  onChange: (value: number) => void;
}

export function LikertItem({ name, number, total, text, value, error, disabled, onChange }: LikertItemProps) {
  const errorId = `${name}-error`;
  return (
    <fieldset
      className={error ? 'likert likert--error' : value === undefined ? 'likert' : 'likert likert--answered'}
      role="radiogroup"
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
      disabled={disabled}
      id={`item-${name}`}
    >
      <legend className="likert__legend">
        <span className="likert__number">
          <span className="visually-hidden">Statement </span>
          {number}
          <span className="visually-hidden"> of {total}</span>
        </span>
        <span className="likert__text">{text}</span>
      </legend>
      <div className="likert__options">
        {AGREEMENT_LABELS.map((label, index) => {
          const optionValue = index + 1;
          const id = `${name}-${optionValue}`;
          return (
            <div className="likert__option" key={optionValue}>
              <input
                type="radio"
                id={id}
                name={name}
                value={optionValue}
                checked={value === optionValue}
                onChange={() => onChange(optionValue)}
              />
              <label htmlFor={id}>
                <span className="likert__value" aria-hidden="true">
                  {optionValue}
                </span>
                <span className="likert__label">{label}</span>
              </label>
            </div>
          );
        })}
      </div>
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
