/**
 * /accept-invitation and /reset-password — choose a password with the one-time link from an
 * email. The token is taken out of the address bar as soon as the page reads it (link-token.ts).
 * The rules are shown before typing; the server's field messages appear beside the field; a
 * good password signs the person in and opens their home page.
 */
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { CheckboxField, FormAlertSlot, TextField } from '../../components/forms';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ApiError, NetworkError } from '../../lib/api-client';
import { useSetPasswordWithLink, type LinkPurpose } from './api';
import { AuthCard } from './AuthCard';
import { takeLinkToken } from './link-token';

export const MIN_PASSWORD_LENGTH = 8;

const TEXT: Record<LinkPurpose, { title: string; lede: string; submit: string; pending: string }> = {
  invitation: {
    title: 'Set your password',
    lede: 'Welcome to Candor. Choose a password to finish setting up your account; you will be signed in straight away.',
    submit: 'Set password and sign in',
    pending: 'Setting your password…',
  },
  reset: {
    title: 'Choose a new password',
    lede: 'Saving it signs you in here and signs you out everywhere else.',
    submit: 'Save password and sign in',
    pending: 'Saving…',
  },
};

export function SetPasswordPage({ purpose }: { purpose: LinkPurpose }) {
  const text = TEXT[purpose];
  useDocumentTitle(text.title);
  const [token] = useState(takeLinkToken);
  const navigate = useNavigate();
  const mutation = useSetPasswordWithLink(purpose);
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [linkBroken, setLinkBroken] = useState(token === null);
  const inputRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  if (linkBroken) return <LinkProblem purpose={purpose} missing={token === null} />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      setFieldError(password ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : 'Choose a password.');
      inputRef.current?.focus();
      return;
    }
    setFieldError(null);
    mutation.mutate(
      { token: token!, password },
      {
        onSuccess: () => void navigate('/', { replace: true }),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'invalid_token') {
            setLinkBroken(true);
            return;
          }
          if (error instanceof ApiError && error.fields.password?.length) {
            setFieldError(sentence(error.fields.password));
            inputRef.current?.focus();
            return;
          }
          setFormError(
            error instanceof ApiError || error instanceof NetworkError
              ? error.message
              : 'Could not save the password. Try again.',
          );
          alertRef.current?.focus();
        },
      },
    );
  };

  return (
    <AuthCard title={text.title} lede={text.lede}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormAlertSlot ref={alertRef} message={formError} />
        <TextField
          ref={inputRef}
          label="New password"
          hint={<PasswordRules />}
          name="password"
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          spellCheck={false}
          autoCapitalize="none"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fieldError ?? undefined}
          required
        />
        <CheckboxField label="Show password" checked={show} onChange={(e) => setShow(e.target.checked)} />
        <button type="submit" className="button button--primary button--block" disabled={mutation.isPending}>
          {mutation.isPending ? text.pending : text.submit}
        </button>
      </form>
    </AuthCard>
  );
}

/** What a new password must be, shown before typing and read with the field. */
function PasswordRules() {
  return (
    <div className="password-rules">
      <p className="small">Your password must:</p>
      <ul className="small">
        <li>have at least {MIN_PASSWORD_LENGTH} characters (a few words you will remember work well);</li>
        <li>not be one of the 50,000 most common passwords;</li>
        <li>not be your email address.</li>
      </ul>
    </div>
  );
}

/** "must not be your email address" → "This password must not be your email address." */
function sentence(messages: string[]): string {
  return messages
    .map((m) => {
      const text = /^(must|is)\b/.test(m) ? `This password ${m}` : m.charAt(0).toUpperCase() + m.slice(1);
      return /[.!?]$/.test(text) ? text : `${text}.`;
    })
    .join(' ');
}

function LinkProblem({ purpose, missing }: { purpose: LinkPurpose; missing: boolean }) {
  const what = purpose === 'invitation' ? 'invitation link' : 'password reset link';
  return (
    <AuthCard title={missing ? `This ${what} is incomplete` : `This ${what} has expired or was already used`}>
      <div className="notice notice--error" role="alert">
        {missing ? (
          <p>
            Open the link exactly as it appears in your email: the part after <code>#token=</code> is missing.
            If your email program broke the link over two lines, copy all of it into the address bar.
          </p>
        ) : (
          <p>
            Links from Candor emails work once, for a limited time. If you already set your password with it,
            just sign in.
          </p>
        )}
      </div>
      <p>
        {purpose === 'invitation'
          ? 'To get a new link, ask for a password reset with the address the invitation went to, or ask your Candor admin to send the invitation again.'
          : 'Ask for a new link: it takes your email address and arrives in a minute.'}
      </p>
      <p className="auth-links">
        <Link className="button button--primary" to="/forgot-password">
          Send me a new link
        </Link>
        <Link to="/login">Go to sign in</Link>
      </p>
    </AuthCard>
  );
}

export function AcceptInvitationPage() {
  return <SetPasswordPage purpose="invitation" />;
}

export function ResetPasswordPage() {
  return <SetPasswordPage purpose="reset" />;
}
