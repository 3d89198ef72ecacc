/**
 * /compare — a director's teams × dimensions for one month, one survey at a time. A cell is
 * coloured only when the team differs from the rest of the group after the Benjamini–Hochberg
 * adjustment, green when that is better and red when worse for the dimension; every released cell
 * shows its band, so a team's standing is never hidden by the test. Interval, n, p and q are on
 * demand. Suppressed cells say so and carry no number. Sorting is done here, by favourability.
 */
import type { DimensionInfo, InstrumentId } from '@candor/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { TrendFigure, ChartLegend } from '../../components/chart/TrendFigure';
import { SUPPRESSION_TEXT, shapeTrend } from '../../components/chart/trend-data';
import { CheckboxField, OptionsField, SelectField } from '../../components/forms';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { BandBadge } from '../../components/decisions/BandBadge';
import { dimensionDirection, directionWords } from '../../components/decisions/direction';
import { formatInterval, formatP, formatPercent, formatScore, formatSignedDelta } from '../../lib/format';
import { useCurrentUser } from '../../lib/current-user';
import { useTeamTrend } from '../../lib/team-trend';
import { useGroupComparison, useGroupTrend } from './api';
import { comparisonCsv, comparisonCsvName } from './comparison-csv';
import {
  formatMonth,
  heatRows,
  significantCount,
  sortRows,
  TREE_ORDER,
  type HeatCell,
  type HeatRow,
  type HeatSort,
} from './heatmap';
import { ReliabilitySection } from './ReliabilitySection';
import { INSTRUMENT_NAME, INSTRUMENT_OPTIONS } from '../../lib/survey-text';

const MAX_SMALL_MULTIPLES = 12;
/** Months back for the period picker and the reliability view. */
const MONTHS = 24;

/**
 * A download link for `csv`: a blob URL made when the text changes and revoked when it is
 * replaced or the page goes. (In development, StrictMode's second render may make one more,
 * unused, which lives until the tab closes.)
 */
function useCsvHref(csv: string | null): string | null {
  const href = useMemo(
    () => (csv === null ? null : URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))),
    [csv],
  );
  useEffect(
    () => () => {
      if (href) URL.revokeObjectURL(href);
    },
    [href],
  );
  return href;
}

