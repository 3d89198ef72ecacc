/**
 * The outbox: email written to the database because no SMTP server is configured (invitations,
 * reset links, reminders), newest first. An admin of such an installation passes links on by hand.
 */
import type { OutboxMessage } from '@candor/contracts';
import { EmptyState, QueryState } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { PAGE_SIZE, useOutbox } from './api';
import { Pager, useCursorPages } from '../../components/PagedTable';
import { Section } from '../../components/Section';

export function OutboxSection() {
  const pages = useCursorPages();
  const outbox = useOutbox(pages.cursor);
  const messages = outbox.data?.messages ?? [];
  const last = messages[messages.length - 1];
  return (
    <Section title="Outbox">
      <p className="muted">
        Email written here because no SMTP server is configured, newest first. Invitation and reset links in
        these messages work once: pass each only to the person it is addressed to.
      </p>
      <QueryState
        query={outbox}
        height={320}
        loadingLabel="Loading the outbox…"
        isEmpty={(d) => d.messages.length === 0}
        empty={<EmptyState title="The outbox is empty" />}
      >
        {() => (
          <>
            <ul className="outbox">
              {messages.map((m) => (
                <OutboxItem key={m.id} message={m} />
              ))}
            </ul>
            <Pager
              pages={pages}
              nextCursor={messages.length >= PAGE_SIZE && last ? last.id : null}
              labels={{ previous: 'Newer', next: 'Older' }}
              showPage={false}
            />
          </>
        )}
      </QueryState>
    </Section>
  );
}

function OutboxItem({ message }: { message: OutboxMessage }) {
  return (
    <li className="outbox__item">
      <details>
        <summary>
          <span className="outbox__subject">{message.subject}</span>{' '}
          <span className="muted small">
            to {message.to} · {message.kind} · {formatDateTime(message.createdAt)}
          </span>
        </summary>
        <pre className="outbox__text">{message.text}</pre>
      </details>
    </li>
  );
}
