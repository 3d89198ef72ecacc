/**
 * A trend chart with everything needed to read it honestly: what is plotted, the latest value
 * with its interval and n, k, a legend, and a data-table toggle.
 */
import { formatDate, formatInterval, formatP, formatScore, formatSignedDelta } from '../../lib/format';
import { ChartFigure, FigureLatest, Legend, type LegendSwatch } from './ChartFigure';
import { TrendChart } from './TrendChart';
import { TrendTable } from './TrendTable';
import { describeK, formatBound, type ActionMarker, type TrendSeries } from './trend-data';

export interface TrendFigureProps {
  series: TrendSeries;
  title: string;
  /** One sentence on what the number means (and which way is good when that is not obvious). */
  description?: string;
  height?: number;
  compact?: boolean;
  headingLevel?: 'h2' | 'h3' | 'h4';
  /** Id for the heading, so an enclosing section can be labelled by it. */
  headingId?: string;
  /** Team actions on this dimension: drawn on the time axis and listed with their change. */
  actions?: ActionMarker[];
  /** What one point is, for the caption: "Team mean" (default) or e.g. "Team mean pooled over 3 cycles". */
  pointLabel?: string;
}

export function TrendFigure({
  series,
  title,
  description,
  height,
  compact = false,
  headingLevel,
  headingId,
  actions = [],
  pointLabel = 'Team mean',
}: TrendFigureProps) {
  const { dimension } = series;
  const latest = [...series.data].reverse().find((d) => d.status === 'released');
  const scaleText = `${formatBound(dimension.min)}–${formatBound(dimension.max)}`;

  return (
    <ChartFigure
      title={title}
      headingLevel={headingLevel}
      headingId={headingId}
      compact={compact}
      description={description}
      meta={
        <>
          {pointLabel} on a {scaleText} scale (axis fixed) · band = 95% interval · {describeK(series.kValues)}
          : cycles with fewer answers are suppressed.
        </>
      }
      table={() => <TrendTable series={series} caption={title} />}
    >
      {latest && latest.mean !== null && latest.lower !== null && latest.upper !== null ? (
        <FigureLatest value={formatScore(latest.mean)}>
          latest ({latest.label}) · 95% interval {formatInterval(latest.lower, latest.upper)} · n = {latest.n}{' '}
          of {latest.invited} · k = {latest.k}
          {latest.change && (
            <>
              {' '}
              · {formatSignedDelta(latest.change.delta)} vs previous ({formatP(latest.change.p)}
              {latest.significant ? ', significant' : ', not significant'})
            </>
          )}
        </FigureLatest>
      ) : (
        <FigureLatest>No cycle has reached k answers yet, so there is no score to show.</FigureLatest>
      )}

      <TrendChart
        series={series}
        title={`${title} trend`}
        height={height ?? (compact ? 180 : 280)}
        compact={compact}
        actions={actions}
      />

      {!compact && <ChartLegend actions={actions.length > 0} />}
      {actions.length > 0 && <ActionList actions={actions} />}
    </ChartFigure>
  );
}

const TREND_LEGEND: { swatch: LegendSwatch; label: string }[] = [
  { swatch: 'line', label: 'Mean' },
  { swatch: 'band', label: '95% interval' },
  { swatch: 'suppressed', label: 'Suppressed: fewer than k answers' },
  { swatch: 'significant', label: 'Significant change (p < 0.05 and above the minimum detectable change)' },
];

/** What the marks mean. Shown under each full chart, and once above a set of small multiples. */
export function ChartLegend({ actions = false }: { actions?: boolean }) {
  return (
    <Legend
      items={actions ? [{ swatch: 'action', label: 'Team action (A1, A2…)' }, ...TREND_LEGEND] : TREND_LEGEND}
    />
  );
}

/** The team's actions under a chart, each with the change from the cycle before to the cycle after. */
export function ActionList({ actions }: { actions: ActionMarker[] }) {
  return (
    <div className="actions-list">
      <p className="actions-list__title">Actions on this chart</p>
      <ol>
        {actions.map((a) => (
          <li key={a.id}>
            <span className="actions-list__label">{a.label}</span>{' '}
            <span className="actions-list__date">{formatDate(`${a.date}T12:00:00Z`)}</span> · {a.text}
            <br />
            <span className="muted small">
              {a.change && a.before && a.after ? (
                <>
                  Before → after: {formatSignedDelta(a.change.delta)} from {a.before} to {a.after} (
                  {formatP(a.change.p)},{' '}
                  {a.change.significant ? <strong>significant</strong> : 'not significant'})
                </>
              ) : (
                'Before → after: needs a released cycle on each side of the date.'
              )}
              {a.x === null && ' Recorded after the latest closed cycle.'}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
