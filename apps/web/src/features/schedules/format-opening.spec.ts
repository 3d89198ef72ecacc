import { formatOpening } from './ScheduleForm';

describe('formatOpening', () => {
  it('shows the opening in the schedule’s own time zone', () => {
    // 07:30 UTC is 09:30 in Berlin (CEST) and 03:30 in New York (EDT) on 1 June.
    expect(formatOpening('2026-06-01T07:30:00Z', 'Europe/Berlin')).toMatch(/09:30/);
    expect(formatOpening('2026-06-01T07:30:00Z', 'America/New_York')).toMatch(/03:30/);
    expect(formatOpening('2026-06-01T07:30:00Z', 'Europe/Berlin')).toMatch(/2026/);
  });

  it('falls back to UTC, and says so, for a zone the browser does not know', () => {
    const text = formatOpening('2026-06-01T07:30:00Z', 'Mars/Olympus_Mons');
    expect(text).toMatch(/07:30/);
    expect(text.endsWith(' UTC')).toBe(true);
  });

  it('shows a dash for a time it cannot read', () => {
    expect(formatOpening('soon', 'UTC')).toBe('—');
  });
});
