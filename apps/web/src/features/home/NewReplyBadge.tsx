/** Home page: "new reply" when a lead answered one of the comments this browser wrote. */
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { browserStorage } from '../../lib/storage';
import { leadReplies, threadQuery } from '../../lib/comments-api';
import { loadThreads } from '../../lib/thread-storage';

export function NewReplyBadge({ userId }: { userId: string }) {
  const [threads] = useState(() => loadThreads(browserStorage(), userId));
  const results = useQueries({ queries: threads.map((t) => threadQuery(t.secret)) });
  if (threads.length === 0) return null;
  const fresh = threads.filter((t, i) => leadReplies(results[i]?.data ?? null) > t.seenReplies).length;
  return (
    <p className="new-replies">
      <Link to="/threads">My comments</Link>
      {fresh > 0 && (
        <span className="badge badge--new" role="status">
          {fresh === 1 ? 'New reply' : `${fresh} new replies`}
        </span>
      )}
    </p>
  );
}
