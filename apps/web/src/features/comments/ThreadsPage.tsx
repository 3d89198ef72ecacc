/**
 * /threads — the writer's comment threads. The browser proves each reply secret it holds to the
 * server without credentials; the server never learns who is asking. A reply code opens a thread
 * on another device.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorState, Skeleton } from '../../components/states';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { browserStorage } from '../../lib/storage';
import { useCurrentUser } from '../../lib/current-user';
import { leadReplies, postWriterMessage, threadQuery } from '../../lib/comments-api';
import { isReplyCode, loadThreads, saveThread, type StoredThread } from '../../lib/thread-storage';

export default function ThreadsPage() {
  useDocumentTitle('My comments');
  const user = useCurrentUser();
  const [storage] = useState(browserStorage);
  const [threads, setThreads] = useState(() => loadThreads(storage, user.id));
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);

  const addCode = (e: FormEvent) => {
    e.preventDefault();
    if (!isReplyCode(code)) {
      setCodeError('A reply code is 43 letters, digits, “-” or “_”.');
      return;
    }
    saveThread(storage, user.id, { secret: code.trim(), teamName: 'From a reply code', seenReplies: 0 });
    setThreads(loadThreads(storage, user.id));
    setCode('');
    setCodeError(null);
  };

  return (
    <div className="page page--narrow">
      <div className="page-header">
        <h1>My comments</h1>
        <p className="page-header__lede">
          The comments you wrote from this browser and their replies. They are shown after the survey closes,
          if enough people took part. Only this browser (or one you gave the reply code to) can open them.
        </p>
      </div>
      {threads.length === 0 && <p>You have not written a comment from this browser.</p>}
      {threads.map((t) => (
        <ThreadCard key={t.secret} thread={t} userId={user.id} />
      ))}
      <form className="card comment__reply" onSubmit={addCode}>
        <h2 className="card__title">Open a thread from another device</h2>
        <div className="field">
          <label htmlFor="reply-code">Reply code</label>
          <input
            id="reply-code"
            value={code}
            autoComplete="off"
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={codeError !== null}
            aria-describedby={codeError ? 'reply-code-error' : undefined}
          />
          {codeError && (
            <p id="reply-code-error" className="field__error">
              {codeError}
            </p>
          )}
        </div>
        <button type="submit" className="button">
          Open thread
        </button>
      </form>
    </div>
  );
}

function ThreadCard({ thread, userId }: { thread: StoredThread; userId: string }) {
  const queryClient = useQueryClient();
  const [storage] = useState(browserStorage);
  const query = useQuery(threadQuery(thread.secret));
  const [answer, setAnswer] = useState('');
  const [showCode, setShowCode] = useState(false);
  const send = useMutation({
    mutationFn: (body: string) => postWriterMessage(thread.secret, body),
    onSuccess: () => {
      setAnswer('');
      void queryClient.invalidateQueries({ queryKey: ['threads', thread.secret] });
    },
  });
  const data = query.data;
  // Reading the thread here marks its replies as seen (the home page's "new reply" badge).
  const replies = leadReplies(data ?? null);
  useEffect(() => {
    if (replies > thread.seenReplies) saveThread(storage, userId, { ...thread, seenReplies: replies });
  }, [replies, storage, thread, userId]);
  const id = `answer-${thread.secret.slice(0, 8)}`;
  return (
    <section className="card thread" aria-label={`Comment to ${data?.teamName ?? thread.teamName}`}>
      <h2 className="card__title">{data?.teamName ?? thread.teamName}</h2>
      {query.isPending ? (
        <Skeleton height={64} label="Loading the thread…" />
      ) : query.isError ? (
        <ErrorState
          error={query.error}
          title="Could not load this thread"
          onRetry={() => void query.refetch()}
        />
      ) : !data ? (
        <p className="muted">
          Not released yet: it is shown after the survey closes, if enough people took part.
        </p>
      ) : (
        <>
          <blockquote className="comment__text">{data.text}</blockquote>
          {data.hidden && <p className="muted">A lead hid this comment from the team’s view.</p>}
          <ol className="comment__thread">
            {data.messages.map((m) => (
              <li key={m.seq} className={`thread-message thread-message--${m.author}`}>
                <span className="thread-message__who">{m.author === 'lead' ? 'Lead' : 'You'}</span>{' '}
                <span className="muted">{m.writtenOn}</span>
                <p>{m.body}</p>
              </li>
            ))}
          </ol>
          {!data.hidden && (
            <form
              className="comment__reply"
              onSubmit={(e) => {
                e.preventDefault();
                if (answer.trim()) send.mutate(answer.trim());
              }}
            >
              <label htmlFor={id}>Answer (anonymously)</label>
              <textarea id={id} rows={2} value={answer} onChange={(e) => setAnswer(e.target.value)} />
              <button
                type="submit"
                className="button button--primary"
                disabled={send.isPending || !answer.trim()}
              >
                Send answer
              </button>
            </form>
          )}
        </>
      )}
      <p>
        <button type="button" className="button button--ghost" onClick={() => setShowCode((v) => !v)}>
          {showCode ? 'Hide reply code' : 'Show reply code (to read this on another device)'}
        </button>
      </p>
      {showCode && (
        <p>
          Reply code: <code className="reply-code">{thread.secret}</code>. Anyone with it can read and answer
          this thread; keep it private.
        </p>
      )}
    </section>
  );
}
