/**
 * /teams/:teamId — a team's released results. Loaded lazily: this route is the only one that
 * pulls in Recharts.
 */
import { TeamComments } from './TeamComments';
import type { DimensionInfo, OpenCycleStatus, TeamTrendResponse } from '@candor/contracts';
import { TRUST_INDEX, currentInstrument } from '@candor/instruments';
import { useDeferredValue, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ChartLegend, TrendFigure } from '../../components/chart/TrendFigure';
import { SUPPRESSION_TEXT, placeActions, shapeTrend } from '../../components/chart/trend-data';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { TableHead } from '../../components/TableHead';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDate, formatDateRange, formatPercent } from '../../lib/format';
import { useCurrentUser } from '../../lib/current-user';
import { ActionsSection } from './ActionsSection';
import { useTeamTrend } from '../../lib/team-trend';
import { InShort } from './InShort';
import { ItemBreakdown } from './ItemBreakdown';
import { LogActionForm } from './LogActionForm';
import { PooledSection } from './PooledSection';
import { INSTRUMENT_NAME } from '../../lib/survey-text';

const TRUST_COMPONENTS: { id: string; description: string }[] = [
  { id: 'credibility', description: 'Shares reasoning, admits not knowing, contributes real work.' },
  { id: 'reliability', description: 'Does what they say when they say; warns early.' },
  { id: 'intimacy', description: 'Safe to be candid; keeps confidences; cares about growth.' },
  {
    id: 'self_orientation',
    description: 'Takes credit, puts own recognition first. Lower is better: a fall is an improvement.',
  },
];

/** The team's size as Candor last saw it (the open cycle's invitees, else the latest closed cycle's) and its k. */
function teamSize(trends: (TeamTrendResponse | undefined)[]): { invited: number; k: number } | null {
  for (const trend of trends)
    if (trend?.openCycle) return { invited: trend.openCycle.invited, k: trend.openCycle.k };
  const latest = trends
    .flatMap((t) => t?.points.at(-1) ?? [])
    .sort((a, b) => b.closesAt.localeCompare(a.closesAt))[0];
  return latest ? { invited: latest.invited, k: latest.k } : null;
}

/** A team with fewer people than k can never show a result; one with exactly k needs everyone, every time. */
function SmallTeamWarning({ size, isLead }: { size: { invited: number; k: number }; isLead: boolean }) {
  if (size.invited > size.k) return null;
  const never = size.invited < size.k;
  return (
    <div className="notice notice--warn small-team" role="note">
      <p>
        <strong>
          {never
            ? `This team has ${size.invited} ${size.invited === 1 ? 'person' : 'people'} and k = ${size.k}: no cycle can show a result.`
            : `This team has exactly k = ${size.k} people: a result appears only when every one of them answers.`}
        </strong>{' '}
        {never
          ? 'Answers are still collected anonymously, but no score is ever shown for fewer than k people.'
          : 'One person missing a pulse hides that cycle.'}{' '}
        {isLead
          ? 'Ask an admin to add people to the team or combine it with a neighbouring team; a lower k (never below 3) applies only to cycles that open later.'
          : ''}
      </p>
    </div>
  );
}

const PSYCH_FALLBACK: DimensionInfo = { id: 'psych_safety', label: 'Psychological safety', min: 1, max: 7 };

function dimension(trend: TeamTrendResponse, id: string, fallback: DimensionInfo): DimensionInfo {
  return trend.dimensions.find((d) => d.id === id) ?? fallback;
}

function shapePsych(trend: TeamTrendResponse | undefined) {
  return trend && trend.points.length > 0
    ? shapeTrend(trend.points, dimension(trend, 'psych_safety', PSYCH_FALLBACK))
    : null;
}

