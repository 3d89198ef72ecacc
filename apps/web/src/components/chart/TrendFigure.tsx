/**
 * A trend chart with everything needed to read it honestly: what is plotted, the latest value
 * with its interval and n, k, a legend, and a data-table toggle.
 */
import { useId, useState } from 'react';
import { formatInterval, formatP, formatScore, formatSignedDelta } from '../../lib/format';
import { TrendChart } from './TrendChart';
import { TrendTable } from './TrendTable';
import { describeK, formatBound, type TrendSeries } from './trend-data';

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
}

export function TrendFigure({
  series,
  title,
  description,
  height,
  compact = false,
  headingLevel: Heading = 'h3',
  headingId,
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
          Team mean on a {scaleText} scale (axis fixed) · band = 95% interval · {describeK(series.kValues)}:
          cycles with fewer answers are suppressed.
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
      />

      {!compact && <ChartLegend />}

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
export function ChartLegend() {
  return (
    <ul className="legend" aria-label="Legend">
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
