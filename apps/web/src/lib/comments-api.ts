/** Comments: the anonymous comment and the writer's thread (no credentials), the lead's view. */
import type {
  CommentCountCell,
  CommentReceipt,
  CommentSuppressionReason,
  SubmitCommentRequest,
  TeamCommentsResponse,
  TeamRosterNamesResponse,
  ThreadMessage,
  ThreadResponse,
} from '@candor/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest, isApiError } from './api-client';

/** Why a cycle's comment count is not shown, in words (team page, director's home). */
const COMMENT_SUPPRESSION_TEXT: Record<CommentSuppressionReason, string> = {
  'below-k': 'fewer than k people took part',
  'below-k-comments': 'fewer people took part than the comment threshold',
  'open-cycle': 'the cycle is still open',
  'would-reveal': 'it would reveal a smaller group',
  'period-open': 'the period is not final',
};

/** A cycle's comment count cell in words: "3 comments", or why it is not shown. */
export function describeCommentCount(count: CommentCountCell, kComments: number): string {
  if (count.status === 'released') return `${count.count} comment${count.count === 1 ? '' : 's'}`;
  return `comments not shown (${COMMENT_SUPPRESSION_TEXT[count.reason]}; k for comments = ${kComments})`;
}

/** Sent like the submission: no cookie, no Authorization header, no referrer. */
const ANONYMOUS = { credentials: 'omit', redirectOn401: false, referrerPolicy: 'no-referrer' } as const;

export function submitComment(request: SubmitCommentRequest): Promise<CommentReceipt> {
  return apiRequest<CommentReceipt>('/comments', { method: 'POST', body: request, ...ANONYMOUS });
}

export function readThread(secret: string, signal?: AbortSignal): Promise<ThreadResponse> {
  return apiRequest<ThreadResponse>('/threads/read', {
    method: 'POST',
    body: { secret },
    signal,
    ...ANONYMOUS,
  });
}

export function postWriterMessage(secret: string, body: string): Promise<ThreadMessage> {
  return apiRequest<ThreadMessage>('/threads/messages', {
    method: 'POST',
    body: { secret, body },
    ...ANONYMOUS,
  });
}

/**
 * The names on the writer's team roster (members and leads of the team only), for the comment box
 * to flag before sending. Signed in: it says nothing the token issue did not (this person is on
 * the team and has the survey open). A failure leaves only the writer's own name to check.
 */
export function useRosterNames(teamId: string) {
  return useQuery({
    queryKey: ['teams', teamId, 'roster-names'] as const,
    queryFn: ({ signal }) =>
      apiRequest<TeamRosterNamesResponse>(`/teams/${encodeURIComponent(teamId)}/roster-names`, { signal }),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

export const teamCommentsQuery = (teamId: string) =>
  queryOptions({
    queryKey: ['teams', teamId, 'comments'],
    queryFn: ({ signal }) =>
      apiRequest<TeamCommentsResponse>(`/teams/${encodeURIComponent(teamId)}/comments`, { signal }),
  });

export function useTeamComments(teamId: string) {
  return useQuery(teamCommentsQuery(teamId));
}

const commentPath = (teamId: string, commentId: string, what: string) =>
  `/teams/${encodeURIComponent(teamId)}/comments/${encodeURIComponent(commentId)}/${what}`;

export function postLeadMessage(teamId: string, commentId: string, body: string): Promise<ThreadMessage> {
  return apiRequest<ThreadMessage>(commentPath(teamId, commentId, 'messages'), {
    method: 'POST',
    body: { body },
  });
}

export function hideComment(teamId: string, commentId: string, reason: string): Promise<void> {
  return apiRequest<void>(commentPath(teamId, commentId, 'hide'), { method: 'POST', body: { reason } });
}

export function reportComment(teamId: string, commentId: string, reason: string): Promise<void> {
  return apiRequest<void>(commentPath(teamId, commentId, 'report'), { method: 'POST', body: { reason } });
}

export const threadQuery = (secret: string) => ({
  queryKey: ['threads', secret] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => readThread(secret, signal).catch(notReleasedYet),
  staleTime: 30_000,
});

/** 404: the comment's cycle has not closed (or its comments were not released): no thread yet. */
function notReleasedYet(error: unknown): null {
  if (isApiError(error, 404)) return null;
  throw error;
}

export const leadReplies = (t: ThreadResponse | null) =>
  t?.messages.filter((m) => m.author === 'lead').length ?? 0;