export default function TeamPage() {
  const { teamId = '' } = useParams();
  const user = useCurrentUser();
  const membership = user.teams.find((t) => t.teamId === teamId);
  const psych = useTeamTrend(teamId, 'psych-safety');
  const trust = useTeamTrend(teamId, 'trust-equation');
  const teamName = psych.data?.team.name ?? trust.data?.team.name ?? membership?.teamName ?? 'Team';
  const groupName = psych.data?.team.groupName ?? trust.data?.team.groupName;
  useDocumentTitle(`${teamName} results`);

  const psychInstrument = currentInstrument('psych-safety');
  // Shaped once per response: the page re-renders as the other requests arrive.
  const psychSeries = useMemo(() => shapePsych(psych.data), [psych.data]);
  const psychActions = useMemo(
    () => (psych.data && psychSeries ? placeActions(psychSeries, psych.data.actions) : []),
    [psych.data, psychSeries],
  );
  // The first chart is what people wait for: everything else renders just after it, in a
  // background render, so that it never delays the first chart (docs/benchmarks.md, "Dashboard").
  // The initial value (null) matters when the trends are already cached as the page mounts (the
  // route loader prefetched them): without it React renders the deferred parts in the same pass.
  const psychLater = useDeferredValue<TeamTrendResponse | undefined | null>(psych.data, null) ?? undefined;
  const trustLater = useDeferredValue<TeamTrendResponse | undefined | null>(trust.data, null) ?? undefined;
  const psychLaterSeries = psychLater === psych.data ? psychSeries : shapePsych(psychLater);
  const trustIndexSeries = useMemo(
    () =>
      trustLater && trustLater.points.length > 0
        ? shapeTrend(trustLater.points, dimension(trustLater, 'trust_index', { ...TRUST_INDEX }))
        : null,
    [trustLater],
  );
  const summaryPending =
    psych.isPending || trust.isPending || (psych.data && !psychLater) || (trust.data && !trustLater);
  const isLead = membership?.role === 'lead';
  const size = teamSize([psych.data, trust.data]);
  const hasClosedCycles = (psychLater?.points.length ?? 0) + (trustLater?.points.length ?? 0) > 0;

  const openCycles = [
    { title: psychInstrument.title, open: psych.data?.openCycle ?? null },
    { title: 'Trust', open: trust.data?.openCycle ?? null },
  ].filter((c): c is { title: string; open: OpenCycleStatus } => c.open !== null);

  return (
    <div className="page page--charts">
      <div className="page-header">
        <nav className="page-header__eyebrow" aria-label="Breadcrumb">
          <Link to="/">Home</Link> <span aria-hidden="true">/</span> {groupName ?? 'Team'}
        </nav>
        <h1>
          {teamName}{' '}
          {membership?.role === 'lead' && <span className="badge badge--lead">You lead this team</span>}
        </h1>
        <p className="page-header__lede">
          Results appear for closed cycles in which at least k people answered. Nobody — not leads, directors
          or admins — can see an individual’s answers.
        </p>
        {isLead && (
          <p className="page-header__links">
            <Link to={`/schedules?teamId=${encodeURIComponent(teamId)}`}>Survey schedules</Link> ·{' '}
            <Link to="/settings">Slack and email settings</Link>
          </p>
        )}
      </div>

      {size && <SmallTeamWarning size={size} isLead={isLead} />}

      <section className="card summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="card__title">
          In short
        </h2>
        {summaryPending ? (
          <Skeleton height={88} label="Loading the summary…" />
        ) : (
          <InShort trends={[psychLater, trustLater]} teamId={teamId} canStart={isLead} />
        )}
      </section>

      <section className="card" aria-labelledby="psych-heading">
        {psych.data && psychSeries ? (
          <TrendFigure
            title={psychInstrument.title}
            headingLevel="h2"
            headingId="psych-heading"
            description="How safe people feel to take interpersonal risks on this team (7 items; 1 = strongly disagree, 7 = strongly agree, negatively worded items reversed)."
            series={psychSeries}
            actions={psychActions}
          />
        ) : (
          <>
            <h2 id="psych-heading" className="card__title">
              {psychInstrument.title}
            </h2>
            {psych.isPending ? (
              <Skeleton height={460} label="Loading psychological safety results…" />
            ) : psych.isError ? (
              <ErrorState
                error={psych.error}
                title="Could not load results"
                onRetry={() => void psych.refetch()}
              />
            ) : (
              <EmptyState title="No closed cycles yet">
                <p>Scores appear here after a cycle closes with at least k answers.</p>
              </EmptyState>
            )}
          </>
        )}
      </section>

      {/* After the first chart: appearing with the data, a banner above it would push it down. */}
      {openCycles.map(({ title, open }) => (
        <OpenCycleBanner key={open.cycleId} title={title} open={open} />
      ))}

      {trustLater && trustIndexSeries && <TrustSection trend={trustLater} />}

      {hasClosedCycles && (
        <section className="card" aria-labelledby="items-heading">
          <h2 id="items-heading" className="card__title">
            Statements in the latest cycle
          </h2>
          <p className="muted">Which statements pull the score up or down.</p>
          {psychLater && psychLater.points.length > 0 && (
            <>
              <h3 className="subheading">{psychInstrument.title}</h3>
              <ItemBreakdown
                teamId={teamId}
                cycleId={psychLater.points.at(-1)!.cycleId}
                title={psychInstrument.title}
              />
            </>
          )}
          {trustLater && trustLater.points.length > 0 && (
            <>
              <h3 className="subheading">Trust</h3>
              <ItemBreakdown teamId={teamId} cycleId={trustLater.points.at(-1)!.cycleId} title="Trust" />
            </>
          )}
        </section>
      )}

      {isLead && psychLaterSeries && psychLaterSeries.suppressedCount > 0 && (
        <PooledSection teamId={teamId} instrument="psych-safety" title={psychInstrument.title} />
      )}

      {(psychLater || trustLater) && (
        <ActionsSection teamId={teamId} trends={[psychLater, trustLater]} isLead={isLead} />
      )}

      {isLead && (psychLater || trustLater) && <LogActionForm teamId={teamId} />}

      {hasClosedCycles && <TeamComments teamId={teamId} isLead={isLead} />}

      {psychLater && !trust.isPending && <ParticipationSection trends={[psychLater, trustLater]} />}
    </div>
  );
}

