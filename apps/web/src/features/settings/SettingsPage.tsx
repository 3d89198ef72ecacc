/**
 * /settings — for every signed-in person: reminder emails on or off, and a new password. Team
 * leads also set their teams' Slack webhooks here; the URL is a secret and is never shown back in
 * full.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ErrorState, Skeleton } from '../../components/states';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { isApiError } from '../../lib/api-client';
import { CheckboxField, FormAlert, requestErrors, TextField } from '../../components/forms';
import { useCurrentUser } from '../../lib/current-user';
import {
  useChangePassword,
  usePreferences,
  useSetTeamSlack,
  useTeamSlack,
  useUpdatePreferences,
} from './api';

const MIN_PASSWORD_LENGTH = 8;

export default function SettingsPage() {
  useDocumentTitle('Settings');
  const user = useCurrentUser();
  const ledTeams = user.teams.filter((t) => t.role === 'lead');
  return (
    <div className="page">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <RemindersCard />
      <PasswordCard />
      {ledTeams.map((team) => (
        <SlackCard key={team.teamId} teamId={team.teamId} teamName={team.teamName} />
      ))}
    </div>
  );
}

function RemindersCard() {
  const preferences = usePreferences();
  const update = useUpdatePreferences();
  const id = useId();
  // The choice is held in state set inside the change handler: the mutation's own pending state
  // reaches React a tick later (TanStack batches its notifications), and until then a controlled
  // checkbox would snap back to the stored value and flicker.
  const [choice, setChoice] = useState<boolean | null>(null);
  const enabled = choice ?? preferences.data?.remindersEnabled;
  const onToggle = (remindersEnabled: boolean) => {
    setChoice(remindersEnabled);
    update.mutate({ remindersEnabled }, { onSettled: () => setChoice(null) });
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Email
      </h2>
      {preferences.isPending ? (
        <Skeleton height={48} label="Loading your preferences…" />
      ) : preferences.isError ? (
        <ErrorState error={preferences.error} onRetry={() => void preferences.refetch()} />
      ) : (
        <>
          <CheckboxField
            label="Send me reminder emails while a survey is open"
            hint="You will still get the email saying a survey has opened, and the one when results are ready."
            checked={enabled ?? true}
            disabled={choice !== null}
            onChange={(e) => onToggle(e.target.checked)}
          />
          <div aria-live="polite">
            {update.isSuccess && (
              <p className="notice notice--success">
                Reminders {update.data.remindersEnabled ? 'on' : 'off'}.
              </p>
            )}
            <FormAlert message={update.error?.message ?? null} />
          </div>
        </>
      )}
    </section>
  );
}

export function SlackCard({ teamId, teamName }: { teamId: string; teamName: string }) {
  const slack = useTeamSlack(teamId);
  const save = useSetTeamSlack(teamId);
  const [url, setUrl] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const id = useId();
  const fieldError = requestErrors(save.error, '; ').fields.webhookUrl;

  const put = (webhookUrl: string | null) => {
    setDone(null);
    save.mutate(
      { webhookUrl },
      {
        onSuccess: (data) => {
          setUrl('');
          setDone(data.configured ? 'Slack webhook saved.' : 'Slack turned off for this team.');
        },
      },
    );
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (url.trim()) put(url.trim());
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Slack for {teamName}
      </h2>
      {slack.isPending ? (
        <Skeleton height={48} label="Loading the Slack setting…" />
      ) : slack.isError ? (
        <ErrorState error={slack.error} onRetry={() => void slack.refetch()} />
      ) : (
        <>
          <p>
            {slack.data.configured ? (
              <>
                Posting to <code className="break-all">{slack.data.hint ?? 'a Slack webhook'}</code>
              </>
            ) : (
              'Not connected to Slack.'
            )}
          </p>
          <form className="slack-form" onSubmit={onSubmit} noValidate>
            <TextField
              label={slack.data.configured ? 'Replace the webhook URL' : 'Slack incoming-webhook URL'}
              type="url"
              inputMode="url"
              autoComplete="off"
              placeholder="https://hooks.slack.com/services/…"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              error={fieldError}
            />
            <div className="slack-form__actions">
              <button
                type="submit"
                className="button button--primary"
                disabled={save.isPending || !url.trim()}
              >
                Save webhook
              </button>
              {slack.data.configured && (
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={save.isPending}
                  onClick={() => put(null)}
                >
                  Turn off Slack
                </button>
              )}
            </div>
          </form>
          <div aria-live="polite">
            {done && <p className="notice notice--success">{done}</p>}
            <FormAlert message={save.isError && !fieldError ? save.error.message : null} />
          </div>
        </>
      )}
    </section>
  );
}

/**
 * Change one's password: the current one, the new one twice. The server checks the current one
 * and the policy (length, common passwords, not the email); its messages show beside the fields.
 * Success ends every session, so the person signs in again with the new password.
 */
function PasswordCard() {
  const change = useChangePassword();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [show, setShow] = useState(false);
  const [local, setLocal] = useState<{ newPassword?: string; again?: string; currentPassword?: string }>({});
  const id = useId();
  const refs = {
    current: useRef<HTMLInputElement>(null),
    next: useRef<HTMLInputElement>(null),
    again: useRef<HTMLInputElement>(null),
  };
  const server = requestErrors(change.error).fields;
  const errors = {
    currentPassword: local.currentPassword ?? server.currentPassword,
    newPassword: local.newPassword ?? server.newPassword,
    again: local.again,
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof local = {};
    if (!current) found.currentPassword = 'Enter your current password.';
    if ([...next].length < MIN_PASSWORD_LENGTH)
      found.newPassword = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    else if (next === current) found.newPassword = 'Choose a password different from the current one.';
    if (!found.newPassword && again !== next) found.again = 'The two new passwords are not the same.';
    setLocal(found);
    if (found.currentPassword) return refs.current.current?.focus();
    if (found.newPassword) return refs.next.current?.focus();
    if (found.again) return refs.again.current?.focus();
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => void navigate('/login?changed=password', { replace: true }),
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.fields.currentPassword) refs.current.current?.focus();
          else if (error.fields.newPassword) refs.next.current?.focus();
        },
      },
    );
  };

  const field = (
    key: 'current' | 'next' | 'again',
    label: string,
    value: string,
    set: (v: string) => void,
    error: string | undefined,
    autoComplete: string,
  ) => (
    <TextField
      ref={refs[key]}
      label={label}
      type={show ? 'text' : 'password'}
      autoComplete={autoComplete}
      spellCheck={false}
      autoCapitalize="none"
      value={value}
      onChange={(e) => set(e.target.value)}
      error={error}
    />
  );

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        Password
      </h2>
      <p className="muted small">
        At least {MIN_PASSWORD_LENGTH} characters (a few words you will remember work well), not one of the
        most common passwords, and not your email address. Changing it signs you out everywhere, here too.
      </p>
      <form className="form password-form" onSubmit={onSubmit} noValidate aria-label="Change your password">
        {field(
          'current',
          'Current password',
          current,
          setCurrent,
          errors.currentPassword,
          'current-password',
        )}
        {field('next', 'New password', next, setNext, errors.newPassword, 'new-password')}
        {field('again', 'New password again', again, setAgain, errors.again, 'new-password')}
        <CheckboxField label="Show passwords" checked={show} onChange={(e) => setShow(e.target.checked)} />
        <div>
          <button type="submit" className="button button--primary" disabled={change.isPending}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        <FormAlert
          message={
            change.isError && !errors.currentPassword && !errors.newPassword ? change.error.message : null
          }
        />
      </div>
    </section>
  );
}
