/** Display formatting. Locale follows the browser; numbers keep the precision the data supports. */

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

function toDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(iso: string): string {
  const date = toDate(iso);
  return date ? dateFormat.format(date) : '—';
}

export function formatShortDate(iso: string): string {
  const date = toDate(iso);
  return date ? shortDateFormat.format(date) : '—';
}

export function formatDateTime(iso: string): string {
  const date = toDate(iso);
  return date ? dateTimeFormat.format(date) : '—';
}

/** "3 – 17 Mar 2025", using the locale's own range format. */
export function formatDateRange(fromIso: string, toIso: string): string {
  const from = toDate(fromIso);
  const to = toDate(toIso);
  if (!from || !to) return '—';
  if (to.getTime() < from.getTime()) return `${dateFormat.format(from)} – ${dateFormat.format(to)}`;
  return dateFormat.formatRange(from, to);
}

/** Score on a 1–7 (or trust-index) scale: two decimals, as the interval widths warrant. */
export function formatScore(value: number): string {
  return value.toFixed(2);
}

export function formatInterval(lower: number, upper: number): string {
  return `${formatScore(lower)}–${formatScore(upper)}`;
}

export function formatSignedDelta(delta: number): string {
  const fixed = Math.abs(delta).toFixed(2);
  if (Number(fixed) === 0) return '±0.00';
  return `${delta > 0 ? '+' : '−'}${fixed}`;
}

export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** Whole days from now until `iso`, rounded up; negative once past. */
export function daysUntil(iso: string, now: Date = new Date()): number | null {
  const date = toDate(iso);
  if (!date) return null;
  return Math.ceil((date.getTime() - now.getTime()) / 86_400_000);
}

/** A schedule's weekday (1 = Monday … 7 = Sunday, ISO) by name: `WEEKDAY_NAMES[weekday - 1]`. */
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
