/**
 * Comments on the team page, after close: counts for everyone who sees the team's results (where
 * the gate and k_comments allow), the text and the threads for the team's leads. Nobody — lead,
 * admin or Candor — can tell who wrote a comment.
 */
import type { CycleComments, LeadComment } from '@candor/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorState, Skeleton } from '../../components/states';
import { formatDate } from '../../lib/format';
import {
  describeCommentCount,
  hideComment,
  postLeadMessage,
  reportComment,
  teamCommentsQuery,
  useTeamComments,
} from '../../lib/comments-api';

export function TeamComments({ teamId, isLead }: { teamId: string; isLead: boolean }) {
  const comments = useTeamComments(teamId);
  const withComments = comments.data?.cycles.filter(
    (c) => c.count.status === 'released' && c.count.count > 0,
  );
  return (
    <section className="card" aria-labelledby="comments-heading">
      <h2 id="comments-heading" className="card__title">
        Comments
      </h2>
      <p className="muted">
        {isLead
          ? 'What people wrote, released after each cycle closed when enough took part. Nobody, Candor included, can tell you who wrote a comment; you can reply, and only the writer can read the reply.'
          : 'How many comments each closed cycle had. Only the team’s leads read them.'}
      </p>
      {comments.isPending ? (
        <Skeleton height={96} label="Loading comments…" />
      ) : comments.isError ? (
        <ErrorState
          error={comments.error}
          title="Could not load comments"
          onRetry={() => void comments.refetch()}
        />
      ) : comments.data.cycles.length === 0 ? (
        <p>No cycle has closed yet.</p>
      ) : (
        <>
          <ul className="comment-counts">
            {comments.data.cycles.slice(0, 6).map((c) => (
              <li key={c.cycleId}>
                Cycle closed {formatDate(c.closesAt)}: {describeCommentCount(c.count, c.kComments)}
              </li>
            ))}
          </ul>
          {isLead && withComments?.map((c) => <CycleCommentList key={c.cycleId} teamId={teamId} cycle={c} />)}
        </>
      )}
    </section>
  );
}

function CycleCommentList({ teamId, cycle }: { teamId: string; cycle: CycleComments }) {
  return (
    <div className="comment-cycle">
      <h3 className="subheading">Cycle closed {formatDate(cycle.closesAt)}</h3>
      <ol className="comment-list">
        {(cycle.comments ?? []).map((c, i) => (
          <CommentItem key={c.id} teamId={teamId} comment={c} number={i + 1} />
        ))}
      </ol>
    </div>
  );
}

function CommentItem({ teamId, comment, number }: { teamId: string; comment: LeadComment; number: number }) {
  const queryClient = useQueryClient();
  const [reply, setReply] = useState('');
  const [moderating, setModerating] = useState<'hide' | 'report' | null>(null);
  const [reason, setReason] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: teamCommentsQuery(teamId).queryKey });
  const send = useMutation({
    mutationFn: (body: string) => postLeadMessage(teamId, comment.id, body),
    onSuccess: () => {
      setReply('');
      void refresh();
    },
  });
  const moderate = useMutation({
    mutationFn: ({ what, why }: { what: 'hide' | 'report'; why: string }) =>
      what === 'hide' ? hideComment(teamId, comment.id, why) : reportComment(teamId, comment.id, why),
    onSuccess: () => {
      setModerating(null);
      setReason('');
      void refresh();
    },
  });
  const replyId = `reply-${comment.id}`;
  const onReply = (e: FormEvent) => {
    e.preventDefault();
    if (reply.trim()) send.mutate(reply.trim());
  };
  return (
    <li className="comment" aria-label={`Comment ${number}`}>
      {comment.hidden ? (
        <p className="muted">Hidden ({comment.hiddenReason}).</p>
      ) : (
        <blockquote className="comment__text">{comment.text}</blockquote>
      )}
      {comment.reported && (
        <p className="muted small">
          Reported as abusive: an admin will decide whether it stays in the team’s view.
        </p>
      )}
      {comment.messages.length > 0 && (
        <ol className="comment__thread" aria-label={`Thread of comment ${number}`}>
          {comment.messages.map((m) => (
            <li key={m.seq} className={`thread-message thread-message--${m.author}`}>
              <span className="thread-message__who">{m.author === 'lead' ? 'Lead' : 'Writer'}</span>{' '}
              <span className="muted">{m.writtenOn}</span>
              <p>{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {!comment.hidden && (
        <form className="comment__reply" onSubmit={onReply}>
          <label htmlFor={replyId}>Reply to the writer</label>
          <textarea id={replyId} rows={2} value={reply} onChange={(e) => setReply(e.target.value)} />
          <button type="submit" className="button button--primary" disabled={send.isPending || !reply.trim()}>
            Send reply
          </button>
          {send.isError && (
            <p className="notice notice--error" role="alert">
              The reply was not sent: {send.error.message}
            </p>
          )}
        </form>
      )}
      <div className="comment__moderation">
        {moderating ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              moderate.mutate({ what: moderating, why: reason.trim() });
            }}
          >
            <div className="field">
              <label htmlFor={`reason-${comment.id}`}>
                {moderating === 'hide'
                  ? 'Why hide it (kept in the audit log)'
                  : 'What is abusive (for the admins)'}
              </label>
              <input id={`reason-${comment.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            <button
              type="submit"
              className="button"
              disabled={reason.trim().length < 3 || moderate.isPending}
            >
              {moderating === 'hide' ? 'Hide comment' : 'Report abuse'}
            </button>
            <button type="button" className="button button--ghost" onClick={() => setModerating(null)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            {!comment.hidden && (
              <button type="button" className="button button--ghost" onClick={() => setModerating('hide')}>
                Hide…
              </button>
            )}
            <button type="button" className="button button--ghost" onClick={() => setModerating('report')}>
              Report abuse…
            </button>
          </>
        )}
      </div>
    </li>
  );
}
