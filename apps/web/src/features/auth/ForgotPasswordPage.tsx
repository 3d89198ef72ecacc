/**
 * /forgot-password — asks for a reset link. The answer is the same whether or not the address
 * has an account, so the page never reveals who uses Candor.
 */
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { emailProblem, FormAlertSlot } from '../../components/forms';
import { WorkEmailField } from './WorkEmailField';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ApiError, NetworkError } from '../../lib/api-client';
import { useRequestPasswordReset } from './api';
import { AuthCard } from './AuthCard';

export default function ForgotPasswordPage() {
  useDocumentTitle('Forgot password');
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = email.trim();
    setFormError(null);
    const problem = emailProblem(value, 'Enter your email address.');
    setFieldError(problem);
    if (problem) {
      emailRef.current?.focus();
      return;
    }
    request.mutate(
      { email: value },
      {
        onSuccess: () => {
          setSentTo(value);
          requestAnimationFrame(() => doneRef.current?.focus());
        },
        onError: (error) => {
          if (error instanceof ApiError && error.fields.email?.length) {
            setFieldError(error.fields.email.join(' '));
            emailRef.current?.focus();
            return;
          }
          setFormError(
            error instanceof ApiError && error.status === 429
              ? 'Too many requests for a reset link. Wait a minute before trying again.'
              : error instanceof ApiError || error instanceof NetworkError
                ? error.message
                : 'Could not ask for a link. Try again.',
          );
          alertRef.current?.focus();
        },
      },
    );
  };

  if (sentTo !== null) {
    return (
      <AuthCard title="Check your email">
        <div ref={doneRef} tabIndex={-1} className="notice notice--success" role="status">
          <p>
            If an active Candor account uses <strong className="break-all">{sentTo}</strong>, a link to choose
            a new password is on its way. It works once and expires soon.
          </p>
        </div>
        <p className="muted small">
          Nothing after a few minutes? Check your spam folder and the address you typed, then ask for another
          link. Your current password keeps working until you use the link.
        </p>
        <p className="auth-links">
          <button
            type="button"
            className="button button--link"
            onClick={() => {
              setSentTo(null);
              request.reset();
            }}
          >
            Send another link
          </button>
          <Link to="/login">Back to sign in</Link>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Forgot your password?"
      lede="Enter your work email. We will send a link to choose a new password; it works once and expires soon."
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormAlertSlot ref={alertRef} message={formError} />
        <WorkEmailField ref={emailRef} value={email} onChange={setEmail} error={fieldError ?? undefined} />
        <button type="submit" className="button button--primary button--block" disabled={request.isPending}>
          {request.isPending ? 'Sending…' : 'Send me a link'}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/login">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}
