import {
  daysUntil,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatInterval,
  formatP,
  formatPercent,
  formatScore,
  formatShortDate,
  formatSignedDelta,
} from './format';

describe('number formats', () => {
  it('shows scores and intervals with two decimals', () => {
    expect(formatScore(5.126)).toBe('5.13');
    expect(formatScore(7)).toBe('7.00');
    expect(formatInterval(4.1, 5.555)).toBe('4.10–5.55');
  });

  it('signs a change with a true minus, and calls a change that rounds to zero ±0.00', () => {
    expect(formatSignedDelta(0.456)).toBe('+0.46');
    expect(formatSignedDelta(-1.2)).toBe('−1.20');
    expect(formatSignedDelta(0.004)).toBe('±0.00');
    expect(formatSignedDelta(-0.004)).toBe('±0.00');
  });

  it('gives p with three decimals and a floor below 0.001', () => {
    expect(formatP(0.04321)).toBe('p = 0.043');
    expect(formatP(0.001)).toBe('p = 0.001');
    expect(formatP(0.0009)).toBe('p < 0.001');
  });

  it('rounds rates to whole percents', () => {
    expect(formatPercent(0.666)).toBe('67%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });
});

describe('date formats', () => {
  it('shows a dash for a date it cannot read', () => {
    expect(formatDate('not a date')).toBe('—');
    expect(formatShortDate('')).toBe('—');
    expect(formatDateTime('2026-13-45')).toBe('—');
    expect(formatDateRange('2026-03-01T00:00:00Z', 'nope')).toBe('—');
  });

  it('formats a readable date with its year', () => {
    expect(formatDate('2026-03-17T12:00:00Z')).toMatch(/2026/);
    expect(formatDate('2026-03-17T12:00:00Z')).toMatch(/17/);
    expect(formatShortDate('2026-03-17T12:00:00Z')).not.toMatch(/2026/);
  });

  it('keeps a reversed range in the order given instead of throwing', () => {
    const range = formatDateRange('2026-03-17T12:00:00Z', '2026-03-03T12:00:00Z');
    expect(range).toBe(`${formatDate('2026-03-17T12:00:00Z')} – ${formatDate('2026-03-03T12:00:00Z')}`);
  });

  it('counts whole days until a moment, rounded up, negative once past', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(daysUntil('2026-03-03T12:00:00Z', now)).toBe(2);
    expect(daysUntil('2026-03-02T13:00:00Z', now)).toBe(2);
    expect(daysUntil('2026-03-01T12:00:00Z', now)).toBe(0);
    expect(daysUntil('2026-02-27T12:00:00Z', now)).toBe(-2);
    expect(daysUntil('garbage', now)).toBeNull();
  });
});
