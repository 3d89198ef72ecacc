/**
 * Create or edit a schedule. As the form changes it asks the API for the next openings and shows
 * them, in the schedule's time zone, before anything is saved. Field errors from the API (the
 * preview's and the save's) appear next to their fields.
 */
import type {
  Cadence,
  CreateScheduleRequest,
  InstrumentId,
  ScheduleOpening,
  SchedulePreviewResponse,
  ScheduleView,
  TrustSubject,
} from '@candor/contracts';
import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../lib/api-client';
import { useSaveSchedule, useSchedulePreview } from './api';

export interface ScopeOption {
  id: string;
  name: string;
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const CADENCES: { id: Cadence; label: string }[] = [
  { id: 'weekly', label: 'Weekly' },
  { id: 'biweekly', label: 'Every two weeks' },
  { id: 'monthly', label: 'Monthly (first chosen weekday)' },
  { id: 'quarterly', label: 'Quarterly (first chosen weekday of Jan, Apr, Jul, Oct)' },
];

interface FormState {
  scope: 'team' | 'group';
  teamId: string;
  groupId: string;
  instrument: InstrumentId;
  trustSubject: TrustSubject;
  cadence: Cadence;
  weekday: string;
  hour: string;
  timezone: string;
  windowDays: string;
  k: string;
  /** Empty: the default max(k, 5). */
  kComments: string;
  /** The schedule had its own comment threshold: clearing the field sends null. */
  hadKComments: boolean;
  active: boolean;
}

function initialState(schedule: ScheduleView | undefined, teams: ScopeOption[], teamId?: string): FormState {
  if (schedule) {
    return {
      scope: schedule.groupId ? 'group' : 'team',
      teamId: schedule.teamId ?? '',
      groupId: schedule.groupId ?? '',
      instrument: schedule.instrument,
      trustSubject: schedule.trustSubject ?? 'team',
      cadence: schedule.cadence,
      weekday: String(schedule.weekday),
      hour: String(schedule.hour),
      timezone: schedule.timezone,
      windowDays: String(schedule.windowDays),
      k: String(schedule.k),
      kComments: schedule.kComments === null ? '' : String(schedule.kComments),
      hadKComments: schedule.kComments !== null,
      active: schedule.active,
    };
  }
  return {
    scope: 'team',
    teamId: teamId ?? teams[0]?.id ?? '',
    groupId: '',
    instrument: 'psych-safety',
    trustSubject: 'team',
    cadence: 'biweekly',
    weekday: '1',
    hour: '9',
    timezone: '',
    windowDays: '5',
    k: '5',
    kComments: '',
    hadKComments: false,
    active: true,
  };
}

/** A whole number from the text of a number input; undefined when empty or not a number. */
function whole(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function toBody(s: FormState): CreateScheduleRequest {
  const body: CreateScheduleRequest = {
    teamId: s.scope === 'team' ? s.teamId || null : null,
    groupId: s.scope === 'group' ? s.groupId || null : null,
    instrument: s.instrument,
    trustSubject: s.instrument === 'trust-equation' ? s.trustSubject : null,
    cadence: s.cadence,
    weekday: Number(s.weekday),
    hour: Number(s.hour),
    windowDays: whole(s.windowDays) as number,
    active: s.active,
  };
  const k = whole(s.k);
  if (k !== undefined) body.k = k;
  const kComments = whole(s.kComments);
  if (kComments !== undefined) body.kComments = kComments;
  else if (s.hadKComments) body.kComments = null;
  if (s.timezone.trim()) body.timezone = s.timezone.trim();
  return body;
}

/** Waits until the value has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function formatOpening(iso: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  };
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(date) + ' UTC';
  }
}

const TIME_ZONES: string[] = (() => {
  try {
    return (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
})();

export interface ScheduleFormProps {
  /** The schedule being edited; absent to create one. */
  schedule?: ScheduleView;
  /** Teams the person may schedule (admins: all; leads: the teams they lead). */
  teams: ScopeOption[];
  /** Groups the person may schedule (admins only; empty for leads). */
  groups: ScopeOption[];
  /** Team to start with when creating. */
  initialTeamId?: string;
  onSaved: (schedule: ScheduleView) => void;
}

export function ScheduleForm({ schedule, teams, groups, initialTeamId, onSaved }: ScheduleFormProps) {
  const [state, setState] = useState(() => initialState(schedule, teams, initialTeamId));
  const save = useSaveSchedule(schedule?.id);
  const body = useMemo(() => toBody(state), [state]);
  const previewBody = useDebounced(body, 250);
  const preview = useSchedulePreview(previewBody);
  const id = useId();
  const fid = (name: string) => `${id}-${name}`;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setState((s) => ({ ...s, [key]: value }));
    if (save.isError) save.reset();
  };

