/**
 * A trend chart with everything needed to read it honestly: what is plotted, the latest value
 * with its interval and n, k, a legend, and a data-table toggle.
 */
import { useId, useState } from 'react';
import { formatDate, formatInterval, formatP, formatScore, formatSignedDelta } from '../../lib/format';
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
  headingLevel: Heading = 'h3',
  headingId,
  actions = [],
  pointLabel = 'Team mean',
}: TrendFigureProps) {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const { dimension } = series;
  const latest = [...series.data].reverse().find((d) => d.status === 'released');
  const scaleText = `${formatBound(dimension.min)}–${formatBound(dimension.max)}`;

  return (
    <figure className={compact ? 'figure figure--compact' : 'figure'}>
      <figcaption className="figure__header">
        <Heading className="figure__title" id={headingId}>
          {title}
        </Heading>
        {description && <p className="figure__description">{description}</p>}
        <p className="figure__meta">
          {pointLabel} on a {scaleText} scale (axis fixed) · band = 95% interval · {describeK(series.kValues)}
          : cycles with fewer answers are suppressed.
        </p>
      </figcaption>

      {latest && latest.mean !== null && latest.lower !== null && latest.upper !== null ? (
        <p className="figure__latest">
          <span className="figure__latest-value">{formatScore(latest.mean)}</span>
          <span className="figure__latest-detail">
            latest ({latest.label}) · 95% interval {formatInterval(latest.lower, latest.upper)} · n ={' '}
            {latest.n} of {latest.invited} · k = {latest.k}
            {latest.change && (
              <>
                {' '}
                · {formatSignedDelta(latest.change.delta)} vs previous ({formatP(latest.change.p)}
                {latest.significant ? ', significant' : ', not significant'})
              </>
            )}
          </span>
        </p>
      ) : (
        <p className="figure__latest figure__latest--none">
          No cycle has reached k answers yet, so there is no score to show.
        </p>
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

      <button
        type="button"
        className="button button--link"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((open) => !open)}
      >
        {showTable ? 'Hide data table' : 'Show data table'}
      </button>
      <div id={tableId} hidden={!showTable}>
        {showTable && <TrendTable series={series} caption={title} />}
      </div>
    </figure>
  );
}

/** What the marks mean. Shown under each full chart, and once above a set of small multiples. */
export function ChartLegend({ actions = false }: { actions?: boolean }) {
  return (
    <ul className="legend" aria-label="Legend">
      {actions && (
        <li>
          <span className="legend__swatch legend__swatch--action" aria-hidden="true" /> Team action (A1, A2…)
        </li>
      )}
      <li>
        <span className="legend__swatch legend__swatch--line" aria-hidden="true" /> Mean
      </li>
      <li>
        <span className="legend__swatch legend__swatch--band" aria-hidden="true" /> 95% interval
      </li>
      <li>
        <span className="legend__swatch legend__swatch--suppressed" aria-hidden="true" /> Suppressed: fewer
        than k answers
      </li>
      <li>
        <span className="legend__swatch legend__swatch--significant" aria-hidden="true" /> Significant change
        (p &lt; 0.05 and above the minimum detectable change)
      </li>
    </ul>
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