function OpenCycleBanner({ title, open }: { title: string; open: OpenCycleStatus }) {
  if (open.responses === null) {
    return (
      <div className="notice notice--info open-cycle">
        <p>
          <strong>{title} pulse open</strong> until {formatDate(open.closesAt)}. Scores appear when it closes,
          if at least k = {open.k} people answer.
        </p>
      </div>
    );
  }
  const reachedK = open.responses >= open.k;
  return (
    <div className="notice notice--info open-cycle">
      <p>
        <strong>
          {title}: {open.responses} of {open.invited} answered so far
        </strong>{' '}
        — scores appear when the cycle closes ({formatDate(open.closesAt)}).{' '}
        {reachedK
          ? `The threshold of k = ${open.k} is reached.`
          : `${open.k - open.responses} more needed to reach k = ${open.k}.`}
      </p>
      <div
        className="meter"
        role="meter"
        aria-label={`${title} responses so far`}
        aria-valuemin={0}
        aria-valuemax={open.invited}
        aria-valuenow={open.responses}
        aria-valuetext={`${open.responses} of ${open.invited}`}
      >
        <span
          className="meter__fill"
          style={{ width: `${(open.responses / Math.max(1, open.invited)) * 100}%` }}
        />
        <span
          className="meter__threshold"
          style={{ left: `${(open.k / Math.max(1, open.invited)) * 100}%` }}
          title={`k = ${open.k}`}
        />
      </div>
      <p className="muted small">Visible to the team’s leads only. It is a count; no answers are shown.</p>
    </div>
  );
}

