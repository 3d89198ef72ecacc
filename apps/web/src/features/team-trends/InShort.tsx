/**
 * "In short": where the team stands, what really changed, and where to start — the lowest
 * dimension with plays the team can try, startable by a lead in two clicks. Plain words, no
 * p-values (the charts' tooltips and tables carry those).
 */
import type { TeamTrendResponse } from '@candor/contracts';
import { BandBadge } from '../../components/decisions/BandBadge';
import { dimensionDirection, directionWords } from '../../components/decisions/direction';
import { formatDate, formatScore } from '../../lib/format';
import { PlayList } from './PlayList';
import { summarizeTeam, type RealChange, type Standing } from './team-summary';

function scaleText(standing: Standing): string {
  return standing.dimension.id === 'trust_index' ? '' : ' of 7';
}

function changeSentence(c: RealChange): string {
  const size = Math.abs(c.change.delta).toFixed(2);
  const verb = c.change.delta > 0 ? 'rose' : 'fell';
  return `${c.dimension.label} ${verb} ${size} since ${formatDate(c.since)} (now ${formatScore(c.mean)}): a real change for the ${c.tone}.`;
}

export function InShort({
  trends,
  teamId,
  canStart,
}: {
  trends: (TeamTrendResponse | undefined)[];
  teamId: string;
  canStart: boolean;
}) {
  const summary = summarizeTeam(trends);
  if (summary.standings.length === 0) {
    return <p className="muted">Nothing to summarise until a cycle closes with at least k answers.</p>;
  }
  const steadySince = summary.steady[0]?.since;
  return (
    <div className="in-short">
      <div className="in-short__columns">
        <div>
          <h3 className="subheading">Where the team stands</h3>
          <ul className="standings">
            {summary.standings.map((s) => (
              <li key={s.dimension.id} className="standings__item">
                <span className="standings__label">{s.dimension.label}</span>
                {s.band && <BandBadge band={s.band} />}
                <span className="standings__value">
                  {formatScore(s.mean)}
                  {scaleText(s)}
                  {dimensionDirection(s.dimension) === 'lower' && (
                    <span className="muted small"> ({directionWords('lower')})</span>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3 className="subheading">What really changed</h3>
          {summary.changes.length > 0 ? (
            <ul className="summary__list">
              {summary.changes.map((c) => (
                <li key={c.dimension.id} className={`summary__item summary__item--${c.tone}`}>
                  {changeSentence(c)}
                </li>
              ))}
            </ul>
          ) : (
            <p>
              {steadySince
                ? `Nothing moved beyond normal variation since ${formatDate(steadySince)}.`
                : 'There is no earlier result to compare with yet.'}
            </p>
          )}
          {summary.changes.length > 0 && summary.steady.length > 0 && (
            <p className="muted small">Everything else stayed within normal variation.</p>
          )}
          {summary.hiddenRecent > 0 && (
            <p className="muted small">
              The{' '}
              {summary.hiddenRecent === 1
                ? 'most recent cycle'
                : `${summary.hiddenRecent} most recent cycles`}{' '}
              had fewer than k answers, so {summary.hiddenRecent === 1 ? 'it is' : 'they are'} not part of
              this.
            </p>
          )}
        </div>
      </div>
      {summary.focus && (
        <div className="in-short__focus">
          <h3 className="subheading">Where to start</h3>
          <p>
            <strong>{summary.focus.standing.dimension.label}</strong> is the team’s least favourable result (
            {formatScore(summary.focus.standing.mean)}
            {summary.focus.standing.band && (
              <>
                , <BandBadge band={summary.focus.standing.band} />
              </>
            )}
            {dimensionDirection(summary.focus.standing.dimension) === 'lower' &&
              `; ${directionWords('lower')}`}
            ).
            {summary.focus.standing.band === 'strong'
              ? ' Everything is strong; these plays keep it that way.'
              : ' Pick one play, try it for a few weeks, and see whether the next pulses move.'}
          </p>
          <PlayList
            teamId={teamId}
            plays={summary.focus.plays}
            dimensionId={summary.focus.standing.dimension.id}
            canStart={canStart}
          />
        </div>
      )}
    </div>
  );
}
