/** Shown once the answers were received. No time from the server: just that they arrived. */
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { StoredReceipt } from '../../lib/survey-storage';

export function ReceiptView({ stored, teamName }: { stored: StoredReceipt; teamName: string | null }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const { receipt } = stored;
  return (
    <section className="card receipt" aria-labelledby="receipt-title">
      <p className="receipt__icon" aria-hidden="true">
        ✓
      </p>
      <h1 id="receipt-title" ref={headingRef} tabIndex={-1}>
        Received — thank you
      </h1>
      <p>Your answers were received{teamName ? ` for ${teamName}` : ''}. They cannot be linked to you.</p>
      {stored.keptEarlierAnswers && (
        <p className="notice notice--info">
          Your first submission had already arrived before the connection dropped, so those answers were kept.
          Answers cannot be changed once they are received.
        </p>
      )}
      <dl className="receipt__details">
        <dt>Receipt</dt>
        <dd>
          <code>{receipt.receiptId}</code>
        </dd>
        <dt>Survey</dt>
        <dd>
          <code>{receipt.instrument}</code>
        </dd>
      </dl>
      <p className="muted small">
        The receipt id is random and is not the id of your stored answers. It is kept in this browser only, so
        that it can show you have answered.
      </p>
      <p className="receipt__actions">
        <Link className="button button--primary" to={`/teams/${encodeURIComponent(receipt.teamId)}`}>
          See {teamName ? `${teamName}’s` : 'the team’s'} results
        </Link>
        <Link className="button button--secondary" to="/">
          Back to my surveys
        </Link>
      </p>
      <p className="muted small">Scores appear when the cycle closes, if at least k people answered.</p>
    </section>
  );
}
