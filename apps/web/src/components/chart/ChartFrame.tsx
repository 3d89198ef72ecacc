/**
 * The one wrapper over Recharts: every chart is drawn in this frame. It fixes what all our charts
 * share — a box of fixed height, named and described for screen readers, drawn once at its measured
 * width; a grid; a category x-axis; a y-axis pinned to the given domain and ticks (never fitted to
 * the data); one dashed reference line; and a tooltip for the point under the cursor. The marks
 * (lines, bands, markers) are the caller's `children`.
 */
import { useId, type ReactNode } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type LineProps,
  type TooltipContentProps,
} from 'recharts';
import { chartTheme } from './chart-theme';
import { useElementWidth } from './useElementWidth';

export interface ChartFrameProps {
  /** Accessible name of the chart, e.g. "Psychological safety trend". */
  label: string;
  /** Screen-reader summary of what the chart shows: the chart's accessible description. */
  description: string;
  /** Also put the name and the summary into the SVG itself (`<title>`, `<desc>`). */
  svgText?: boolean;
  data: readonly object[];
  height: number;
  /** Fixed width in px; leave out to fill the container. */
  width?: number;
  /** Small multiple: tighter margins, smaller labels. */
  compact: boolean;
  /** The category axis: the field of a datum it reads, its tick label, its padding at each end. */
  x: { key: string; tickLabel: (value: string) => string; padding: number };
  /** The pinned value axis: domain, ticks, tick label, and the width of its labels. */
  y: { domain: [number, number]; ticks: number[]; tickLabel: (value: number) => string; width: number };
  /** The dashed line across the chart (the scale's neutral point, a threshold) and its label. */
  reference: {
    y: number;
    label?: { value: string; position: 'insideTopRight' | 'insideBottomRight' };
  };
  /** What the tooltip shows for the datum at this x value; null for nothing. */
  tooltip: (x: string) => ReactNode;
  /** The marks, drawn over the reference line in this order. */
  children: ReactNode;
}

export function ChartFrame({
  label,
  description,
  svgText = false,
  data,
  height,
  width,
  compact,
  x,
  y,
  reference,
  tooltip,
  children,
}: ChartFrameProps) {
  const descriptionId = useId();
  // The chart is drawn once, at the width its box has, when that is known (before the first
  // paint); the box keeps its height meanwhile, so nothing moves (docs/benchmarks.md, "Dashboard").
  const [boxRef, measuredWidth] = useElementWidth<HTMLDivElement>();
  const chartWidth = width ?? measuredWidth;
  const fontSize = compact ? 11 : 12;

  const chart = chartWidth !== null && (
    <ComposedChart
      title={svgText ? label : undefined}
      desc={svgText ? description : undefined}
      data={data}
      width={chartWidth}
      height={height}
      margin={{ top: compact ? 8 : 16, right: compact ? 8 : 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid stroke={chartTheme.grid} vertical={false} />
      <XAxis
        dataKey={x.key}
        type="category"
        tickFormatter={x.tickLabel}
        tick={{ fill: chartTheme.axis, fontSize }}
        tickLine={false}
        axisLine={{ stroke: chartTheme.grid }}
        interval="preserveStartEnd"
        minTickGap={compact ? 16 : 24}
        padding={{ left: x.padding, right: x.padding }}
      />
      <YAxis
        type="number"
        domain={y.domain}
        ticks={y.ticks}
        allowDataOverflow
        interval={0}
        tickFormatter={y.tickLabel}
        tick={{ fill: chartTheme.axis, fontSize }}
        tickLine={false}
        axisLine={false}
        width={y.width}
      />
      <ReferenceLine
        y={reference.y}
        stroke={chartTheme.neutral}
        strokeDasharray="4 4"
        label={reference.label && { ...reference.label, fill: chartTheme.axis, fontSize: 11 }}
      />
      {children}
      <Tooltip
        content={({ active, label: at }: TooltipContentProps) =>
          active && typeof at === 'string' ? tooltip(at) : null
        }
        cursor={{ stroke: chartTheme.neutral, strokeDasharray: '2 2' }}
        isAnimationActive={false}
      />
    </ComposedChart>
  );

  return (
    <div
      className={compact ? 'trend-chart trend-chart--compact' : 'trend-chart'}
      role="group"
      aria-label={label}
      aria-describedby={descriptionId}
      style={{ height }}
      data-domain={y.domain.join(',')}
      ref={boxRef}
    >
      <p id={descriptionId} className="visually-hidden">
        {description}
      </p>
      {chart}
    </div>
  );
}

/** The box a tooltip is drawn in: the point's name, then what the caller says about it. */
export function ChartTooltip({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip__title">{title}</p>
      {children}
    </div>
  );
}

type LineMarks = Pick<LineProps, 'dataKey' | 'name' | 'dot'>;

/** The line through a series' values: it breaks where a value is missing, and is never animated. */
export function ValueLine({
  dataKey,
  name,
  dot,
  activeDot,
  children,
}: LineMarks & { activeDot?: LineProps['activeDot']; children?: ReactNode }) {
  return (
    <Line
      dataKey={dataKey}
      name={name}
      type="linear"
      stroke={chartTheme.line}
      strokeWidth={2}
      connectNulls={false}
      isAnimationActive={false}
      dot={dot}
      activeDot={activeDot}
    >
      {children}
    </Line>
  );
}

/** Points drawn only as markers (suppressed or withheld ones): no line, no legend entry, no hover dot. */
export function MarkerLine({ dataKey, name, dot }: LineMarks) {
  return (
    <Line
      dataKey={dataKey}
      name={name}
      stroke="none"
      isAnimationActive={false}
      legendType="none"
      activeDot={false}
      dot={dot}
    />
  );
}
