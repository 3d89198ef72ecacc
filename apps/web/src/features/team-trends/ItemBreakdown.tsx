/**
 * The statements of one closed cycle: each item's mean with its band and 95% interval on the 1–7
 * scale, and, where the API releases them (n ≥ 10 and ≥ k), how many people gave each answer and
 * the share of favourable answers. The statement wraps at every width; on a phone each row is
 * stacked so that the score is always visible.
 */
import type { ItemBreakdownResponse, ItemBreakdownRow } from '@candor/contracts';
import { favourableCount, INSTRUMENTS, type Instrument } from '@candor/instruments';
import { SUPPRESSION_TEXT } from '../../components/chart/trend-data';
import { BandBadge } from '../../components/decisions/BandBadge';
import { bandFor, dimensionDirection } from '../../components/decisions/direction';
import { ErrorState, Skeleton } from '../../components/states';
import { formatDateRange, formatInterval, formatPercent, formatScore } from '../../lib/format';
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

/** The favourable share of an item: from the API when it sends one, else from its released answer counts. */
function favourableShare(item: ItemBreakdownRow, instrument: Instrument | undefined): number | null {
  if (item.score.status === 'released' && item.score.favourable?.status === 'released') {
    return item.score.favourable.share;
  }
  if (item.distribution.status !== 'released' || !instrument) return null;
  const def = instrument.items.find((i) => i.id === item.itemId);
  if (!def) return null;
  const { favourable, total } = favourableCount(instrument, def, item.distribution.counts);
  return total > 0 ? favourable / total : null;
}

export function ItemTable({ data, title }: { data: ItemBreakdownResponse; title: string }) {
  const { cycle, participation } = data;
  const released = participation.status === 'released';
  const instrument = INSTRUMENTS.find((i) => i.id === data.instrument);
  const shares = new Map(data.items.map((item) => [item.itemId, favourableShare(item, instrument)]));
  const showShares = [...shares.values()].some((s) => s !== null);
  const showCounts = data.items.some((item) => item.distribution.status === 'released');
  return (
    <div className="items">
      <p className="muted">
        Latest closed cycle, {formatDateRange(cycle.opensAt, cycle.closesAt)}:{' '}
        {released ? `n = ${participation.n} of ${participation.invited}` : `${cycle.invited} invited`} · k ={' '}
        {cycle.k}. Means on the 1–7 scale with 95% intervals; negatively worded statements are reversed (8 −
        answer) so that they read like the others.
        {data.items.some((item) => dimensionDirection({ id: item.dimension }) === 'lower')
          ? ' For self-orientation statements lower is better.'
          : ''}{' '}
        {showShares
          ? 'Favourable: the share of answers on the good side (5–7 after reversing, or 1–3 where lower is better). '
          : ''}
        {showCounts
          ? `Answer counts are shown from n ≥ ${data.distributionMinimum}.`
          : `Answer counts and the favourable share need n ≥ ${data.distributionMinimum}.`}
      </p>
      <div
        className="table-scroll items__scroll"
        role="region"
        aria-label={`${title} statements (table)`}
        tabIndex={0}
      >
        <table className="data-table items__table" role="table">
          <caption className="visually-hidden">
            {title}: mean per statement in the latest closed cycle, with 95% interval, n and answer counts.
          </caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">
                Statement
              </th>
              <th scope="col" role="columnheader">
                Mean
              </th>
              <th scope="col" role="columnheader" className="items__strip-col">
                <span className="items__axis" aria-hidden="true">
                  <span>1</span>
                  <span>4</span>
                  <span>7</span>
                </span>
                <span className="visually-hidden">Position on the 1–7 scale</span>
              </th>
              {showShares && (
                <th scope="col" role="columnheader">
                  Favourable
                </th>
              )}
              <th scope="col" role="columnheader">
                95% interval
              </th>
              <th scope="col" role="columnheader">
                n
              </th>
              {showCounts && (
                <th scope="col" role="columnheader">
                  Answers 1–7
                </th>
              )}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {data.items.map((item) => (
              <ItemRow
                key={item.itemId}
                item={item}
                scaleLabels={data.scaleLabels}
                share={showShares ? (shares.get(item.itemId) ?? null) : undefined}
                showCounts={showCounts}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ItemRow({
  item,
  scaleLabels,
  share,
  showCounts,
}: {
  item: ItemBreakdownRow;
  scaleLabels: string[];
  /** undefined: no favourable column; null: none for this row. */
  share: number | null | undefined;
  showCounts: boolean;
}) {
  const { score, distribution } = item;
  const lowerIsBetter = dimensionDirection({ id: item.dimension }) === 'lower';
  const band = score.status === 'released' ? bandFor(item.dimension, score.mean) : undefined;
  const columns = 3 + (share !== undefined ? 1 : 0);
  return (
    <tr role="row" className={score.status === 'suppressed' ? 'data-table__row--suppressed' : undefined}>
      <th scope="row" role="rowheader" className="items__text">
        {item.text}
        {item.reverse && <span className="muted small"> (reversed)</span>}
        {lowerIsBetter && <span className="muted small"> (lower is better)</span>}
      </th>
      {score.status === 'released' ? (
        <>
          <td role="cell" className="items__score" data-label="Mean">
            <span className="num">{formatScore(score.mean)}</span> {band && <BandBadge band={band} />}
          </td>
          <td role="cell" className="items__strip-col" aria-hidden="true">
            <span className="items__strip">
              <span
                className="items__band"
                style={{ left: position(score.lower), right: `calc(100% - ${position(score.upper)})` }}
              />
              <span className="items__dot" style={{ left: position(score.mean) }} />
            </span>
          </td>
          {share !== undefined && (
            <td role="cell" className="num" data-label="Favourable">
              {share === null ? '—' : formatPercent(share)}
            </td>
          )}
          <td role="cell" className="num" data-label="95% interval">
            {score.upper - score.lower < 1e-9 && score.n > 0
              ? 'none (all answered)'
              : formatInterval(score.lower, score.upper)}
          </td>
          <td role="cell" className="num" data-label="n">
            {score.n}
          </td>
        </>
      ) : (
        <td role="cell" colSpan={columns + 1}>
          {SUPPRESSION_TEXT[score.reason].short}
        </td>
      )}
      {showCounts && (
        <td role="cell" data-label="Answers 1–7">
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
      )}
    </tr>
  );
}
