/**
 * The one chart wrapper over Recharts. It draws a `TrendSeries` (see trend-data.ts) and nothing
 * else decides what is drawn: the y-axis is pinned to the instrument's scale, the 95% interval is
 * a band (or a whisker for an isolated point), the mean a line with dots that breaks at suppressed
 * cycles, and suppressed cycles get a hollow grey marker at the bottom of the scale — never a 0.
 */
import { memo, useId, useMemo } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
  type TooltipContentProps,
} from 'recharts';
import { formatInterval, formatP, formatScore, formatSignedDelta } from '../../lib/format';
import { chartTheme } from './chart-theme';
import { useElementWidth } from './useElementWidth';
import {
  SUPPRESSION_TEXT,
  describeSeries,
  formatBound,
  type ActionMarker,
  type TrendDatum,
  type TrendSeries,
} from './trend-data';

export interface TrendChartProps {
  series: TrendSeries;
  /** Accessible name of the chart, e.g. "Psychological safety trend". */
  title: string;
  height?: number;
  /** Fixed width in px; leave out to fill the container. */
  width?: number;
  /** Small multiple: fewer labels, smaller markers. */
  compact?: boolean;
  /** Team actions drawn as vertical lines at the cycle they precede. */
  actions?: ActionMarker[];
}

/** Memoised: the page re-renders as its other requests arrive; a drawn chart stays as it is. */
export const TrendChart = memo(function TrendChart({
  series,
  title,
  height = 280,
  width,
  compact = false,
  actions = [],
}: TrendChartProps) {
  const descriptionId = useId();
  const byId = useMemo(() => new Map(series.data.map((d) => [d.cycleId, d])), [series.data]);
  const description = useMemo(() => describeSeries(series), [series]);
  const { scale } = series;
  // The chart is drawn once, at the width its box has, when that is known (before the first
  // paint); the box keeps its height meanwhile, so nothing moves (docs/benchmarks.md, "Dashboard").
  const [boxRef, measuredWidth] = useElementWidth<HTMLDivElement>();
  const chartWidth = width ?? measuredWidth;

  const chart = chartWidth !== null && (
    <ComposedChart
      title={title}
      desc={description}
      data={series.data}
      width={chartWidth}
      height={height}
      margin={{ top: compact ? 8 : 16, right: compact ? 8 : 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid stroke={chartTheme.grid} vertical={false} />
      <XAxis
        dataKey="cycleId"
        type="category"
        tickFormatter={(id: string) => byId.get(id)?.label ?? ''}
        tick={{ fill: chartTheme.axis, fontSize: compact ? 11 : 12 }}
        tickLine={false}
        axisLine={{ stroke: chartTheme.grid }}
        interval="preserveStartEnd"
        minTickGap={compact ? 16 : 24}
        padding={{ left: 16, right: 16 }}
      />
      <YAxis
        type="number"
        domain={scale.domain}
        ticks={scale.ticks}
        allowDataOverflow
        interval={0}
        tickFormatter={formatBound}
        tick={{ fill: chartTheme.axis, fontSize: compact ? 11 : 12 }}
        tickLine={false}
        axisLine={false}
        width={compact ? 30 : 40}
      />
      <ReferenceLine
        y={scale.neutral}
        stroke={chartTheme.neutral}
        strokeDasharray="4 4"
        label={
          compact
            ? undefined
            : { value: 'neutral', position: 'insideTopRight', fill: chartTheme.axis, fontSize: 11 }
        }
      />
      {actions
        .filter((a) => a.x !== null)
        .map((a) => (
          <ReferenceLine
            key={a.id}
            x={a.x!}
            stroke={chartTheme.action}
            strokeWidth={1.5}
            strokeDasharray="6 3"
            label={{ value: a.label, position: 'insideTopLeft', fill: chartTheme.action, fontSize: 11 }}
          />
        ))}
      <Area
        dataKey="band"
        name="95% interval"
        type="linear"
        stroke={chartTheme.bandEdge}
        strokeDasharray="3 3"
        strokeWidth={1}
        fill={chartTheme.bandFill}
        fillOpacity={1}
        connectNulls={false}
        isAnimationActive={false}
        activeDot={false}
        dot={false}
      />
      <Line
        dataKey="mean"
        name="Mean"
        type="linear"
        stroke={chartTheme.line}
        strokeWidth={2}
        connectNulls={false}
        isAnimationActive={false}
        dot={(props: DotItemDotProps) => (
          <MeanDot
            key={`mean-${props.index}`}
            props={props}
            datum={series.data[props.index]}
            compact={compact}
          />
        )}
        activeDot={{ r: compact ? 4 : 6, stroke: chartTheme.surface, strokeWidth: 2, fill: chartTheme.line }}
      >
        <ErrorBar
          dataKey="whisker"
          width={compact ? 4 : 6}
          stroke={chartTheme.line}
          strokeWidth={1.5}
          direction="y"
        />
      </Line>
      <Line
        dataKey="suppressedAt"
        name="Suppressed"
        stroke="none"
        isAnimationActive={false}
        legendType="none"
        activeDot={false}
        dot={(props: DotItemDotProps) => (
          <SuppressedDot
            key={`suppressed-${props.index}`}
            props={props}
            datum={series.data[props.index]}
            compact={compact}
          />
        )}
      />
      <Tooltip
        content={(props: TooltipContentProps) => <TrendTooltip {...props} byId={byId} />}
        cursor={{ stroke: chartTheme.neutral, strokeDasharray: '2 2' }}
        isAnimationActive={false}
      />
    </ComposedChart>
  );

  return (
    <div
      className={compact ? 'trend-chart trend-chart--compact' : 'trend-chart'}
      role="group"
      aria-label={title}
      aria-describedby={descriptionId}
      style={{ height }}
      data-domain={scale.domain.join(',')}
      ref={boxRef}
    >
      <p id={descriptionId} className="visually-hidden">
        {description}
      </p>
      {chart}
    </div>
  );
});

function MeanDot({
  props,
  datum,
  compact,
}: {
  props: DotItemDotProps;
  datum?: TrendDatum;
  compact: boolean;
}) {
  const { cx, cy } = props;
  if (!datum || datum.status !== 'released' || typeof cx !== 'number' || typeof cy !== 'number') return null;
  const r = compact ? 3 : 4;
  if (!datum.significant || !datum.change) {
    return (
      <circle cx={cx} cy={cy} r={r} fill={chartTheme.line} stroke={chartTheme.surface} strokeWidth={1.5} />
    );
  }
  // Significant change: a ring around the dot and an arrow pointing the way it moved.
  const up = datum.change.direction === 'up';
  const s = compact ? 4 : 5;
  const ty = up ? cy - r - 6 : cy + r + 6;
  const arrow = up
    ? `M ${cx - s} ${ty} L ${cx + s} ${ty} L ${cx} ${ty - s * 1.4} Z`
    : `M ${cx - s} ${ty} L ${cx + s} ${ty} L ${cx} ${ty + s * 1.4} Z`;
  return (
    <g data-testid="significant-marker">
      <circle cx={cx} cy={cy} r={r + 3} fill={chartTheme.surface} stroke={chartTheme.line} strokeWidth={2} />
      <circle cx={cx} cy={cy} r={r - 1} fill={chartTheme.line} />
      <path d={arrow} fill={chartTheme.line} />
    </g>
  );
}

function SuppressedDot({
  props,
  datum,
  compact,
}: {
  props: DotItemDotProps;
  datum?: TrendDatum;
  compact: boolean;
}) {
  const { cx, cy } = props;
  if (!datum || datum.status !== 'suppressed' || typeof cx !== 'number' || typeof cy !== 'number')
    return null;
  const r = compact ? 4 : 5;
  // Drawn just above the axis line so that the marker is never mistaken for a value of 1.
  const y = cy - r - 2;
  return (
    <g data-testid="suppressed-marker">
      <circle cx={cx} cy={y} r={r} fill={chartTheme.surface} stroke={chartTheme.suppressed} strokeWidth={2} />
      {!compact && (
        <text x={cx} y={y - r - 4} textAnchor="middle" fontSize={11} fill={chartTheme.suppressed}>
          suppressed
        </text>
      )}
    </g>
  );
}

function TrendTooltip({ active, label, byId }: TooltipContentProps & { byId: Map<string, TrendDatum> }) {
  const datum = active && typeof label === 'string' ? byId.get(label) : undefined;
  if (!datum) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip__title">{datum.period}</p>
      {datum.status === 'released' && datum.mean !== null && datum.lower !== null && datum.upper !== null ? (
        <dl className="chart-tooltip__list">
          <dt>Mean</dt>
          <dd>{formatScore(datum.mean)}</dd>
          <dt>95% interval</dt>
          <dd>
            {formatInterval(datum.lower, datum.upper)}
            {datum.n === datum.invited && ' (everyone answered)'}
          </dd>
          <dt>Answers</dt>
          <dd>
            n = {datum.n} of {datum.invited} invited
          </dd>
          <dt>Threshold</dt>
          <dd>k = {datum.k}</dd>
          {datum.change && (
            <>
              <dt>Change</dt>
              <dd>
                {formatSignedDelta(datum.change.delta)},{' '}
                {datum.significant ? 'significant' : 'not significant'} ({formatP(datum.change.p)})
              </dd>
            </>
          )}
        </dl>
      ) : (
        <>
          <p className="chart-tooltip__suppressed">
            Suppressed: {SUPPRESSION_TEXT[datum.reason ?? 'below-k'].long}. No score is shown.
          </p>
          <dl className="chart-tooltip__list">
            <dt>Invited</dt>
            <dd>{datum.invited}</dd>
            <dt>Threshold</dt>
            <dd>k = {datum.k}</dd>
          </dl>
        </>
      )}
    </div>
  );
}
