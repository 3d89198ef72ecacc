/**
 * The director's first screen: for each group they direct, where to look (significant drops,
 * teams worse than the rest, results that need attention, teams without results and why) and one
 * grid of every dimension of both surveys for a month, worst first. Numbers beyond the mean are on
 * demand, and each team's comment counts (never the text). Loaded lazily from the home page; it
 * draws no charts.
 */
import type {
  FavourableCell,
  AttentionItem,
  GroupOverviewResponse,
  GroupSummary,
  NoResultsReason,
  OverviewDimension,
  OverviewRow,
} from '@candor/contracts';
import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { BandBadge, ToneArrow } from '../../components/decisions/BandBadge';
import { directionWords, toneOfChange, toneOfFlag } from '../../components/decisions/direction';
import { CheckboxField, OptionsField } from '../../components/forms';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { formatDate, formatInterval, formatPercent, formatScore, formatSignedDelta } from '../../lib/format';
import { useDirectorOverview, useGroupPeriods } from './api';
import { CommentCounts } from './CommentCounts';
import { sortOverview, WORST_FIRST, type OverviewSort } from './overview';
import { INSTRUMENT_NAME } from '../../lib/survey-text';

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
export function formatMonth(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return y && m ? monthFormat.format(new Date(Date.UTC(y, m - 1, 1))) : period;
}

const NO_RESULTS: Record<NoResultsReason, string> = {
  'no-cycle': 'no pulse closed this month',
  'below-k': 'fewer than k answered',
  'smaller-than-k': 'the team has fewer people than k, so it can never show results',
};

const teamLink = (teamId: string) => `/teams/${encodeURIComponent(teamId)}`;

export default function DirectorHome({ groups }: { groups: GroupSummary[] }) {
  return (
    <>
      {groups.map((group) => (
        <GroupOverview key={group.id} group={group} />
      ))}
    </>
  );
}

function GroupOverview({ group }: { group: GroupSummary }) {
  const months = useGroupPeriods(group.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const period = chosen ?? months.latestFinal ?? months.periods[0] ?? null;
  const overview = useDirectorOverview(group.id, period);
  const headingId = useId();

  if (months.isPending || overview.pending) {
    return (
      <section className="card" aria-label={`${group.name}: loading`}>
        <Skeleton height={320} label={`Loading ${group.name}…`} />
      </section>
    );
  }
  if (months.isError || overview.error) {
    return (
      <section className="card" aria-label={group.name}>
        <ErrorState
          error={months.error ?? overview.error}
          title={`Could not load ${group.name}`}
          onRetry={() => (months.isError ? void months.refetch() : overview.refetch())}
        />
      </section>
    );
  }
  if (!period || !overview.data) {
    return (
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId} className="card__title">
          {group.name}
        </h2>
        <EmptyState title="No results yet">
          <p>Results appear here once a pulse has closed for the teams in {group.name}.</p>
        </EmptyState>
      </section>
    );
  }
  const data = overview.data;
  return (
    <>
      <WhereToLook overview={data} />
      <section className="card" aria-labelledby={headingId}>
        <div className="card__header">
          <h2 id={headingId} className="card__title">
            {group.name}: every team, {formatMonth(data.period)}
          </h2>
          <OptionsField
            label="Month"
            fieldClassName="overview__period"
            value={period}
            options={months.periods.map((p) => ({ value: p, label: formatMonth(p) }))}
            onChange={(e) => setChosen(e.target.value)}
          />
        </div>
        <OverviewGrid overview={data} />
        <p className="muted small">
          <Link to={`/compare?group=${encodeURIComponent(group.id)}`}>Compare the teams in detail</Link> — one
          survey at a time, with trends, reliability and a CSV download.
        </p>
      </section>
      <CommentCounts group={group} />
    </>
  );
}

function dimensionLabel(overview: GroupOverviewResponse, id: string | null): string {
  return overview.dimensions.find((d) => d.id === id)?.label ?? '';
}

function attentionText(item: AttentionItem, overview: GroupOverviewResponse): string {
  const label = dimensionLabel(overview, item.dimension);
  switch (item.kind) {
    case 'significant-drop':
      return `${label} ${item.change!.delta > 0 ? 'rose' : 'fell'} ${Math.abs(item.change!.delta).toFixed(2)} to ${formatScore(item.mean!)} in the pulse that closed ${formatDate(item.at!)} — a real change for the worse.`;
    case 'below-group':
      return `${label} ${formatScore(item.mean!)}: worse than the rest of the group (${formatSignedDelta(item.test!.delta)}), beyond chance across all comparisons.`;
    case 'needs-attention':
      return `${label} ${formatScore(item.mean!)}: needs attention.`;
    case 'no-results':
      return `${INSTRUMENT_NAME[item.instrument]}: no result — ${NO_RESULTS[item.reason!]}.`;
  }
}

