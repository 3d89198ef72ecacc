import { useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, NetworkError, safeNextPath } from '../../lib/api-client';
import { emailProblem, FormAlertSlot, TextField } from '../../components/forms';
import { WorkEmailField } from './WorkEmailField';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useLogin, useMe, useProviders } from './api';
import { ssoErrorMessage } from './sso-errors';

type FieldName = 'email' | 'password';
type FieldErrors = Partial<Record<FieldName, string>>;

function validate(email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  const emailError = emailProblem(email, 'Enter your email address.');
  if (emailError) errors.email = emailError;
  if (!password) errors.password = 'Enter your password.';
  return errors;
}

/** Maps a failed sign-in to per-field messages and one message for the whole form. */
export function describeLoginError(error: unknown): { fields: FieldErrors; form: string | null } {
  if (error instanceof ApiError) {
    const fields: FieldErrors = {};
    for (const name of ['email', 'password'] as const) {
      const messages = error.fields[name];
      if (messages?.length) fields[name] = messages.join(' ');
    }
    if (error.status === 400 && Object.keys(fields).length > 0) return { fields, form: null };
    if (error.status === 429) {
      return { fields, form: 'Too many sign-in attempts. Wait a minute before trying again.' };
    }
    return { fields, form: error.message };
  }
  if (error instanceof NetworkError) return { fields: {}, form: error.message };
  return { fields: {}, form: 'Sign-in failed. Try again.' };
}

export function LoginPage() {
  useDocumentTitle('Sign in');
  const me = useMe();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const ssoError = ssoErrorMessage(params.get('sso_error'));

  if (me.data) return <Navigate to={next} replace />;

  return (
    <div className="auth-layout">
      <main className="auth-card" id="main">
        <p className="brand brand--large" aria-hidden="true">
          <span className="brand__mark" /> Candor
        </p>
        <h1 className="auth-card__title">Sign in</h1>
        <p className="muted">Anonymous team-health pulses. Your answers are never linked to your name.</p>
        {next !== '/' && <p className="notice notice--info">Sign in to continue to the page you opened.</p>}
        {params.get('changed') === 'password' && (
          <p className="notice notice--success" role="status">
            Your password was changed and every session signed out. Sign in with the new password.
          </p>
        )}
        {ssoError && (
          <div className="notice notice--error" role="alert">
            <p>
              <strong>Single sign-on did not sign you in.</strong> {ssoError}
            </p>
          </div>
        )}
        <SingleSignOn next={next} />
        <LoginForm next={next} />
        <p className="auth-links">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
      </main>
    </div>
  );
}

/**
 * "Sign in with single sign-on" when the installation configures OpenID Connect. A plain link:
 * the API answers with a redirect to the identity provider and back.
 */
function SingleSignOn({ next }: { next: string }) {
  const providers = useProviders();
  const startUrl = providers.data?.oidc.enabled ? providers.data.oidc.startUrl : null;
  if (!startUrl) return null;
  const href = next === '/' ? startUrl : `${startUrl}?returnTo=${encodeURIComponent(next)}`;
  return (
    <div className="sso">
      <a className="button button--secondary button--block" href={href}>
        Sign in with single sign-on
      </a>
      <p className="sso__divider" aria-hidden="true">
        <span>or with your Candor password</span>
      </p>
    </div>
  );
}

function LoginForm({ next }: { next: string }) {
  const navigate = useNavigate();
  const loginMutation = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const focus = (target: 'email' | 'password' | 'alert') => {
    const element = { email: emailRef, password: passwordRef, alert: alertRef }[target].current;
    element?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors = validate(email, password);
    setFieldErrors(errors);
    setFormError(null);
    if (errors.email || errors.password) {
      focus(errors.email ? 'email' : 'password');
      return;
    }
    loginMutation.mutate(
      { email: email.trim(), password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: (error) => {
          const described = describeLoginError(error);
          setFieldErrors(described.fields);
          setFormError(described.form);
          setPassword('');
          focus(described.fields.email ? 'email' : described.fields.password ? 'password' : 'alert');
        },
      },
    );
  };

  const pending = loginMutation.isPending;
  return (
    <form
      className="form"
      onSubmit={onSubmit}
      noValidate
      aria-describedby={formError ? 'login-error' : undefined}
    >
      <FormAlertSlot ref={alertRef} id="login-error" message={formError} />
      <WorkEmailField ref={emailRef} value={email} onChange={setEmail} error={fieldErrors.email} />
      <TextField
        ref={passwordRef}
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
        required
      />
      <button type="submit" className="button button--primary button--block" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
