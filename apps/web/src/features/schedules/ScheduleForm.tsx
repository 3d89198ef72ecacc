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
import { useEffect, useId, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import {
  CheckboxField,
  FormAlert,
  OptionsField,
  RadioGroupField,
  requestErrors,
  SelectField,
  TextField,
} from '../../components/forms';
import { WEEKDAY_NAMES } from '../../lib/format';
import { INSTRUMENT_OPTIONS } from '../../lib/survey-text';
import { useSaveSchedule, useSchedulePreview } from './api';

export interface ScopeOption {
  id: string;
  name: string;
}

const CADENCES: { value: Cadence; label: string }[] = [
  { value: 'weekly', label: 'Weekly' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'monthly', label: 'Monthly (first chosen weekday)' },
  { value: 'quarterly', label: 'Quarterly (first chosen weekday of Jan, Apr, Jul, Oct)' },
];
const SCOPES: { value: FormState['scope']; label: string }[] = [
  { value: 'team', label: 'One team' },
  { value: 'group', label: 'A group (every active team in it)' },
];
const TRUST_SUBJECTS: { value: TrustSubject; label: string }[] = [
  { value: 'team', label: 'People on this team' },
  { value: 'lead', label: 'Our tech lead' },
];
const WEEKDAYS = WEEKDAY_NAMES.map((name, i) => ({ value: String(i + 1), label: name }));
const HOURS = Array.from({ length: 24 }, (_, h) => ({
  value: String(h),
  label: `${String(h).padStart(2, '0')}:00`,
}));

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

/** The fields whose value is text, as typed or as chosen from a select's options. */
type TextKey = { [K in keyof FormState]: FormState[K] extends string ? K : never }[keyof FormState];

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
  const saveErrors = requestErrors(save.error, '; ');
  const previewErrors = requestErrors(preview.error, '; ');
  const fields = saveErrors.hasFields ? saveErrors.fields : previewErrors.fields;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(body, { onSuccess: onSaved });
  };

  /** Value, change handler and error of a field that holds text (selects and inputs alike). */
  const bind = <K extends TextKey>(key: K) => ({
    value: state[key],
    // A select only offers its options' values (an instrument, a cadence…), so the cast holds.
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      set(key, e.target.value as FormState[K]),
    error: fields[key],
  });

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
          <RadioGroupField
            legend="Schedule for"
            value={state.scope}
            options={SCOPES}
            onChange={(scope) => set('scope', scope)}
          />
        )}
        <SelectField label={state.scope === 'team' ? 'Team' : 'Group'} {...bind(scopeKey)}>
          <option value="">Choose…</option>
          {scopeOptions.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <OptionsField label="Survey" {...bind('instrument')} options={INSTRUMENT_OPTIONS} />
        {state.instrument === 'trust-equation' && (
          <OptionsField label="Trust in" {...bind('trustSubject')} options={TRUST_SUBJECTS} />
        )}
        <OptionsField label="Cadence" {...bind('cadence')} options={CADENCES} />
        <OptionsField label="Weekday" {...bind('weekday')} options={WEEKDAYS} />
        <OptionsField label="Opens at" {...bind('hour')} options={HOURS} />
        <TextField
          label="Time zone"
          hint="IANA name, e.g. Europe/Berlin. Leave empty for the organisation’s time zone."
          type="text"
          suggestions={TIME_ZONES}
          autoComplete="off"
          spellCheck={false}
          {...bind('timezone')}
        />
        <TextField
          label="Open for (days)"
          type="number"
          inputMode="numeric"
          min={1}
          max={14}
          {...bind('windowDays')}
        />
        <TextField
          label="Minimum answers to show results (k)"
          hint="At least 3; 5 is the default. Applies to cycles that open from now on."
          type="number"
          inputMode="numeric"
          min={3}
          {...bind('k')}
        />
        <TextField
          label="Comment threshold (k for comments)"
          hint="Comments are shown to the team’s leads only if at least this many people took part. Empty: the larger of k and 5. Never below k; frozen when a cycle opens."
          type="number"
          inputMode="numeric"
          min={whole(state.k) ?? 3}
          placeholder={String(Math.max(whole(state.k) ?? 5, 5))}
          {...bind('kComments')}
        />
        <CheckboxField
          label="Active (untick to pause: no new cycles open)"
          checked={state.active}
          onChange={(e) => set('active', e.target.checked)}
          error={fields.active}
        />
      </div>

      <section className="schedule-preview" aria-labelledby={fid('preview-title')} aria-live="polite">
        <h3 id={fid('preview-title')}>Next openings</h3>
        {!state.active ? (
          <p className="muted">Paused: no cycles will open.</p>
        ) : preview.isPending ? (
          <p className="muted">Working out the dates…</p>
        ) : previewErrors.hasFields ? (
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
        <FormAlert
          message={saveErrors.hasFields ? 'Some fields need fixing (see above).' : saveErrors.form}
        />
      </div>
    </form>
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