const ATTENTION_SHOWN = 8;

function WhereToLook({ overview }: { overview: GroupOverviewResponse }) {
  const [all, setAll] = useState(false);
  const items = overview.attention;
  const shown = all ? items : items.slice(0, ATTENTION_SHOWN);
  return (
    <section className="card where-to-look" aria-labelledby="where-to-look-heading">
      <h2 id="where-to-look-heading" className="card__title">
        Where to look
      </h2>
      {items.length === 0 ? (
        <p>
          Nothing stands out in {overview.group.name}: no real change for the worse, no team significantly
          behind the rest, nothing in “needs attention”.
        </p>
      ) : (
        <ul className="attention-list">
          {shown.map((item) => (
            <li
              key={`${item.kind}|${item.teamId}|${item.dimension ?? item.instrument}`}
              className={`attention attention--${item.kind}`}
              data-kind={item.kind}
            >
              <Link to={teamLink(item.teamId)} className="attention__team">
                {item.teamName}
              </Link>{' '}
              {item.band && item.kind !== 'no-results' && <BandBadge band={item.band} />}{' '}
              <span>{attentionText(item, overview)}</span>
            </li>
          ))}
        </ul>
      )}
      {items.length > ATTENTION_SHOWN && (
        <button type="button" className="button button--link" onClick={() => setAll((a) => !a)}>
          {all ? `Show the first ${ATTENTION_SHOWN}` : `Show all ${items.length}`}
        </button>
      )}
    </section>
  );
}