export default function ComparePage() {
  useDocumentTitle('Compare teams');
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const groupId = params.get('group') ?? user.directorOf[0]?.id ?? '';
  const instrument: InstrumentId =
    params.get('instrument') === 'trust-equation' ? 'trust-equation' : 'psych-safety';
  const months = useGroupTrend(groupId, instrument, MONTHS);
  const points = useMemo(() => [...(months.data?.points ?? [])].reverse(), [months.data]);
  const periods = useMemo(() => points.map((p) => p.period), [points]);
  const requested = params.get('period');
  // By default the latest month that is final: a month still open shows its teams but no group rows.
  const period =
    requested && /^\d{4}-\d{2}$/.test(requested)
      ? requested
      : (points.find((p) => p.final)?.period ?? periods[0] ?? null);
  const comparison = useGroupComparison(groupId, instrument, period);
  const [sort, setSort] = useState<HeatSort>(TREE_ORDER);
  const [details, setDetails] = useState(false);

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    if (key !== 'period' && key !== 'instrument') next.delete('period');
    setParams(next, { replace: false });
  };

  const data = comparison.data;
  const rows = useMemo(() => (data ? sortRows(heatRows(data), sort) : []), [data, sort]);
  // The export is what the heatmap shows, in the order it shows it.
  const csv = useMemo(
    () =>
      data
        ? comparisonCsv(
            data,
            rows.map((r) => r.id),
          )
        : null,
    [data, rows],
  );
  const csvHref = useCsvHref(csv);

  if (user.directorOf.length === 0) {
    return (
      <div className="page">
        <h1>Compare teams</h1>
        <EmptyState title="You do not direct a group">
          <p>Comparisons are for directors. An admin can make you director of a group.</p>
        </EmptyState>
      </div>
    );
  }

  const groupOptions = [
    ...user.directorOf.map((g) => ({ id: g.id, name: g.name, depth: 0 })),
    ...(data?.rows ?? [])
      .filter((r) => r.kind === 'group' && r.parentId !== null && !user.directorOf.some((g) => g.id === r.id))
      .map((r) => ({ id: r.id, name: r.name, depth: r.depth })),
  ];
  if (!groupOptions.some((g) => g.id === groupId))
    groupOptions.push({ id: groupId, name: data?.group.name ?? 'Group', depth: 1 });
  const teams = data ? data.rows.filter((r) => r.kind === 'team') : [];

  return (
    <div className="page page--wide page--charts">
      <div className="page-header">
        <p className="page-header__eyebrow">Director view</p>
        <h1>Compare teams{data ? `: ${data.group.name}` : ''}</h1>
        <p className="page-header__lede">
          Each team against the rest of the group for one month. Every result shows its band; a cell is
          coloured only when the team is better or worse than the rest beyond chance, after correcting for the
          number of comparisons. Cells with fewer than k answers are suppressed.
        </p>
      </div>

      <div className="card pickers" role="group" aria-label="What to compare">
        <SelectField label="Group" value={groupId} onChange={(e) => update('group', e.target.value)}>
          {groupOptions.map((g) => (
            <option key={g.id} value={g.id}>
              {'\u00a0\u00a0'.repeat(g.depth)}
              {g.name}
            </option>
          ))}
        </SelectField>
        <OptionsField
          label="Survey"
          value={instrument}
          options={INSTRUMENT_OPTIONS}
          onChange={(e) => update('instrument', e.target.value)}
        />
        <SelectField
          label="Month"
          value={period ?? ''}
          disabled={periods.length === 0}
          onChange={(e) => update('period', e.target.value)}
        >
          {period && !periods.includes(period) && <option value={period}>{formatMonth(period)}</option>}
          {periods.length === 0 && !period && <option value="">No closed cycles</option>}
          {points.map((p) => (
            <option key={p.period} value={p.period}>
              {formatMonth(p.period)}
              {p.final ? '' : ' (not final yet)'}
            </option>
          ))}
        </SelectField>
        {data && csvHref && (
          <a
            className="button button--secondary pickers__csv"
            href={csvHref}
            download={comparisonCsvName(data, sort)}
            title={`The table as shown, ${sort.key === 'tree' ? 'in org order' : 'in its current sort order'}`}
          >
            Download CSV
          </a>
        )}
      </div>

      <section className="card" aria-labelledby="heatmap-heading">
        <h2 id="heatmap-heading" className="card__title">
          {INSTRUMENT_NAME[instrument]}
          {period ? `, ${formatMonth(period)}` : ''}
        </h2>
        {months.isPending || (comparison.isPending && period !== null) ? (
          <Skeleton height={360} label="Loading the comparison…" />
        ) : months.isError || comparison.isError ? (
          <ErrorState
            error={months.error ?? comparison.error}
            title="Could not load the comparison"
            onRetry={() => void (months.isError ? months.refetch() : comparison.refetch())}
          />
        ) : !data ? (
          <EmptyState title="No closed cycles in this group yet">
            <p>The comparison appears once a cycle has closed for its teams.</p>
          </EmptyState>
        ) : (
          <>
            {!data.final && (
              <p className="notice notice--info" role="status">
                {formatMonth(data.period)} is not final yet. Each team’s own closed cycle is shown; the group
                rows appear once the month is over and every cycle in it has closed — then they never change.
              </p>
            )}
            <p className="muted">
              Mean on the 1–7 scale (trust index 3/7–21) of each team’s latest cycle closing in the month · k
              = {data.k} · coloured where the team differs from the rest of the group with a
              Benjamini–Hochberg false-discovery rate of {Math.round(data.fdr * 100)}% ·{' '}
              {significantCount(rows, data.dimensions)} significant{' '}
              {significantCount(rows, data.dimensions) === 1 ? 'cell' : 'cells'}.
            </p>
            <HeatLegend />
            <CheckboxField
              label="Show details (interval, n, difference from the rest, p and q)"
              fieldClassName="heatmap__details-toggle"
              checked={details}
              onChange={(e) => setDetails(e.target.checked)}
            />
            <Heatmap
              rows={rows}
              dimensions={data.dimensions}
              sort={sort}
              onSort={setSort}
              details={details}
              caption={`${data.group.name}: teams by dimension, ${formatMonth(data.period)}`}
              onOpenGroup={(id) => update('group', id)}
            />
            <p className="muted small">
              Download CSV saves this table as shown: the same rows in the same order, suppressed cells as
              “suppressed”.
            </p>
          </>
        )}
      </section>

      {data && teams.length > 0 && (
        <section className="card" aria-labelledby="multiples-heading">
          <h2 id="multiples-heading" className="card__title">
            Trends of the teams
          </h2>
          <p className="muted">
            {data.dimensions[0]!.label} per closed cycle for each team, on the same fixed scale.
            {teams.length > MAX_SMALL_MULTIPLES &&
              ` The first ${MAX_SMALL_MULTIPLES} of ${teams.length} teams.`}
          </p>
          <ChartLegend />
          <div className="small-multiples">
            {teams.slice(0, MAX_SMALL_MULTIPLES).map((team) => (
              <TeamMultiple key={team.id} teamId={team.id} name={team.name} instrument={instrument} />
            ))}
          </div>
        </section>
      )}

      {groupId !== '' && <ReliabilitySection groupId={groupId} months={MONTHS} />}
    </div>
  );
}

