/**
 * A team with fewer active people than the k its next cycles open with can never show a result;
 * one with exactly k shows one only when everyone answers. Admins see it where they manage teams.
 */
import type { AdminTeam } from '@candor/contracts';

export function smallTeamText(team: AdminTeam): string | null {
  if (!team.active || team.activeMemberCount === undefined || team.nextK === undefined) return null;
  const n = team.activeMemberCount;
  const k = team.nextK;
  if (n < k) {
    return `${n} active ${n === 1 ? 'person' : 'people'}, fewer than k = ${k}: no result can ever be shown. Add people, combine it with another team, or lower k (never below 3) for future cycles.`;
  }
  if (n === k) return `Exactly k = ${k} active people: a result shows only when everyone answers.`;
  return null;
}

export function SmallTeamNote({ team }: { team: AdminTeam }) {
  const text = smallTeamText(team);
  if (!text) return null;
  return (
    <p className="notice notice--warn small-team" role="note">
      <strong>
        {team.activeMemberCount !== undefined && team.activeMemberCount < (team.nextK ?? 0)
          ? 'Too small to show results. '
          : 'At the threshold. '}
      </strong>
      {text}
    </p>
  );
}