function OverviewGrid({ overview }: { overview: GroupOverviewResponse }) {
  const [sort, setSort] = useState<OverviewSort>(WORST_FIRST);
  const [details, setDetails] = useState(false);
  const rows = useMemo(
    () => sortOverview(overview.rows, overview.dimensions, sort),
    [overview.rows, overview.dimensions, sort],
  );
  const onSort = (key: string) =>
    setSort((s) =>
      s.key !== key ? { key, order: 'worst' } : s.order === 'worst' ? { key, order: 'best' } : WORST_FIRST,
    );
  return (
    <>
      <p className="muted">
        Each team’s latest pulse in the month · band: strong, fine or needs attention · % favourable: the
        share of answers on the good side · ▲▼ in colour: better or worse than the rest of the group beyond
        chance (Benjamini–Hochberg, {Math.round(overview.fdr * 100)}% false discoveries) · k = {overview.k}.
        Sorted{' '}
        {sort.key === 'worst'
          ? 'worst first (each team’s least favourable result)'
          : sort.key === 'name'
            ? 'by name'
            : `by ${dimensionLabel(overview, sort.key)}, ${sort.order} first`}
        .
      </p>
      <div className="overview__controls">
        <CheckboxField
          label="Show details (interval, n, difference from the rest, q)"
          checked={details}
          onChange={(e) => setDetails(e.target.checked)}
        />
        {sort.key !== 'worst' && (
          <button type="button" className="button button--link" onClick={() => setSort(WORST_FIRST)}>
            Worst first
          </button>
        )}
      </div>
      <div
        className="table-scroll overview__scroll"
        role="region"
        aria-label={`${overview.group.name}: overview (table)`}
        tabIndex={0}
      >
        <table className="overview" role="table">
          <caption className="visually-hidden">
            {overview.group.name}: every team by every dimension of both surveys,{' '}
            {formatMonth(overview.period)}.
          </caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">
                <button type="button" className="sort-button" onClick={() => onSort('name')}>
                  Team
                </button>
              </th>
              {overview.dimensions.map((d) => (
                <th
                  key={d.id}
                  scope="col"
                  role="columnheader"
                  aria-sort={
                    sort.key === d.id ? (sort.order === 'worst' ? 'ascending' : 'descending') : undefined
                  }
                >
                  <button type="button" className="sort-button" onClick={() => onSort(d.id)}>
                    {d.label}
                    {sort.key === d.id && (
                      <span className="sort-button__icon">
                        {sort.order === 'worst' ? ' worst first' : ' best first'}
                      </span>
                    )}
                  </button>
                  {d.goodDirection === 'lower' && (
                    <span className="overview__direction">{directionWords('lower')}</span>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            <ReferenceRow overview={overview} details={details} />
            {rows.map((row) => (
              <tr role="row" key={row.teamId}>
                <th scope="row" role="rowheader" className="overview__team">
                  <Link to={teamLink(row.teamId)}>{row.name}</Link>
                  <span className="muted small"> {row.groupName}</span>
                  <TeamStatus row={row} />
                </th>
                {overview.dimensions.map((d) => (
                  <OverviewCell key={d.id} row={row} dim={d} details={details} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function TeamStatus({ row }: { row: OverviewRow }) {
  const reasons = (['psych-safety', 'trust-equation'] as const).map(
    (i) => row.instruments[i]?.noResults ?? null,
  );
  const notes =
    reasons[0] && reasons[0] === reasons[1]
      ? [`No results: ${NO_RESULTS[reasons[0]]}`]
      : (['psych-safety', 'trust-equation'] as const).flatMap((i, n) =>
          reasons[n] ? [`${INSTRUMENT_NAME[i]}: ${NO_RESULTS[reasons[n]!]}`] : [],
        );
  const answered = row.instruments['psych-safety']?.participation;
  return (
    <span className="overview__status">
      {answered?.status === 'released' &&
        `${answered.n} of ${answered.invited} answered (${formatPercent(answered.rate)})`}
      {notes.map((n) => (
        <span key={n} className="overview__note">
          {n}
        </span>
      ))}
    </span>
  );
}

function ReferenceRow({ overview, details }: { overview: GroupOverviewResponse; details: boolean }) {
  return (
    <tr role="row" className="overview__reference">
      <th scope="row" role="rowheader" className="overview__team">
        {overview.group.name} <span className="muted small">(whole group)</span>
      </th>
      {overview.dimensions.map((d) => {
        const cell = overview.reference[d.id];
        return (
          <td role="cell" key={d.id} data-label={d.label} className="overview__cell">
            {cell?.status === 'released' ? (
              <>
                <span className="overview__value">{formatScore(cell.mean)}</span>
                <Favourable cell={cell.favourable} />
                {details && (
                  <span className="overview__detail">
                    {formatInterval(cell.lower, cell.upper)} · n = {cell.n}
                  </span>
                )}
              </>
            ) : (
              <span className="muted small">suppressed</span>
            )}
          </td>
        );
      })}
    </tr>
  );
}

/** The API's favourable share beside a mean (released by the same rule as the mean). */
function Favourable({ cell }: { cell: FavourableCell | undefined }) {
  if (cell?.status !== 'released') return null;
  return <span className="overview__favourable">{formatPercent(cell.share)} favourable</span>;
}

function OverviewCell({ row, dim, details }: { row: OverviewRow; dim: OverviewDimension; details: boolean }) {
  const cell = row.scores[dim.id];
  if (!cell || cell.status === 'suppressed') {
    return (
      <td role="cell" data-label={dim.label} className="overview__cell overview__cell--none" data-band="none">
        <span className="muted small">no result</span>
      </td>
    );
  }
  const vsRest = cell.test ? toneOfFlag(dim.goodDirection, cell.test.flag) : null;
  const drop = cell.change?.significant ? toneOfChange(dim.goodDirection, cell.change.delta) : null;
  return (
    <td
      role="cell"
      data-label={dim.label}
      className={`overview__cell overview__cell--${cell.band}`}
      data-band={cell.band}
      data-vs-rest={vsRest ?? 'none'}
    >
      <span className="overview__value">
        {formatScore(cell.mean)}
        {vsRest && cell.test && <ToneArrow delta={cell.test.delta} tone={vsRest} />}
      </span>
      <BandBadge band={cell.band} />
      <Favourable cell={cell.favourable} />
      {vsRest && <span className="visually-hidden">{vsRest} than the rest of the group</span>}
      {drop && cell.change && (
        <span className={`overview__change tone--${drop}`}>
          {formatSignedDelta(cell.change.delta)} since last pulse
        </span>
      )}
      {details && (
        <span className="overview__detail">
          {formatInterval(cell.lower, cell.upper)} · n = {cell.n}
          {cell.test && (
            <>
              {' '}
              · {formatSignedDelta(cell.test.delta)} vs rest, q = {cell.test.q.toFixed(3)}
            </>
          )}
        </span>
      )}
    </td>
  );
}
