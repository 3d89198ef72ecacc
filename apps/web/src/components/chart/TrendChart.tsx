/**
 * A trend chart: draws a `TrendSeries` (see trend-data.ts) in the chart frame, and nothing else
 * decides what is drawn: the y-axis is pinned, the bands a mean can fall in are faint zones, the
 * 95% interval is a band (or a whisker for an isolated point), the mean a line with dots that
 * breaks at suppressed cycles, and a suppressed cycle is a light grey column with no score — a
 * gap, never a 0 and never a point near the bottom. Significant changes are ringed, with an arrow
 * the way the score moved, green when that is better and red when worse.
 */
import { memo, useMemo } from 'react';
import {
  Area,
  Bar,
  ErrorBar,
  ReferenceArea,
  ReferenceLine,
  type BarShapeProps,
  type DotItemDotProps,
} from 'recharts';
import { formatInterval, formatP, formatScore, formatSignedDelta } from '../../lib/format';
import { ChartFrame, ChartTooltip, ValueLine } from './ChartFrame';
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
  const [bottom, top] = scale.domain;
  const zones = scale.bands && !compact ? bandZones(scale, bottom, top) : [];

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
      {zones.map((z) => (
        <ReferenceArea
          key={z.key}
          y1={z.from}
          y2={z.to}
          fill={z.fill}
          fillOpacity={1}
          stroke="none"
          ifOverflow="hidden"
          label={{ value: z.label, position: 'insideBottomLeft', fill: chartTheme.axis, fontSize: 11 }}
        />
      ))}
      <Bar
        dataKey="gap"
        name="Suppressed"
        legendType="none"
        isAnimationActive={false}
        barSize={compact ? 8 : 14}
        shape={(props: BarShapeProps) => (
          <GapColumn
            key={`gap-${props.originalDataIndex}`}
            props={props}
            datum={props.payload as TrendDatum}
          />
        )}
        activeBar={false}
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
      <ValueLine
        dataKey="plotMean"
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
    </ChartFrame>
  );
});

/** The faint zones behind the line: where the band is strong and where it needs attention. */
function bandZones(
  scale: TrendSeries['scale'],
  bottom: number,
  top: number,
): { key: string; from: number; to: number; fill: string; label: string }[] {
  const { strong, attention } = scale.bands!;
  const higher = scale.goodDirection === 'higher';
  return [
    {
      key: 'strong',
      from: higher ? strong : bottom,
      to: higher ? top : strong,
      fill: chartTheme.zoneStrong,
      label: 'strong',
    },
    {
      key: 'attention',
      from: higher ? bottom : attention,
      to: higher ? attention : top,
      fill: chartTheme.zoneAttention,
      label: 'needs attention',
    },
  ].filter((z) => z.to > z.from);
}

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
  const overflow = datum.overflow && (
    <path
      data-testid="overflow-marker"
      d={
        datum.overflow === 'above'
          ? `M ${cx - 5} ${cy - r - 3} L ${cx} ${cy - r - 9} L ${cx + 5} ${cy - r - 3}`
          : `M ${cx - 5} ${cy + r + 3} L ${cx} ${cy + r + 9} L ${cx + 5} ${cy + r + 3}`
      }
      fill="none"
      stroke={chartTheme.line}
      strokeWidth={2}
    />
  );
  if (!datum.significant || !datum.change) {
    return (
      <g>
        <circle cx={cx} cy={cy} r={r} fill={chartTheme.line} stroke={chartTheme.surface} strokeWidth={1.5} />
        {overflow}
      </g>
    );
  }
  // Significant change: a ring around the dot and an arrow the way it moved, coloured by whether
  // that is better or worse for this dimension.
  const up = datum.change.direction === 'up';
  const colour = datum.tone === 'worse' ? chartTheme.worse : chartTheme.better;
  const s = compact ? 4 : 5;
  const ty = up ? cy - r - 6 : cy + r + 6;
  const arrow = up
    ? `M ${cx - s} ${ty} L ${cx + s} ${ty} L ${cx} ${ty - s * 1.4} Z`
    : `M ${cx - s} ${ty} L ${cx + s} ${ty} L ${cx} ${ty + s * 1.4} Z`;
  return (
    <g data-testid="significant-marker" data-tone={datum.tone ?? undefined}>
      <circle cx={cx} cy={cy} r={r + 3} fill={chartTheme.surface} stroke={colour} strokeWidth={2} />
      <circle cx={cx} cy={cy} r={r - 1} fill={chartTheme.line} />
      <path d={arrow} fill={colour} />
      {overflow}
    </g>
  );
}

/** A suppressed cycle: a light grey column over the whole height, so the line's gap reads as "no score". */
function GapColumn({ props, datum }: { props: BarShapeProps; datum?: TrendDatum }) {
  const { x, y, width, height } = props as { x?: number; y?: number; width?: number; height?: number };
  if (!datum || datum.status !== 'suppressed' || [x, y, width, height].some((v) => typeof v !== 'number'))
    return null;
  return (
    <rect
      data-testid="suppressed-marker"
      x={x}
      y={y}
      width={width}
      height={height}
      rx={2}
      fill={chartTheme.gapFill}
      stroke={chartTheme.gapEdge}
      strokeDasharray="3 3"
    />
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
            {datum.everyoneAnswered
              ? 'none: everyone invited answered, so this is the team’s exact score for the cycle'
              : formatInterval(datum.lower, datum.upper)}
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
                {datum.significant
                  ? `a real change for the ${datum.tone === 'worse' ? 'worse' : 'better'}`
                  : 'within normal variation'}{' '}
                ({formatP(datum.change.p)})
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
