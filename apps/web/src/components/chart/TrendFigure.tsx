/**
 * A trend chart with everything needed to read it honestly: what is plotted and which way is good,
 * the latest value with its band, interval and n, k, a legend, what counts as a change, and a
 * data-table toggle.
 */
import type { FavourableCell } from '@candor/contracts';
import {
  formatDate,
  formatInterval,
  formatP,
  formatPercent,
  formatScore,
  formatSignedDelta,
} from '../../lib/format';
import { BandBadge } from '../decisions/BandBadge';
import { ChangeRuleHelp } from '../decisions/ChangeRuleHelp';
import { bandFor, directionWords } from '../decisions/direction';
import { ChartFigure, FigureLatest, Legend, type LegendSwatch } from './ChartFigure';
import { TrendChart } from './TrendChart';
import { TrendTable } from './TrendTable';
import { describeK, formatBound, type ActionMarker, type TrendDatum, type TrendSeries } from './trend-data';

export interface TrendFigureProps {
  series: TrendSeries;
  title: string;
  /** One sentence on what the number means. */
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
  /** The latest cycle's favourable share, when the API sends one. */
  favourable?: FavourableCell;
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
  favourable,
}: TrendFigureProps) {
  const { dimension, scale } = series;
  const latest = [...series.data].reverse().find((d) => d.status === 'released');
  const axis =
    scale.domain[0] === dimension.min && scale.domain[1] === dimension.max
      ? `a ${formatBound(dimension.min)}–${formatBound(dimension.max)} scale (axis fixed)`
      : `a ${formatBound(dimension.min)}–${formatBound(dimension.max)} scale, drawn on a fixed ${scale.domain[0]}–${scale.domain[1]} axis`;

  return (
    <ChartFigure
      title={title}
      headingLevel={headingLevel}
      headingId={headingId}
      compact={compact}
      description={description}
      meta={
        <>
          {pointLabel} on {axis}, {directionWords(series.goodDirection)} · band = 95% interval ·{' '}
          {describeK(series.kValues)}: cycles with fewer answers are suppressed.
        </>
      }
      table={() => <TrendTable series={series} caption={title} />}
    >
      {latest && latest.mean !== null && latest.lower !== null && latest.upper !== null ? (
        <Latest latest={latest} dimensionId={dimension.id} favourable={favourable} compact={compact} />
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

      {!compact && <ChartLegend actions={actions.length > 0} bands={scale.bands !== null} />}
      {actions.length > 0 && <ActionList actions={actions} />}
    </ChartFigure>
  );
}

function Latest({
  latest,
  dimensionId,
  favourable,
  compact,
}: {
  latest: TrendDatum;
  dimensionId: string;
  favourable?: FavourableCell;
  compact: boolean;
}) {
  const band = bandFor(dimensionId, latest.mean!);
  return (
    <FigureLatest value={formatScore(latest.mean!)}>
      {band && (
        <>
          <BandBadge band={band} />{' '}
        </>
      )}
      {favourable?.status === 'released' && <>{formatPercent(favourable.share)} favourable · </>}
      latest ({latest.label}) ·{' '}
      {latest.everyoneAnswered ? (
        <>everyone invited answered (no margin of error)</>
      ) : (
        <>95% interval {formatInterval(latest.lower!, latest.upper!)}</>
      )}{' '}
      · n = {latest.n} of {latest.invited} · k = {latest.k}
      {latest.change && (
        <>
          {' '}
          · {formatSignedDelta(latest.change.delta)} vs previous (
          {latest.significant
            ? `a real change for the ${latest.tone === 'worse' ? 'worse' : 'better'}`
            : 'within normal variation'}
          )
        </>
      )}
      {latest.everyoneAnswered && !compact && (
        <span className="figure__note">
          With everyone answering, this is the team’s exact score for that cycle, so the interval has no
          width. Whether it differs from another cycle is a separate question: people’s answers vary from week
          to week, and the change test allows for that.
        </span>
      )}
    </FigureLatest>
  );
}

/** What the marks mean. Shown under each full chart, and once above a set of small multiples. */
export function ChartLegend({ actions = false, bands = false }: { actions?: boolean; bands?: boolean }) {
  const items: { swatch: LegendSwatch; label: string }[] = [
    ...(actions ? [{ swatch: 'action' as const, label: 'Team action (A1, A2…)' }] : []),
    { swatch: 'line', label: 'Mean' },
    { swatch: 'band', label: '95% interval' },
    ...(bands
      ? [
          { swatch: 'zone-strong' as const, label: 'Strong' },
          { swatch: 'zone-attention' as const, label: 'Needs attention' },
        ]
      : []),
    { swatch: 'gap', label: 'Suppressed cycle: fewer than k answers, no score' },
    { swatch: 'better', label: 'Real change for the better' },
    { swatch: 'worse', label: 'Real change for the worse' },
  ];
  return (
    <>
      <Legend items={items} />
      <ChangeRuleHelp />
    </>
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
