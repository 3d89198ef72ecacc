/**
 * Schedules, cycles, notifications and personal preferences (the survey engine).
 * Plain types only.
 */
import type { InstrumentId, TrustSubject } from './core';

export type Cadence = 'weekly' | 'biweekly' | 'monthly' | 'quarterly';

/**
 * When a schedule opens a cycle, in its time zone:
 * - weekly: every `weekday` at `hour`;
 * - biweekly: every other `weekday`, counted from the first one on or after `startsOn`;
 * - monthly: the first `weekday` of every month;
 * - quarterly: the first `weekday` of January, April, July and October.
 */
export interface ScheduleFields {
  /** Exactly one of teamId and groupId. A group schedule opens a cycle for every active team under it. */
  teamId?: string | null;
  groupId?: string | null;
  instrument: InstrumentId;
  /** Trust equation only: "people on this team" (default) or "our tech lead". */
  trustSubject?: TrustSubject | null;
  cadence: Cadence;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0–23, local time in `timezone`. */
  hour: number;
  /** IANA time zone; defaults to the organisation's (CANDOR_TIMEZONE). */
  timezone?: string;
  /** Days a cycle stays open, 1–14, and never longer than the cadence. */
  windowDays: number;
  /** Anonymity threshold for future cycles; default 5, never below 3. */
  k?: number;
  /**
   * Comment threshold for future cycles: comment text is released only when at least this many took
   * part. null (default) = max(k, 5); never below k.
   */
  kComments?: number | null;
  /** Local date (YYYY-MM-DD) of the first possible opening; default today. */
  startsOn?: string;
  active?: boolean;
}

export type CreateScheduleRequest = ScheduleFields;
export type UpdateScheduleRequest = Partial<ScheduleFields>;

export interface ScheduleOpening {
  opensAt: string;
  closesAt: string;
}

export interface ScheduleView {
  id: string;
  teamId: string | null;
  teamName: string | null;
  groupId: string | null;
  groupName: string | null;
  instrument: InstrumentId;
  trustSubject: TrustSubject | null;
  cadence: Cadence;
  weekday: number;
  hour: number;
  timezone: string;
  windowDays: number;
  k: number;
  /** null: the default max(k, 5). */
  kComments: number | null;
  startsOn: string;
  active: boolean;
  /** The next openings from now (empty when paused). */
  nextOpenings: ScheduleOpening[];
}

export interface ScheduleListResponse {
  schedules: ScheduleView[];
}

/** A team that could never show results: fewer active members than the schedule's k. */
export interface SmallTeam {
  teamId: string;
  teamName: string;
  activeMembers: number;
}

export interface SchedulePreviewResponse {
  timezone: string;
  openings: ScheduleOpening[];
  /**
   * Who the schedule would survey, when the preview names a team or group the caller may schedule:
   * the active teams it covers, and those with fewer active members than its k.
   */
  audience?: { teams: number; smallTeams: SmallTeam[] };
}

/** Only k can be asked for, and it is refused (409) once the cycle has opened: k is locked at open. */
export interface UpdateCycleRequest {
  k: number;
}

export interface CycleView {
  id: string;
  teamId: string;
  scheduleId: string | null;
  instrument: string;
  opensAt: string;
  closesAt: string;
  status: 'open' | 'closed';
  k: number;
  invited: number;
}

// ---------------------------------------------------------------- notifications

export type NotificationKind = 'open' | 'reminder' | 'results' | 'comment';

export interface OutboxMessage {
  id: string;
  createdAt: string;
  to: string;
  subject: string;
  text: string;
  kind: NotificationKind;
}

export interface OutboxResponse {
  messages: OutboxMessage[];
}

export interface PreferencesResponse {
  remindersEnabled: boolean;
}

export interface UpdatePreferencesRequest {
  remindersEnabled: boolean;
}

/** The webhook URL is a secret: it is written, never read back in full. */
export interface TeamSlackRequest {
  /** A Slack incoming-webhook URL, or null to turn Slack off for the team. */
  webhookUrl: string | null;
}

export interface TeamSlackResponse {
  configured: boolean;
  /** e.g. `https://hooks.slack.com/services/T000/…` */
  hint: string | null;
}
