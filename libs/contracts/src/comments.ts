/**
 * Anonymous comments and their threads (docs/adr/0012-anonymous-comments.md). A comment is sent
 * with the blind token of the submission and no credentials; its thread is reached with a reply
 * secret only the writer's browser holds (the server keeps its SHA-256).
 */
import type { InstrumentVersion } from './core';

/** Why comments carry no count or text: the gate's reasons, or fewer than k_comments took part. */
export type CommentSuppressionReason =
  'below-k' | 'would-reveal' | 'open-cycle' | 'period-open' | 'below-k-comments';

/** Longest comment or thread message, in characters (and at most COMMENT_MAX_BYTES of UTF-8). */
export const COMMENT_MAX_CHARS = 1000;
export const COMMENT_MAX_BYTES = 4000;

export interface SubmitCommentRequest {
  cycleId: string;
  /** The same blind-signed token as the submission, base64url. */
  token: string;
  signature: string;
  text: string;
  /** SHA-256 of the reply secret, base64url (32 bytes). The secret itself never leaves the browser. */
  replyHash: string;
}

export interface CommentReceipt {
  cycleId: string;
  /** True when this exact comment had already been stored (a retry). */
  replayed: boolean;
}

export type CommentAuthor = 'lead' | 'writer';

export interface ThreadMessage {
  seq: number;
  author: CommentAuthor;
  body: string;
  /** The day only (YYYY-MM-DD). */
  writtenOn: string;
}

export interface LeadComment {
  id: string;
  /** The text; null when the comment is hidden (admins still see it). */
  text: string | null;
  hidden: boolean;
  hiddenReason: string | null;
  /** A lead reported it as abusive and no admin has decided yet. */
  reported: boolean;
  messages: ThreadMessage[];
}

export type CommentCountCell =
  { status: 'released'; count: number } | { status: 'suppressed'; reason: CommentSuppressionReason };

export interface CycleComments {
  cycleId: string;
  closesAt: string;
  kComments: number;
  count: CommentCountCell;
  /** Present for the team's leads (and admins) where the count is released; absent otherwise. */
  comments?: LeadComment[];
}

export interface TeamCommentsResponse {
  teamId: string;
  /** Closed cycles, newest first. */
  cycles: CycleComments[];
}

export interface CommentMessageRequest {
  body: string;
}

export interface ModerateCommentRequest {
  reason: string;
}

export interface ThreadReadRequest {
  /** The reply secret (or reply code), base64url of 32 bytes. */
  secret: string;
}

export interface ThreadPostRequest extends ThreadReadRequest {
  body: string;
}

export interface ThreadResponse {
  teamName: string;
  closesAt: string;
  text: string;
  hidden: boolean;
  messages: ThreadMessage[];
}

/**
 * How an admin settles a reported or hidden comment: keep it hidden from the team's view (hiding
 * it if a lead only reported it), or restore it to the team's view.
 */
export type CommentReportOutcome = 'keep-hidden' | 'restore';

/**
 * A released comment that a lead reported or hid, as admins see it. Nothing about the writer: the
 * team, the cycle (its closing day, nothing finer), the text, the hidden flag and the reasons.
 */
export interface ModeratedComment {
  id: string;
  team: { id: string; name: string };
  cycle: { id: string; closesOn: string };
  text: string;
  hidden: boolean;
  hiddenReason: string | null;
  /** The reasons of the reports not yet resolved, as the leads wrote them (no reporter, no time). */
  openReports: string[];
}

export interface CommentModerationResponse {
  /** Comments with at least one open report (the admin page's alert). */
  openReports: number;
  /** Reported or hidden comments: open reports first, then by team and newest cycle. */
  comments: ModeratedComment[];
  /** True when there were more than the page shows (open reports always come first). */
  truncated: boolean;
}

export interface ResolveCommentReportRequest {
  outcome: CommentReportOutcome;
  /** Why (kept in the audit log; the hidden reason when a reported comment is hidden now). */
  note: string;
}

/**
 * The names on a team's roster (active members and leads), for its members' browsers to flag in a
 * comment before it is sent. Names only: no e-mail, no role, no answer or token state.
 */
export interface TeamRosterNamesResponse {
  teamId: string;
  names: string[];
}

/** The comment count of a team's latest closed cycle of one instrument, through the gate. */
export interface TeamCommentCount {
  instrument: InstrumentVersion;
  cycleId: string;
  closesOn: string;
  kComments: number;
  count: CommentCountCell;
}

/**
 * A director's comment counts: per team under the group (today's teams), the latest closed cycle of
 * each instrument with its count cell. Counts only; the text stays with the team's leads.
 */
export interface GroupCommentCountsResponse {
  groupId: string;
  teams: { id: string; name: string; cycles: TeamCommentCount[] }[];
}
