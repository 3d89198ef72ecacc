/**
 * Anonymous comments and their threads (docs/adr/0012-anonymous-comments.md). A comment is sent
 * with the blind token of the submission and no credentials; its thread is reached with a reply
 * secret only the writer's browser holds (the server keeps its SHA-256).
 */

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
