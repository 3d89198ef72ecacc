/**
 * Reliability of each survey in a group: Cronbach's α per scale per month (psychological safety as
 * one scale, the trust equation per component), released only where at least 30 people answered
 * (GET /api/groups/:groupId/reliability). For directors, on the compare page: is the score
 * measuring one thing consistently for these people?
 */
import { INSTRUMENT_IDS, type InstrumentId, type ReliabilityScale } from '@candor/contracts';
import { useMemo } from 'react';
import type { DotItemDotProps } from 'recharts';
import { ChartFigure, FigureLatest, Legend } from '../../components/chart/ChartFigure';
import { ChartFrame, ChartTooltip, MarkerLine, ValueLine } from '../../components/chart/ChartFrame';
import { chartTheme } from '../../components/chart/chart-theme';
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
import { INSTRUMENT_NAME } from '../../lib/survey-text';

const SURVEYS = INSTRUMENT_IDS.map((id) => ({ id, title: INSTRUMENT_NAME[id] }));

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
  const byPeriod = useMemo(() => new Map(series.data.map((d) => [d.period, d])), [series.data]);
  const summary = describeAlpha(series, title);
  const latest = [...series.data].reverse().find((d) => d.status === 'released');

  return (
    <ChartFigure
      title={title}
      compact
      className="reliability-figure"
      description={`α over ${statements}, per month · needs n ≥ ${series.minimumN}.`}
      table={() => <AlphaTable series={series} title={title} />}
    >
      {latest && latest.alpha !== null ? (
        <FigureLatest value={formatAlpha(latest.alpha)}>
          latest ({latest.label}) · n = {latest.n} · {latest.reading}
        </FigureLatest>
      ) : (
        <FigureLatest>Not enough responses (n &lt; {series.minimumN}) in any month yet.</FigureLatest>
      )}
      <p className="small reliability-figure__summary">{summary}</p>
      <ChartFrame
        label={`${title}: Cronbach’s α over time`}
        description={`${summary} ${series.data.length - series.releasedCount} of ${series.data.length} months withheld.`}
        data={series.data}
        height={CHART_HEIGHT}
        compact
        x={{ key: 'period', tickLabel: (period) => byPeriod.get(period)?.shortLabel ?? '', padding: 12 }}
        y={{ domain: series.domain, ticks: series.ticks, tickLabel: (v) => v.toFixed(1), width: 32 }}
        reference={{ y: ACCEPTABLE_ALPHA, label: { value: '0.7 acceptable', position: 'insideBottomRight' } }}
        tooltip={(period) => {
          const datum = byPeriod.get(period);
          return datum ? <AlphaTooltip datum={datum} /> : null;
        }}
      >
        <ValueLine
          dataKey="alpha"
          name="Cronbach’s α"
          dot={{ r: 3, fill: chartTheme.line, stroke: chartTheme.surface, strokeWidth: 1.5 }}
          activeDot={{ r: 5, stroke: chartTheme.surface, strokeWidth: 2, fill: chartTheme.line }}
        />
        <MarkerLine
          dataKey="withheldAt"
          name="Withheld"
          dot={(props: DotItemDotProps) => (
            <WithheldDot key={`withheld-${props.index}`} props={props} datum={series.data[props.index]} />
          )}
        />
      </ChartFrame>
      <Legend
        items={[
          { swatch: 'line', label: 'α per month' },
          { swatch: 'threshold', label: '0.7: acceptable' },
          { swatch: 'suppressed', label: 'Withheld: not enough responses' },
        ]}
      />
    </ChartFigure>
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

function AlphaTooltip({ datum }: { datum: AlphaDatum }) {
  return (
    <ChartTooltip title={datum.label}>
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
    </ChartTooltip>
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
