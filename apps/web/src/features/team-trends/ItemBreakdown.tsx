/**
 * The statements of one closed cycle: each item's mean with its 95% interval on the 1–7 scale,
 * and, where the API releases it (n ≥ 10 and ≥ k), how many people gave each answer.
 */
import type { ItemBreakdownResponse, ItemBreakdownRow } from '@candor/contracts';
import { SUPPRESSION_TEXT } from '../../components/chart/trend-data';
import { ErrorState, Skeleton } from '../../components/states';
import { formatDateRange, formatInterval, formatScore } from '../../lib/format';
import { useItemBreakdown } from './api';

const position = (value: number) => `${((Math.min(7, Math.max(1, value)) - 1) / 6) * 100}%`;

export function ItemBreakdown({
  teamId,
  cycleId,
  title,
}: {
  teamId: string;
  cycleId: string | null;
  title: string;
}) {
  const items = useItemBreakdown(teamId, cycleId);
  if (cycleId === null) return null;
  if (items.isPending) return <Skeleton height={320} label={`Loading ${title} statements…`} />;
  if (items.isError)
    return (
      <ErrorState
        error={items.error}
        title="Could not load the statements"
        onRetry={() => void items.refetch()}
      />
    );
  return <ItemTable data={items.data} title={title} />;
}

export function ItemTable({ data, title }: { data: ItemBreakdownResponse; title: string }) {
  const { cycle, participation } = data;
  const released = participation.status === 'released';
  return (
    <div className="items">
      <p className="muted">
        Latest closed cycle, {formatDateRange(cycle.opensAt, cycle.closesAt)}:{' '}
        {released ? `n = ${participation.n} of ${participation.invited}` : `${cycle.invited} invited`} · k ={' '}
        {cycle.k}. Means on the 1–7 scale with 95% intervals; negatively worded statements are reversed (8 −
        answer) so that higher is always better. Answer counts are shown only from n ≥{' '}
        {data.distributionMinimum}.
      </p>
      <div className="table-scroll" role="region" aria-label={`${title} statements (table)`} tabIndex={0}>
        <table className="data-table items__table">
          <caption className="visually-hidden">
            {title}: mean per statement in the latest closed cycle, with 95% interval, n and answer counts.
          </caption>
          <thead>
            <tr>
              <th scope="col">Statement</th>
              <th scope="col">Mean</th>
              <th scope="col" className="items__strip-col">
                <span className="items__axis" aria-hidden="true">
                  <span>1</span>
                  <span>4</span>
                  <span>7</span>
                </span>
                <span className="visually-hidden">Position on the 1–7 scale</span>
              </th>
              <th scope="col">95% interval</th>
              <th scope="col">n</th>
              <th scope="col">Answers 1–7</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => (
              <ItemRow key={item.itemId} item={item} scaleLabels={data.scaleLabels} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ItemRow({ item, scaleLabels }: { item: ItemBreakdownRow; scaleLabels: string[] }) {
  const { score, distribution } = item;
  return (
    <tr className={score.status === 'suppressed' ? 'data-table__row--suppressed' : undefined}>
      <th scope="row" className="items__text">
        {item.text}
        {item.reverse && <span className="muted small"> (reversed)</span>}
      </th>
      {score.status === 'released' ? (
        <>
          <td className="num">{formatScore(score.mean)}</td>
          <td className="items__strip-col" aria-hidden="true">
            <span className="items__strip">
              <span
                className="items__band"
                style={{ left: position(score.lower), right: `calc(100% - ${position(score.upper)})` }}
              />
              <span className="items__dot" style={{ left: position(score.mean) }} />
            </span>
          </td>
          <td className="num">{formatInterval(score.lower, score.upper)}</td>
          <td className="num">{score.n}</td>
        </>
      ) : (
        <td colSpan={4}>{SUPPRESSION_TEXT[score.reason].short}</td>
      )}
      <td>
        {distribution.status === 'released' ? (
          <span className="items__counts">
            {distribution.counts.map((count, i) => (
              <span key={i} title={scaleLabels[i]}>
                {i + 1}: {count}
              </span>
            ))}
          </span>
        ) : (
          <span className="muted small">
            {distribution.reason === 'below-minimum' ? 'Not shown (fewer than the minimum)' : 'Suppressed'}
          </span>
        )}
      </td>
    </tr>
  );
}