  // Field errors: the save's win; otherwise what the preview found wrong with the current form.
  const saveFields = isApiError(save.error) ? save.error.fields : {};
  const previewFields = isApiError(preview.error) ? preview.error.fields : {};
  const fields = Object.keys(saveFields).length > 0 ? saveFields : previewFields;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(body, { onSuccess: onSaved });
  };

  const errorFor = (name: string) =>
    fields[name] ? (
      <p className="field__error" id={fid(`${name}-error`)}>
        {fields[name].join('; ')}
      </p>
    ) : null;
  const invalid = (name: string) =>
    fields[name]
      ? { 'aria-invalid': true as const, 'aria-describedby': fid(`${name}-error`) }
      : { 'aria-invalid': false as const };

  const scopeOptions = state.scope === 'team' ? teams : groups;
  const scopeKey = state.scope === 'team' ? 'teamId' : 'groupId';
  const openings: ScheduleOpening[] = preview.data?.openings ?? [];
  const zone = preview.data?.timezone ?? (state.timezone || 'UTC');

  return (
    <form className="schedule-form" onSubmit={onSubmit} noValidate aria-labelledby={fid('title')}>
      <h2 id={fid('title')} className="card__title">
        {schedule ? 'Edit schedule' : 'New schedule'}
      </h2>
      <div className="schedule-form__grid">
        {groups.length > 0 && (
          <fieldset className="field fieldset">
            <legend>Schedule for</legend>
            <label className="radio">
              <input
                type="radio"
                name={fid('scope')}
                checked={state.scope === 'team'}
                onChange={() => set('scope', 'team')}
              />{' '}
              One team
            </label>
            <label className="radio">
              <input
                type="radio"
                name={fid('scope')}
                checked={state.scope === 'group'}
                onChange={() => set('scope', 'group')}
              />{' '}
              A group (every active team in it)
            </label>
          </fieldset>
        )}
        <Field
          label={state.scope === 'team' ? 'Team' : 'Group'}
          htmlFor={fid(scopeKey)}
          error={errorFor(scopeKey)}
        >
          <select
            id={fid(scopeKey)}
            value={state.scope === 'team' ? state.teamId : state.groupId}
            onChange={(e) => set(scopeKey, e.target.value)}
            {...invalid(scopeKey)}
          >
            <option value="">Choose…</option>
            {scopeOptions.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Survey" htmlFor={fid('instrument')} error={errorFor('instrument')}>
          <select
            id={fid('instrument')}
            value={state.instrument}
            onChange={(e) => set('instrument', e.target.value as InstrumentId)}
            {...invalid('instrument')}
          >
            <option value="psych-safety">Psychological safety</option>
            <option value="trust-equation">Trust equation</option>
          </select>
        </Field>
        {state.instrument === 'trust-equation' && (
          <Field label="Trust in" htmlFor={fid('trustSubject')} error={errorFor('trustSubject')}>
            <select
              id={fid('trustSubject')}
              value={state.trustSubject}
              onChange={(e) => set('trustSubject', e.target.value as TrustSubject)}
              {...invalid('trustSubject')}
            >
              <option value="team">People on this team</option>
              <option value="lead">Our tech lead</option>
            </select>
          </Field>
        )}
        <Field label="Cadence" htmlFor={fid('cadence')} error={errorFor('cadence')}>
          <select
            id={fid('cadence')}
            value={state.cadence}
            onChange={(e) => set('cadence', e.target.value as Cadence)}
            {...invalid('cadence')}
          >
            {CADENCES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Weekday" htmlFor={fid('weekday')} error={errorFor('weekday')}>
          <select
            id={fid('weekday')}
            value={state.weekday}
            onChange={(e) => set('weekday', e.target.value)}
            {...invalid('weekday')}
          >
            {WEEKDAY_NAMES.map((name, i) => (
              <option key={name} value={String(i + 1)}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Opens at" htmlFor={fid('hour')} error={errorFor('hour')}>
          <select
            id={fid('hour')}
            value={state.hour}
            onChange={(e) => set('hour', e.target.value)}
            {...invalid('hour')}
          >
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={String(h)}>
                {String(h).padStart(2, '0')}:00
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Time zone"
          htmlFor={fid('timezone')}
          hint={
            <p className="muted small" id={fid('timezone-hint')}>
              IANA name, e.g. Europe/Berlin. Leave empty for the organisation’s time zone.
            </p>
          }
          error={errorFor('timezone')}
        >
          <input
            id={fid('timezone')}
            type="text"
            list={TIME_ZONES.length > 0 ? fid('zones') : undefined}
            autoComplete="off"
            spellCheck={false}
            value={state.timezone}
            onChange={(e) => set('timezone', e.target.value)}
            {...invalid('timezone')}
            aria-describedby={[fid('timezone-hint'), fields.timezone ? fid('timezone-error') : '']
              .filter(Boolean)
              .join(' ')}
          />
          {TIME_ZONES.length > 0 && (
            <datalist id={fid('zones')}>
              {TIME_ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          )}
        </Field>
        <Field label="Open for (days)" htmlFor={fid('windowDays')} error={errorFor('windowDays')}>
          <input
            id={fid('windowDays')}
            type="number"
            inputMode="numeric"
            min={1}
            max={14}
            value={state.windowDays}
            onChange={(e) => set('windowDays', e.target.value)}
            {...invalid('windowDays')}
          />
        </Field>
        <Field
          label="Minimum answers to show results (k)"
          htmlFor={fid('k')}
          hint={
            <p className="muted small" id={fid('k-hint')}>
              At least 3; 5 is the default. Applies to cycles that open from now on.
            </p>
          }
          error={errorFor('k')}
        >
          <input
            id={fid('k')}
            type="number"
            inputMode="numeric"
            min={3}
            value={state.k}
            onChange={(e) => set('k', e.target.value)}
            {...invalid('k')}
            aria-describedby={[fid('k-hint'), fields.k ? fid('k-error') : ''].filter(Boolean).join(' ')}
          />
        </Field>
        <Field
          label="Comment threshold (k for comments)"
          htmlFor={fid('kComments')}
          hint={
            <p className="muted small" id={fid('kComments-hint')}>
              Comments are shown to the team’s leads only if at least this many people took part. Empty: the
              larger of k and 5. Never below k; frozen when a cycle opens.
            </p>
          }
          error={errorFor('kComments')}
        >
          <input
            id={fid('kComments')}
            type="number"
            inputMode="numeric"
            min={whole(state.k) ?? 3}
            placeholder={String(Math.max(whole(state.k) ?? 5, 5))}
            value={state.kComments}
            onChange={(e) => set('kComments', e.target.value)}
            {...invalid('kComments')}
            aria-describedby={[fid('kComments-hint'), fields.kComments ? fid('kComments-error') : '']
              .filter(Boolean)
              .join(' ')}
          />
        </Field>
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={state.active} onChange={(e) => set('active', e.target.checked)} />{' '}
            Active (untick to pause: no new cycles open)
          </label>
          {errorFor('active')}
        </div>
      </div>

      <section className="schedule-preview" aria-labelledby={fid('preview-title')} aria-live="polite">
        <h3 id={fid('preview-title')}>Next openings</h3>
        {!state.active ? (
          <p className="muted">Paused: no cycles will open.</p>
        ) : preview.isPending ? (
          <p className="muted">Working out the dates…</p>
        ) : preview.isError && Object.keys(previewFields).length > 0 ? (
          <p className="muted">Fix the fields marked above to see the dates.</p>
        ) : preview.isError ? (
          <p className="muted">{preview.error.message}</p>
        ) : openings.length === 0 ? (
          <p className="muted">No openings.</p>
        ) : (
          <>
            <p className="muted small">Times in {zone}.</p>
            <ol className="plain-list" aria-label="Next openings">
              {openings.map((o) => (
                <li key={o.opensAt}>
                  {formatOpening(o.opensAt, zone)} – closes {formatOpening(o.closesAt, zone)}
                </li>
              ))}
            </ol>
          </>
        )}
      </section>

      <AudienceWarning audience={preview.data?.audience} k={whole(state.k) ?? 5} />

      <div className="schedule-form__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : schedule ? 'Save changes' : 'Create schedule'}
        </button>
      </div>
      <div aria-live="polite">
        {save.isError && (
          <p className="notice notice--error" role="alert">
            {Object.keys(saveFields).length > 0 ? 'Some fields need fixing (see above).' : save.error.message}
          </p>
        )}
      </div>
    </form>
  );
}

function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: ReactNode;
  error: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint}
      {error}
    </div>
  );
}

/**
 * Teams the schedule would survey that have fewer active people than its k: they can answer, but
 * no result will ever be shown. Said before saving, so that nobody schedules a pulse in vain.
 */
function AudienceWarning({ audience, k }: { audience: SchedulePreviewResponse['audience']; k: number }) {
  if (!audience || audience.smallTeams.length === 0) return null;
  const { smallTeams, teams } = audience;
  const names = smallTeams.map((t) => `${t.teamName} (${t.activeMembers})`).join(', ');
  return (
    <div className="notice notice--warn schedule-form__audience" role="note">
      <p>
        <strong>
          {teams === 1
            ? `${smallTeams[0]!.teamName} has ${smallTeams[0]!.activeMembers} active ${smallTeams[0]!.activeMembers === 1 ? 'person' : 'people'}, fewer than k = ${k}.`
            : `${smallTeams.length} of the ${teams} teams have fewer active people than k = ${k}: ${names}.`}
        </strong>{' '}
        {teams === 1 ? 'It' : 'They'} can answer, but no result will ever be shown. Add people, combine small
        teams, or choose a lower k (never below 3).
      </p>
    </div>
  );
}
