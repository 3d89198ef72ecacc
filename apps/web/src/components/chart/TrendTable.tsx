/** Every point of a trend as an accessible table: the chart's data, readable without the picture. */
import { formatInterval, formatP, formatScore, formatSignedDelta } from '../../lib/format';
import { directionWords } from '../decisions/direction';
import { SUPPRESSION_TEXT, formatBound, type TrendSeries } from './trend-data';

export function TrendTable({ series, caption }: { series: TrendSeries; caption: string }) {
  const { dimension } = series;
  return (
    <div className="table-scroll" role="region" aria-label={`${caption} (table)`} tabIndex={0}>
      <table className="data-table">
        <caption>
          {caption}. Scale {formatBound(dimension.min)}–{formatBound(dimension.max)},{' '}
          {directionWords(series.goodDirection)}; 95% interval; n = answers, k = minimum answers for a result
          to be shown.
        </caption>
        <thead>
          <tr>
            <th scope="col">Cycle</th>
            <th scope="col">Mean</th>
            <th scope="col">95% interval</th>
            <th scope="col">n</th>
            <th scope="col">Invited</th>
            <th scope="col">k</th>
            <th scope="col">Change vs previous</th>
          </tr>
        </thead>
        <tbody>
          {series.data.map((d) => (
            <tr
              key={d.cycleId}
              className={d.status === 'suppressed' ? 'data-table__row--suppressed' : undefined}
            >
              <th scope="row">{d.period}</th>
              {d.status === 'released' && d.mean !== null && d.lower !== null && d.upper !== null ? (
                <>
                  <td className="num">{formatScore(d.mean)}</td>
                  <td className="num">
                    {formatInterval(d.lower, d.upper)}
                    {d.everyoneAnswered && <span className="muted"> (everyone answered: no margin)</span>}
                  </td>
                  <td className="num">{d.n}</td>
                </>
              ) : (
                <td colSpan={3}>{SUPPRESSION_TEXT[d.reason ?? 'below-k'].short}</td>
              )}
              <td className="num">{d.invited}</td>
              <td className="num">{d.k}</td>
              <td>
                {d.change ? (
                  <>
                    {d.significant && (
                      <span className={`change-flag tone--${d.tone ?? 'none'}`} aria-hidden="true">
                        {d.change.direction === 'up' ? '▲ ' : '▼ '}
                      </span>
                    )}
                    {formatSignedDelta(d.change.delta)} ({formatP(d.change.p)})
                    {d.significant ? (
                      <strong> significant, {d.tone === 'worse' ? 'worse' : 'better'}</strong>
                    ) : (
                      ' not significant'
                    )}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
