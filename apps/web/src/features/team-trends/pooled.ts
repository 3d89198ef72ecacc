/** Pooled trend points drawn with the same chart as single cycles: one point per block of cycles. */
import type { PooledTrendResponse, TrendPoint } from '@candor/contracts';

export function pooledAsTrendPoints(pooled: PooledTrendResponse): TrendPoint[] {
  return pooled.points.map((p) => ({
    cycleId: p.cycleIds.join('+'),
    opensAt: p.from,
    closesAt: p.to,
    k: p.k,
    invited: p.invited,
    participation: p.participation,
    scores: p.scores,
  }));
}