function HeatLegend() {
  return (
    <ul className="legend heat-legend" aria-label="Heatmap legend">
      <li>
        <span className="heat-swatch heat-cell--better" aria-hidden="true" /> Better than the rest of the
        group (significant; ▲ higher, ▼ lower)
      </li>
      <li>
        <span className="heat-swatch heat-cell--worse" aria-hidden="true" /> Worse than the rest of the group
        (significant; for self-orientation higher is worse)
      </li>
      <li>
        <span className="heat-swatch" aria-hidden="true" /> No significant difference
      </li>
      <li>
        <span className="heat-swatch heat-cell--suppressed" aria-hidden="true" /> Suppressed: not enough
        answers
      </li>
    </ul>
  );
}

function SortButton({
  label,
  sortKey,
  sort,
  onSort,
}: {
  label: string;
  sortKey: string;
  sort: HeatSort;
  onSort: (sort: HeatSort) => void;
}) {
  const active = sort.key === sortKey ? sort.dir : null;
  // Names sort A→Z first; scores best first (by favourability), then worst first.
  const first = sortKey === 'name' ? 'asc' : 'desc';
  const next = active === null ? first : active === first ? (first === 'asc' ? 'desc' : 'asc') : null;
  const icon =
    sortKey === 'name'
      ? active === 'asc'
        ? ' ▲'
        : active === 'desc'
          ? ' ▼'
          : ' ↕'
      : active === 'desc'
        ? ' best first'
        : active === 'asc'
          ? ' worst first'
          : ' ↕';
  return (
    <button
      type="button"
      className="sort-button"
      onClick={() => onSort(next === null ? TREE_ORDER : { key: sortKey, dir: next })}
    >
      {label}
      <span aria-hidden="true" className="sort-button__icon">
        {icon}
      </span>
    </button>
  );
}

/** aria-sort describes the values: for a lower-is-better column, worst first is descending. */
function ariaSort(
  sort: HeatSort,
  key: string,
  direction: 'higher' | 'lower' = 'higher',
): 'ascending' | 'descending' | undefined {
  if (sort.key !== key) return undefined;
  const ascending = (sort.dir === 'asc') === (direction === 'higher');
  return ascending ? 'ascending' : 'descending';
}

