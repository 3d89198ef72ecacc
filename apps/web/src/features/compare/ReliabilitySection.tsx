/**
 * Reliability of each survey in a group: Cronbach's α per scale per month (psychological safety as
 * one scale, the trust equation per component), released only where at least 30 people answered
 * (GET /api/groups/:groupId/reliability). For directors, on the compare page: is the score
 * measuring one thing consistently for these people?
 */
import type { InstrumentId, ReliabilityScale } from '@candor/contracts';
import { useId, useMemo, useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
  type TooltipContentProps,
} from 'recharts';
import { chartTheme } from '../../components/chart/chart-theme';
import { useElementWidth } from '../../components/chart/useElementWidth';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useGroupReliability } from './api';
import {
  ACCEPTABLE_ALPHA,
  describeAlpha,
  formatAlpha,
  shapeReliability,
  type AlphaDatum,
  type AlphaSeries,
} from './reliability';

const SURVEYS: { id: InstrumentId; title: string }[] = [
  { id: 'psych-safety', title: 'Psychological safety' },
  { id: 'trust-equation', title: 'Trust' },
];

/** "its 7 statements (3 negatively worded ones reversed)", "its 3 credibility statements". */
function statementsOf(scale: ReliabilityScale, single: boolean): string {
  const reversed = scale.reversed.length ? ` (${scale.reversed.length} negatively worded ones reversed)` : '';
  const what = single ? 'statements' : `${scale.label.toLowerCase()} statements`;
  return `its ${scale.items.length} ${what}${reversed}`;
}

const CHART_HEIGHT = 220;
const FIGURE_HEIGHT = 400;

export function ReliabilitySection({ groupId, months }: { groupId: string; months: number }) {
  return (
    <section className="card" aria-labelledby="reliability-heading">
      <h2 id="reliability-heading" className="card__title">
        Reliability of the surveys (Cronbach’s α)
      </h2>
      <div className="reliability-intro">
        <p>
          α says how consistently a survey’s statements measure one thing for the people in this group: if
          people who agree with one statement tend to agree with the others, α is high. It runs up to 1.{' '}
          <strong>0.7 or more is the usual reading of “acceptable”</strong>, 0.8 or more “good”; below 0.7 the
          statements do not hang together well for this group, and its scores deserve more caution.
        </p>
        <p className="muted small">
          Computed per month from the answers of the whole group (every team below it, latest cycle of each
          team in the month), only where at least 30 people answered: with fewer, α itself is too uncertain to
          read. Trust is shown per component (credibility, reliability, intimacy, self-orientation), each over
          its own three statements: the four measure different things, so one α over all twelve would mean
          nothing. No individual answer is shown or used outside these totals.
        </p>
      </div>
      <div className="small-multiples">
        {SURVEYS.map((survey) => (
          <ReliabilityFigure key={survey.id} groupId={groupId} months={months} {...survey} />
        ))}
      </div>
    </section>
  );
}

function ReliabilityFigure({
  groupId,
  months,
  id,
  title,
}: {
  groupId: string;
  months: number;
  id: InstrumentId;
  title: string;
}) {
  const reliability = useGroupReliability(groupId, id, months);
  // One series per scale: psych safety is one scale; the trust equation is four (its components
  // are different constructs, self-orientation running against trust), so α is per component.
  const scales = useMemo(() => {
    const data = reliability.data;
    if (!data) return null;
    const single = data.scales.length === 1;
    return data.scales.map((scale) => ({
      scale,
      title: single ? title : `${title}: ${scale.label}`,
      statements: statementsOf(scale, single),
      series: shapeReliability(data, scale.id),
    }));
  }, [reliability.data, title]);
  if (reliability.isPending)
    return <Skeleton height={FIGURE_HEIGHT} label={`Loading ${title} reliability…`} />;
  if (reliability.isError)
    return (
      <ErrorState
        error={reliability.error}
        title={`Could not load ${title} reliability`}
        onRetry={() => void reliability.refetch()}
      />
    );
  if (!scales || scales.length === 0 || reliability.data?.points.length === 0)
    return (
      <div className="figure figure--compact">
        <h3 className="figure__title">{title}</h3>
        <EmptyState title="No closed cycles in these months" />
      </div>
    );
  return (
    <>
      {scales.map((s) => (
        <AlphaFigure key={s.scale.id} series={s.series} title={s.title} statements={s.statements} />
      ))}
    </>
  );
}

