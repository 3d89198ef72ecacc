/**
 * The director's comment counts for a group: per team, how many comments its latest closed pulse
 * of each survey had, where the gate and the comment threshold (k_comments) allow a count at all.
 * Counts only — the text stays with each team's leads, and nobody can tell who wrote a comment.
 */
import type {
  GroupCommentCountsResponse,
  GroupSummary,
  InstrumentId,
  InstrumentVersion,
} from '@candor/contracts';
import { currentInstrument } from '@candor/instruments';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Skeleton, ErrorState } from '../../components/states';
import { apiRequest } from '../../lib/api-client';
import { describeCommentCount } from '../../lib/comments-api';
import { formatDate } from '../../lib/format';

export function useGroupCommentCounts(groupId: string) {
  return useQuery({
    queryKey: ['groups', groupId, 'comment-counts'] as const,
    queryFn: ({ signal }) =>
      apiRequest<GroupCommentCountsResponse>(`/groups/${encodeURIComponent(groupId)}/comment-counts`, {
        signal,
      }),
    staleTime: 60_000,
  });
}

const surveyOf = (version: InstrumentVersion) => version.split('@')[0] as InstrumentId;

export function CommentCounts({ group }: { group: GroupSummary }) {
  const counts = useGroupCommentCounts(group.id);
  const headingId = useId();
  const teams = counts.data?.teams.filter((t) => t.cycles.length > 0) ?? [];
  const surveys = [...new Set(teams.flatMap((t) => t.cycles.map((c) => surveyOf(c.instrument))))].sort();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card__title">
        {group.name}: comments
      </h2>
      <p className="muted">
        How many comments each team’s latest closed pulse had. A count is shown only where enough people took
        part for its comments to be released; only the team’s leads read the text, and nobody can tell who
        wrote a comment.
      </p>
      {counts.isPending ? (
        <Skeleton height={120} label="Loading comment counts…" />
      ) : counts.isError ? (
        <ErrorState
          error={counts.error}
          title="Could not load comment counts"
          onRetry={() => void counts.refetch()}
        />
      ) : teams.length === 0 ? (
        <p>No team in {group.name} has a closed pulse yet.</p>
      ) : (
        <table className="data-table data-table--stack" role="table">
          <thead>
            <tr>
              <th scope="col">Team</th>
              {surveys.map((id) => (
                <th key={id} scope="col">
                  {currentInstrument(id).title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {teams.map((team) => (
              <tr key={team.id}>
                <th scope="row">{team.name}</th>
                {surveys.map((id) => {
                  const cycle = team.cycles.find((c) => surveyOf(c.instrument) === id);
                  return (
                    <td key={id} data-label={currentInstrument(id).title}>
                      {cycle ? (
                        <>
                          {describeCommentCount(cycle.count, cycle.kComments)}
                          <span className="muted small"> · closed {formatDate(cycle.closesOn)}</span>
                        </>
                      ) : (
                        <span className="muted">no closed pulse</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
