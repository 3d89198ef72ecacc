import { shapeTrend } from '../../components/chart/trend-data';
import { PSYCH, change, point, released, suppressed } from '../../../test/trend-fixtures';
import { formatDate, formatShortDate } from '../../lib/format';
import { summarizeTrend } from './trend-summary';

// Dates print in the test runner's locale.
const MAR = formatDate('2025-03-17T17:00:00.000Z');
const FEB = formatDate('2025-02-17T17:00:00.000Z');
const APR_SHORT = formatShortDate('2025-04-17T17:00:00.000Z');

const summarize = (...points: Parameters<typeof shapeTrend>[0][number][]) =>
  summarizeTrend(shapeTrend(points, PSYCH));

describe('summarizeTrend', () => {
  it('calls a significant rise a change, with its size, the date it is measured from and p', () => {
    const s = summarize(
      point(3, { psych_safety: released(4.8, 4.4, 5.2, 8) }),
      point(4, { psych_safety: released(5.2, 4.9, 5.5, 8, change(0.4, 0.012, true)) }),
    );
    expect(s.tone).toBe('up');
    expect(s.text).toBe(
      `Psychological safety rose 0.40 since ${MAR}, a significant change (p = 0.012). It is now 5.20.`,
    );
  });

  it('says "fell" for a significant drop', () => {
    const s = summarize(
      point(3, { psych_safety: released(5.5, 5.1, 5.9, 8) }),
      point(4, { psych_safety: released(4.7, 4.3, 5.1, 8, change(-0.8, 0.0004, true)) }),
    );
    expect(s.tone).toBe('down');
    expect(s.text).toMatch(/^Psychological safety fell 0\.80 since .+, a significant change \(p < 0\.001\)/);
  });

  it('never calls a non-significant difference a change, however large it looks', () => {
    const s = summarize(
      point(3, { psych_safety: released(4.8, 3.8, 5.8, 5) }),
      point(4, {
        psych_safety: released(5.6, 4.6, 6.6, 5, { ...change(0.8, 0.09, false), direction: 'none' }),
      }),
    );
    expect(s.tone).toBe('steady');
    expect(s.text).toBe(
      `Psychological safety held steady within the interval since ${MAR} (up 0.80, not a significant change, p = 0.090). It is 5.60.`,
    );
    expect(s.text).not.toMatch(/rose|fell|significant change \(/);
  });

  it('measures from the previous released cycle, skipping suppressed ones, and says when the latest is suppressed', () => {
    const s = summarize(
      point(2, { psych_safety: released(4.8, 4.4, 5.2, 8) }),
      point(3, { psych_safety: suppressed() }),
      point(4, { psych_safety: released(5.3, 4.9, 5.7, 8, change(0.5, 0.02, true)) }),
      point(5, { psych_safety: suppressed() }),
    );
    expect(s.text).toContain(`rose 0.50 since ${FEB}`);
    expect(s.text).toContain('The most recent cycle was suppressed (fewer than k answers)');
  });

  it('has nothing to compare with a single released cycle', () => {
    expect(summarize(point(4, { psych_safety: released(5.25, 4.9, 5.6, 7) })).text).toBe(
      `Psychological safety is 5.25 (${APR_SHORT}, n = 7); there is no earlier score to compare it with.`,
    );
  });

  it('reports no score when nothing was released', () => {
    expect(summarize().text).toBe('Psychological safety: no cycle has closed yet.');
    expect(summarize(point(4, { psych_safety: suppressed() })).text).toBe(
      'Psychological safety: no cycle has reached k answers yet, so there is no score to report.',
    );
  });
});