function Heatmap({
  rows,
  dimensions,
  sort,
  onSort,
  caption,
  onOpenGroup,
  details,
}: {
  rows: HeatRow[];
  dimensions: DimensionInfo[];
  sort: HeatSort;
  onSort: (sort: HeatSort) => void;
  caption: string;
  onOpenGroup: (groupId: string) => void;
  details: boolean;
}) {
  const tree = sort.key === 'tree';
  return (
    <div className="table-scroll" role="region" aria-label={`${caption} (heatmap)`} tabIndex={0}>
      <table className="heatmap">
        <caption className="visually-hidden">
          {caption}. {tree ? 'In org order.' : 'Sorted; the group itself stays first.'} Select a column
          heading to sort.
        </caption>
        <thead>
          <tr>
            <th scope="col" aria-sort={ariaSort(sort, 'name')}>
              <SortButton label="Team" sortKey="name" sort={sort} onSort={onSort} />
            </th>
            {dimensions.map((d) => (
              <th key={d.id} scope="col" aria-sort={ariaSort(sort, d.id, dimensionDirection(d))}>
                <SortButton label={d.label} sortKey={d.id} sort={sort} onSort={onSort} />
                {dimensionDirection(d) === 'lower' && (
                  <span className="overview__direction">{directionWords('lower')}</span>
                )}
              </th>
            ))}
            <th scope="col">Answered</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className={row.reference ? 'heatmap__reference' : undefined}>
              <th scope="row" style={tree ? { paddingLeft: `${0.75 + row.depth * 1}rem` } : undefined}>
                {row.kind === 'team' ? (
                  <Link to={`/teams/${encodeURIComponent(row.id)}`}>{row.name}</Link>
                ) : row.reference ? (
                  <span>
                    {row.name} <span className="muted small">(whole group)</span>
                  </span>
                ) : (
                  <button type="button" className="button button--link" onClick={() => onOpenGroup(row.id)}>
                    {row.name} <span className="muted small">(group)</span>
                  </button>
                )}
              </th>
              {dimensions.map((d) => (
                <HeatTd key={d.id} cell={row.cells[d.id]!} details={details} />
              ))}
              <td className="num">
                {row.participation.status === 'released' ? (
                  `${row.participation.n} of ${row.participation.invited} (${formatPercent(row.participation.rate)})`
                ) : (
                  <span className="muted">suppressed</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HeatTd({ cell, details }: { cell: HeatCell; details: boolean }) {
  if (cell.status === 'suppressed') {
    return (
      <td className="heat-cell heat-cell--suppressed" data-flag="suppressed">
        <span className="heat-cell__value">Suppressed</span>
        <span className="heat-cell__detail">{SUPPRESSION_TEXT[cell.reason].long}</span>
      </td>
    );
  }
  const detail =
    cell.delta !== null && cell.p !== null && cell.q !== null
      ? `${formatSignedDelta(cell.delta)} vs rest, ${formatP(cell.p)}, BH q = ${cell.q.toFixed(3)}`
      : 'reference';
  return (
    <td
      className={`heat-cell heat-cell--${cell.tone ?? 'none'}`}
      data-flag={cell.flag}
      data-tone={cell.tone ?? 'none'}
    >
      <span className="heat-cell__value">
        {cell.flag !== 'none' && <span aria-hidden="true">{cell.flag === 'above' ? '▲ ' : '▼ '}</span>}
        {formatScore(cell.mean)}
        {cell.tone && (
          <span className="visually-hidden"> (significantly {cell.tone} than the rest of the group)</span>
        )}
      </span>
      {cell.band && <BandBadge band={cell.band} />}
      {details && (
        <>
          <span className="heat-cell__detail">
            {formatInterval(cell.lower, cell.upper)} · n = {cell.n}
          </span>
          <span className="heat-cell__detail">{detail}</span>
        </>
      )}
    </td>
  );
}

function TeamMultiple({
  teamId,
  name,
  instrument,
}: {
  teamId: string;
  name: string;
  instrument: InstrumentId;
}) {
  const trend = useTeamTrend(teamId, instrument);
  if (trend.isPending) return <Skeleton height={330} label={`Loading ${name}…`} />;
  if (trend.isError) return <ErrorState error={trend.error} title={`Could not load ${name}`} />;
  const dimension = trend.data.dimensions[0]!;
  return (
    <div className="team-multiple">
      <TrendFigure compact headingLevel="h3" title={name} series={shapeTrend(trend.data.points, dimension)} />
      <Link to={`/teams/${encodeURIComponent(teamId)}`} className="small">
        Open {name}
      </Link>
    </div>
  );
}
