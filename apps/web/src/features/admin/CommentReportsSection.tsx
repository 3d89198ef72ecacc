/**
 * /admin/comments — comments a team lead reported as abusive or hid, across teams. For each: the
 * team, the cycle (its closing day, nothing finer), the text, why it was reported or hidden, and
 * the decision: keep it hidden from the team's view, or restore it. Nobody can tell who wrote a
 * comment — the page says so, and the API has nothing to tell.
 */
import type { CommentReportOutcome, ModeratedComment } from '@candor/contracts';
import { useState } from 'react';
import { describeFormError, FormAlert, TextField, type FieldErrors } from '../../components/forms';
import { Section } from '../../components/Section';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { formatDate } from '../../lib/format';
import { useCommentModeration, useResolveReport } from './comment-reports-api';

export function CommentReportsSection() {
  const moderation = useCommentModeration();
  return (
    <Section title="Reported comments">
      <p className="muted">
        Comments that a team’s lead reported as abusive or hid from the team’s view. Decide whether each stays
        hidden or goes back to the team’s leads. Nobody — you, the lead or Candor — can find out who wrote a
        comment: nothing stored says it.
      </p>
      {moderation.isPending ? (
        <Skeleton height={240} label="Loading reported comments…" />
      ) : moderation.isError ? (
        <ErrorState error={moderation.error} onRetry={() => void moderation.refetch()} />
      ) : moderation.data.comments.length === 0 ? (
        <EmptyState title="No reported or hidden comments">
          <p>When a team lead reports a comment as abusive or hides one, it appears here for a decision.</p>
        </EmptyState>
      ) : (
        <>
          <ol className="comment-list" aria-label="Reported and hidden comments">
            {moderation.data.comments.map((c) => (
              <ModeratedItem key={c.id} comment={c} />
            ))}
          </ol>
          {moderation.data.truncated && (
            <p className="muted small">
              Showing the first {moderation.data.comments.length}, open reports first: resolve these to see
              the rest.
            </p>
          )}
        </>
      )}
    </Section>
  );
}

const OUTCOME_TEXT: Record<CommentReportOutcome, string> = {
  'keep-hidden': 'Kept hidden',
  restore: 'Restored to the team’s view',
};

/** The two decisions, worded for a comment that is hidden already or only reported. */
const DECISIONS: { outcome: CommentReportOutcome; primary: boolean; label: (hidden: boolean) => string }[] = [
  { outcome: 'keep-hidden', primary: true, label: (h) => (h ? 'Keep hidden' : 'Hide from the team') },
  { outcome: 'restore', primary: false, label: (h) => (h ? 'Restore to the team' : 'Keep visible') },
];

function ModeratedItem({ comment }: { comment: ModeratedComment }) {
  const resolve = useResolveReport(comment.id);
  const [note, setNote] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<CommentReportOutcome | null>(null);
  const reported = comment.openReports.length > 0;
  const label = `${comment.team.name}, cycle closed ${formatDate(comment.cycle.closesOn)}`;

  const decide = (outcome: CommentReportOutcome) => {
    setFormError(null);
    if (note.trim().length < 3) {
      setFields({ note: 'Say why, in a few words (kept in the audit log).' });
      return;
    }
    setFields({});
    resolve.mutate(
      { outcome, note: note.trim() },
      {
        onSuccess: () => setDone(outcome),
        onError: (error) => {
          const described = describeFormError(error, ['note', 'outcome']);
          setFields(described.fields);
          setFormError(described.form ?? described.fields.outcome ?? null);
        },
      },
    );
  };

  return (
    <li className="comment" aria-label={label}>
      <p className="small">
        <strong>{comment.team.name}</strong> · cycle closed {formatDate(comment.cycle.closesOn)} ·{' '}
        {comment.hidden
          ? `hidden (${comment.hiddenReason ?? 'no reason given'})`
          : 'visible to the team’s leads'}
      </p>
      <blockquote className="comment__text">{comment.text}</blockquote>
      {reported ? (
        <div className="notice notice--warn">
          <p>Reported {comment.openReports.length === 1 ? 'once' : `${comment.openReports.length} times`}:</p>
          <ul>
            {comment.openReports.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted small">Hidden by a lead; not reported.</p>
      )}
      {done ? (
        <p role="status">{OUTCOME_TEXT[done]}.</p>
      ) : (
        // Two decisions and no default: Enter in the note field decides nothing.
        <form className="comment-decision" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Why (kept in the audit log)"
            value={note}
            maxLength={500}
            error={fields.note}
            onChange={(e) => setNote(e.target.value)}
          />
          <FormAlert message={formError} />
          <div className="comment-decision__buttons">
            {DECISIONS.map(({ outcome, primary, label }) => (
              <button
                key={outcome}
                type="button"
                className={primary ? 'button button--primary' : 'button'}
                disabled={resolve.isPending}
                onClick={() => decide(outcome)}
              >
                {label(comment.hidden)}
              </button>
            ))}
          </div>
        </form>
      )}
    </li>
  );
}
