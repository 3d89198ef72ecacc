/**
 * Request and response shapes shared by the API and the web app.
 * Plain types only: no decorators, no runtime code beyond constants and the CSV cell rules (csv.ts).
 */

import type { TrendAction } from './analytics';
import type {
  Band,
  Cell,
  Change,
  DimensionInfo,
  FavourableCell,
  InstrumentId,
  InstrumentVersion,
  MembershipRole,
  Participation,
  TrustSubject,
} from './core';

export * from './core';
export * from './analytics';
export * from './csv';
export * from './comparison-csv';
export * from './decisions';
export * from './comments';

// ---------------------------------------------------------------- errors

/** Every 4xx/5xx body has this shape. `fields` maps a request field to what is wrong with it. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}

// ---------------------------------------------------------------- auth

export interface LoginRequest {
  email: string;
  password: string;
}

export interface TeamMembershipSummary {
  teamId: string;
  teamName: string;
  role: MembershipRole;
}

export interface GroupSummary {
  id: string;
  name: string;
}

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  teams: TeamMembershipSummary[];
  directorOf: GroupSummary[];
}

export interface LoginResponse {
  accessToken: string;
  /** Seconds until the access token (and the session cookie) expire. */
  expiresIn: number;
  user: UserSummary;
}

// ---------------------------------------------------------------- surveys

export interface OpenSurvey {
  cycleId: string;
  teamId: string;
  teamName: string;
  instrument: InstrumentVersion;
  trustSubject: TrustSubject | null;
  opensAt: string;
  closesAt: string;
  /** Anonymity threshold locked when the cycle opened. */
  k: number;
  /** Comments are shown to the team's leads only if at least this many took part (frozen at open). */
  kComments: number;
  /** The cycle's optional open question. */
  openQuestion: string;
  invited: number;
  /** True once this person has been issued their blind-signed token for the cycle. */
  tokenIssued: boolean;
  /** The cycle's RSA-PSS (SHA-384) public key, SPKI DER, base64. */
  publicKeySpki: string;
}

export interface OpenSurveysResponse {
  surveys: OpenSurvey[];
}

/** RFC 9474 blinded message, base64url. */
export interface TokenIssueRequest {
  blindedMessage: string;
}

export interface TokenIssueResponse {
  cycleId: string;
  /** RFC 9474 blind signature, base64url. */
  blindSignature: string;
}

/**
 * The anonymous submission. Sent with `credentials: 'omit'`; the server ignores any cookie or
 * Authorization header anyway.
 */
export interface SubmitResponseRequest {
  cycleId: string;
  instrument: InstrumentVersion;
  /** The prepared message that was blind-signed (RFC 9474 randomized variant), base64url. */
  token: string;
  /** The unblinded signature over `token`, base64url. */
  signature: string;
  /** item id → answer on the instrument's scale (1–7). Every item must be answered. */
  answers: Record<string, number>;
}

export interface SubmitReceipt {
  /** Random receipt id; it is not the response row's id. */
  receiptId: string;
  cycleId: string;
  instrument: InstrumentVersion;
  /** True when this exact submission had already been stored and its first receipt is replayed. */
  replayed: boolean;
  teamId: string;
}

// ---------------------------------------------------------------- analytics

export interface ScoreEstimate {
  n: number;
  mean: number;
  /** 95% t-interval (finite-population corrected within a team). */
  lower: number;
  upper: number;
  /** Change versus the previous released cycle, null when there is none to compare. */
  change: Change | null;
  /** Share of favourable answers beside the mean, released with it (absent for the trust index). */
  favourable?: FavourableCell;
  /** The plain band of the mean (`bandOf` in @candor/instruments); the web derives it when absent. */
  band?: Band;
}

export interface TrendPoint {
  cycleId: string;
  opensAt: string;
  closesAt: string;
  k: number;
  invited: number;
  participation: Cell<Participation>;
  /** dimension id → estimate or suppressed */
  scores: Record<string, Cell<ScoreEstimate>>;
}

export interface OpenCycleStatus {
  cycleId: string;
  opensAt: string;
  closesAt: string;
  k: number;
  invited: number;
  /** Live count of responses so far: shown to the team's leads only, null for others. */
  responses: number | null;
}

export interface TeamTrendResponse {
  team: { id: string; name: string; groupName: string };
  instrument: InstrumentId;
  dimensions: DimensionInfo[];
  /** Closed cycles, oldest first. */
  points: TrendPoint[];
  openCycle: OpenCycleStatus | null;
  /** The team's recorded actions on this instrument's dimensions, each with the change across it. */
  actions?: TrendAction[];
}

// ---------------------------------------------------------------- health

export interface HealthResponse {
  status: 'ok' | 'error';
  version: string;
  uptimeSeconds: number;
  database: { status: 'up' | 'down'; mode: 'external' | 'embedded'; latencyMs: number | null };
}
export * from './surveys';
export * from './org';