function TrustSection({ trend }: { trend: TeamTrendResponse }) {
  const instrument = currentInstrument('trust-equation');
  const index = shapeTrend(trend.points, dimension(trend, 'trust_index', { ...TRUST_INDEX }));
  const actions = trend.actions ?? [];
  return (
    <section className="card" aria-labelledby="trust-heading">
      <h2 id="trust-heading" className="card__title">
        {instrument.title}
      </h2>
      <TrendFigure
        title="Trust index"
        description="(Credibility + Reliability + Intimacy) ÷ Self-orientation, from the team’s component means. 3 means every answer was neutral; teams usually score between 3 and 9, and the index can reach 21 only if every answer is the most favourable. Higher is better."
        series={index}
        actions={placeActions(index, actions)}
      />
      <h3 className="subheading">The four components</h3>
      <p className="muted">
        Each on the 1–7 scale. The index alone hides which lever moved. For self-orientation lower is better.
      </p>
      <ChartLegend bands />
      <div className="small-multiples">
        {TRUST_COMPONENTS.map(({ id, description }) => {
          const fallback = instrument.responseDimensions.find((d) => d.id === id);
          const info = dimension(trend, id, { id, label: fallback?.label ?? id, min: 1, max: 7 });
          const series = shapeTrend(trend.points, info);
          return (
            <TrendFigure
              key={id}
              compact
              headingLevel="h4"
              title={info.label}
              description={description}
              series={series}
              actions={placeActions(series, actions)}
            />
          );
        })}
      </div>
    </section>
  );
}

const PARTICIPATION_ROWS = 8;

function ParticipationSection({ trends }: { trends: (TeamTrendResponse | undefined)[] }) {
  const [showAll, setShowAll] = useState(false);
  const allRows = trends
    .filter((t): t is TeamTrendResponse => t !== undefined)
    .flatMap((t) =>
      t.points.map((p) => ({
        ...p,
        instrumentTitle: INSTRUMENT_NAME[t.instrument],
      })),
    )
    .sort((a, b) => b.closesAt.localeCompare(a.closesAt));
  if (allRows.length === 0) return null;
  const rows = showAll ? allRows : allRows.slice(0, PARTICIPATION_ROWS);
  return (
    <section className="card" aria-labelledby="participation-heading">
      <h2 id="participation-heading" className="card__title">
        Participation
      </h2>
      <div className="table-scroll" role="region" aria-label="Participation per cycle" tabIndex={0}>
        <table className="data-table data-table--stack" role="table">
          <caption>
            Answers per closed cycle, newest first
            {showAll || allRows.length <= PARTICIPATION_ROWS
              ? ''
              : ` (latest ${PARTICIPATION_ROWS} of ${allRows.length})`}
            . Counts are shown only when at least k people answered.
          </caption>
          <TableHead columns={['Cycle', 'Survey', 'Answered', 'Rate', 'k']} />
          <tbody role="rowgroup">
            {rows.map((row) => (
              <tr key={row.cycleId} role="row">
                <th scope="row" role="rowheader">
                  {formatDateRange(row.opensAt, row.closesAt)}
                </th>
                <td role="cell" data-label="Survey">
                  {row.instrumentTitle}
                </td>
                {row.participation.status === 'released' ? (
                  <>
                    <td role="cell" className="num" data-label="Answered">
                      {row.participation.n} of {row.participation.invited}
                    </td>
                    <td role="cell" data-label="Rate">
                      <span className="rate">
                        <span className="rate__bar" aria-hidden="true">
                          <span style={{ width: formatPercent(row.participation.rate) }} />
                        </span>
                        {formatPercent(row.participation.rate)}
                      </span>
                    </td>
                  </>
                ) : (
                  <td role="cell" colSpan={2} data-label="Answered">
                    {row.participation.reason === 'below-k'
                      ? `Suppressed (fewer than k answered; ${row.invited} invited)`
                      : SUPPRESSION_TEXT[row.participation.reason].short}
                  </td>
                )}
                <td role="cell" className="num" data-label="k">
                  {row.k}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {allRows.length > PARTICIPATION_ROWS && (
        <button type="button" className="button button--link" onClick={() => setShowAll((all) => !all)}>
          {showAll ? `Show the latest ${PARTICIPATION_ROWS}` : `Show all ${allRows.length} cycles`}
        </button>
      )}
    </section>
  );
}