function AlphaFigure({
  series,
  title,
  statements,
}: {
  series: AlphaSeries;
  title: string;
  statements: string;
}) {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const descriptionId = useId();
  const [boxRef, width] = useElementWidth<HTMLDivElement>();
  const byPeriod = useMemo(() => new Map(series.data.map((d) => [d.period, d])), [series.data]);
  const summary = describeAlpha(series, title);
  const latest = [...series.data].reverse().find((d) => d.status === 'released');

  return (
    <figure className="figure figure--compact reliability-figure">
      <figcaption className="figure__header">
        <h3 className="figure__title">{title}</h3>
        <p className="figure__description">
          α over {statements}, per month · needs n ≥ {series.minimumN}.
        </p>
      </figcaption>
      {latest && latest.alpha !== null ? (
        <p className="figure__latest">
          <span className="figure__latest-value">{formatAlpha(latest.alpha)}</span>
          <span className="figure__latest-detail">
            latest ({latest.label}) · n = {latest.n} · {latest.reading}
          </span>
        </p>
      ) : (
        <p className="figure__latest figure__latest--none">
          Not enough responses (n &lt; {series.minimumN}) in any month yet.
        </p>
      )}
      <p className="small reliability-figure__summary">{summary}</p>
      <div
        className="trend-chart trend-chart--compact"
        role="group"
        aria-label={`${title}: Cronbach’s α over time`}
        aria-describedby={descriptionId}
        style={{ height: CHART_HEIGHT }}
        ref={boxRef}
      >
        <p id={descriptionId} className="visually-hidden">
          {summary} {series.data.length - series.releasedCount} of {series.data.length} months withheld.
        </p>
        {width !== null && (
          <ComposedChart
            width={width}
            height={CHART_HEIGHT}
            data={series.data}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          >
            <CartesianGrid stroke={chartTheme.grid} vertical={false} />
            <XAxis
              dataKey="period"
              type="category"
              tickFormatter={(period: string) => byPeriod.get(period)?.shortLabel ?? ''}
              tick={{ fill: chartTheme.axis, fontSize: 11 }}
              tickLine={false}
              axisLine={{ stroke: chartTheme.grid }}
              interval="preserveStartEnd"
              minTickGap={16}
              padding={{ left: 12, right: 12 }}
            />
            <YAxis
              type="number"
              domain={series.domain}
              ticks={series.ticks}
              allowDataOverflow
              interval={0}
              tickFormatter={(v: number) => v.toFixed(1)}
              tick={{ fill: chartTheme.axis, fontSize: 11 }}
              tickLine={false}
              axisLine={false}
              width={32}
            />
            <ReferenceLine
              y={ACCEPTABLE_ALPHA}
              stroke={chartTheme.neutral}
              strokeDasharray="4 4"
              label={{
                value: '0.7 acceptable',
                position: 'insideBottomRight',
                fill: chartTheme.axis,
                fontSize: 11,
              }}
            />
            <Line
              dataKey="alpha"
              name="Cronbach’s α"
              type="linear"
              stroke={chartTheme.line}
              strokeWidth={2}
              connectNulls={false}
              isAnimationActive={false}
              dot={{ r: 3, fill: chartTheme.line, stroke: chartTheme.surface, strokeWidth: 1.5 }}
              activeDot={{ r: 5, stroke: chartTheme.surface, strokeWidth: 2, fill: chartTheme.line }}
            />
            <Line
              dataKey="withheldAt"
              name="Withheld"
              stroke="none"
              isAnimationActive={false}
              legendType="none"
              activeDot={false}
              dot={(props: DotItemDotProps) => (
                <WithheldDot key={`withheld-${props.index}`} props={props} datum={series.data[props.index]} />
              )}
            />
            <Tooltip
              content={(props: TooltipContentProps) => <AlphaTooltip {...props} byPeriod={byPeriod} />}
              cursor={{ stroke: chartTheme.neutral, strokeDasharray: '2 2' }}
              isAnimationActive={false}
            />
          </ComposedChart>
        )}
      </div>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="legend__swatch legend__swatch--line" aria-hidden="true" /> α per month
        </li>
        <li>
          <span className="legend__swatch legend__swatch--threshold" aria-hidden="true" /> 0.7: acceptable
        </li>
        <li>
          <span className="legend__swatch legend__swatch--suppressed" aria-hidden="true" /> Withheld: not
          enough responses
        </li>
      </ul>
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
        {showTable && <AlphaTable series={series} title={title} />}
      </div>
    </figure>
  );
}

function WithheldDot({ props, datum }: { props: DotItemDotProps; datum?: AlphaDatum }) {
  const { cx, cy } = props;
  if (!datum || datum.status !== 'suppressed' || typeof cx !== 'number' || typeof cy !== 'number')
    return null;
  return (
    <circle
      data-testid="withheld-marker"
      cx={cx}
      cy={cy - 6}
      r={4}
      fill={chartTheme.surface}
      stroke={chartTheme.suppressed}
      strokeWidth={2}
    />
  );
}

function AlphaTooltip({
  active,
  label,
  byPeriod,
}: TooltipContentProps & { byPeriod: Map<string, AlphaDatum> }) {
  const datum = active && typeof label === 'string' ? byPeriod.get(label) : undefined;
  if (!datum) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip__title">{datum.label}</p>
      {datum.status === 'released' && datum.alpha !== null ? (
        <dl className="chart-tooltip__list">
          <dt>Cronbach’s α</dt>
          <dd>
            {formatAlpha(datum.alpha)} ({datum.reading})
          </dd>
          <dt>Answers</dt>
          <dd>n = {datum.n}</dd>
        </dl>
      ) : (
        <p className="chart-tooltip__suppressed">{datum.withheld}. No α is shown.</p>
      )}
    </div>
  );
}

function AlphaTable({ series, title }: { series: AlphaSeries; title: string }) {
  return (
    <div className="table-scroll" role="region" aria-label={`${title} reliability (table)`} tabIndex={0}>
      <table className="data-table">
        <caption>
          {title}: Cronbach’s α per month. 0.7 or more is acceptable; withheld where fewer than{' '}
          {series.minimumN} answered.
        </caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">α</th>
            <th scope="col">n</th>
            <th scope="col">Reading</th>
          </tr>
        </thead>
        <tbody>
          {series.data.map((d) => (
            <tr
              key={d.period}
              className={d.status === 'suppressed' ? 'data-table__row--suppressed' : undefined}
            >
              <th scope="row">{d.label}</th>
              {d.status === 'released' && d.alpha !== null ? (
                <>
                  <td className="num">{formatAlpha(d.alpha)}</td>
                  <td className="num">{d.n}</td>
                  <td>{d.reading}</td>
                </>
              ) : (
                <td colSpan={3}>{d.withheld}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
