/**
 * A trend chart: draws a `TrendSeries` (see trend-data.ts) in the chart frame, and nothing else
 * decides what is drawn: the y-axis is pinned to the instrument's scale, the 95% interval is a band
 * (or a whisker for an isolated point), the mean a line with dots that breaks at suppressed cycles,
 * and suppressed cycles get a hollow grey marker at the bottom of the scale — never a 0.
 */
import { memo, useMemo } from 'react';
import { Area, ErrorBar, ReferenceLine, type DotItemDotProps } from 'recharts';
import { formatInterval, formatP, formatScore, formatSignedDelta } from '../../lib/format';
import { ChartFrame, ChartTooltip, MarkerLine, ValueLine } from './ChartFrame';
import { chartTheme } from './chart-theme';
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
  const byId = useMemo(() => new Map(series.data.map((d) => [d.cycleId, d])), [series.data]);
  const description = useMemo(() => describeSeries(series), [series]);
  const { scale } = series;

  return (
    <ChartFrame
      label={title}
      description={description}
      svgText
      data={series.data}
      height={height}
      width={width}
      compact={compact}
      x={{ key: 'cycleId', tickLabel: (id) => byId.get(id)?.label ?? '', padding: 16 }}
      y={{ domain: scale.domain, ticks: scale.ticks, tickLabel: formatBound, width: compact ? 30 : 40 }}
      reference={{
        y: scale.neutral,
        label: compact ? undefined : { value: 'neutral', position: 'insideTopRight' },
      }}
      tooltip={(id) => {
        const datum = byId.get(id);
        return datum ? <TrendTooltip datum={datum} /> : null;
      }}
    >
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
      <ValueLine
        dataKey="mean"
        name="Mean"
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
      </ValueLine>
      <MarkerLine
        dataKey="suppressedAt"
        name="Suppressed"
        dot={(props: DotItemDotProps) => (
          <SuppressedDot
            key={`suppressed-${props.index}`}
            props={props}
            datum={series.data[props.index]}
            compact={compact}
          />
        )}
      />
    </ChartFrame>
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

function TrendTooltip({ datum }: { datum: TrendDatum }) {
  return (
    <ChartTooltip title={datum.period}>
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
    </ChartTooltip>
  );
}
