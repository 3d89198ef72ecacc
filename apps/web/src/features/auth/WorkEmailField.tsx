/** The work-email box of the signed-out forms (sign-in, forgotten password): filled in as a user name. */
import { forwardRef } from 'react';
import { TextField } from '../../components/forms';

export const WorkEmailField = forwardRef<
  HTMLInputElement,
  { value: string; onChange: (value: string) => void; error: string | undefined }
>(function WorkEmailField({ value, onChange, error }, ref) {
  return (
    <TextField
      ref={ref}
      label="Work email"
      name="email"
      type="email"
      autoComplete="username"
      inputMode="email"
      spellCheck={false}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
      required
    />
  );
});
