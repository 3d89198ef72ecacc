/**
 * For small teams whose single cycles often fall below k: the trend pooled over blocks of
 * consecutive closed cycles (computed and suppressed by the API; leads only). Every point says it
 * is pooled and over how many cycles.
 */
import type { InstrumentId } from '@candor/contracts';
import { TrendFigure } from '../../components/chart/TrendFigure';
import { shapeTrend } from '../../components/chart/trend-data';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { formatScore } from '../../lib/format';
import { usePooledTrend } from './api';
import { pooledAsTrendPoints } from './pooled';

export function PooledSection({
  teamId,
  instrument,
  title,
}: {
  teamId: string;
  instrument: InstrumentId;
  title: string;
}) {
  const pooled = usePooledTrend(teamId, instrument);
  const dimension = pooled.data?.dimensions[0];
  // The API's design effect of the latest released block (repeated respondents; docs/statistics.md).
  const designEffect = dimension
    ? pooled.data?.points
        .map((p) => p.scores[dimension.id])
        .findLast((c) => c?.status === 'released' && c.designEffect !== undefined)
    : undefined;

  return (
    <section className="card" aria-labelledby="pooled-heading">
      <h2 id="pooled-heading" className="card__title">
        Pooled view
      </h2>
      <p className="muted">
        Some cycles had fewer than k answers. Pooling consecutive cycles adds their answers together, so a
        small team still sees its direction. Each point is several cycles, not one; a block is shown only when
        it is complete and its total passes k. The number of cycles per block is fixed for the team: blocks of
        different sizes over the same cycles could be compared to work out a suppressed cycle.
      </p>
      {pooled.isPending ? (
        <Skeleton height={420} label="Loading the pooled trend…" />
      ) : pooled.isError ? (
        <ErrorState
          error={pooled.error}
          title="Could not load the pooled trend"
          onRetry={() => void pooled.refetch()}
        />
      ) : !dimension || pooled.data.points.length === 0 ? (
        <EmptyState title="Not enough closed cycles to pool yet" />
      ) : (
        <>
          <TrendFigure
            title={`${title}, pooled over ${pooled.data.poolSize} cycles`}
            pointLabel={`Team mean pooled over ${pooled.data.poolSize} consecutive cycles`}
            series={shapeTrend(pooledAsTrendPoints(pooled.data), dimension)}
          />
          {designEffect?.status === 'released' && designEffect.designEffect! > 1 && (
            <p className="muted small">
              The same people answer in every pooled cycle, so their answers are not independent: the
              intervals allow for it and are up to {formatScore(Math.sqrt(designEffect.designEffect!))}× as
              wide as if every answer came from someone else (design effect{' '}
              {formatScore(designEffect.designEffect!)}).
            </p>
          )}
          {pooled.data.pendingCycles > 0 && (
            <p className="muted small">
              {pooled.data.pendingCycles} newer closed{' '}
              {pooled.data.pendingCycles === 1 ? 'cycle is' : 'cycles are'} waiting for their block to
              complete.
            </p>
          )}
        </>
      )}
    </section>
  );
}
