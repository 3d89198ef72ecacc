import { overviewResponse } from '../../../test/overview-fixtures';
import { sortOverview, WORST_FIRST } from './overview';

// Falls: least favourable result psych 4.3; Steady: self-orientation 3.4 (favourability 4.6);
// Strong: 5.7 at worst; Quiet: no result.
const { rows, dimensions } = overviewResponse();
const names = (sorted: ReturnType<typeof sortOverview>) => sorted.map((r) => r.name);

describe('sortOverview', () => {
  it('puts each team by its least favourable result first, teams without results last', () => {
    expect(names(sortOverview(rows, dimensions, WORST_FIRST))).toEqual([
      'Falls',
      'Steady',
      'Strong',
      'Quiet',
    ]);
  });

  it('sorts a lower-is-better dimension by favourability, not by its raw value', () => {
    const so = { key: 'self_orientation', order: 'worst' } as const;
    // Raw self-orientation: Steady 3.4, Falls 3.0, Strong 2.3 — the highest is the worst.
    expect(names(sortOverview(rows, dimensions, so))).toEqual(['Steady', 'Falls', 'Strong', 'Quiet']);
    expect(names(sortOverview(rows, dimensions, { ...so, order: 'best' }))).toEqual([
      'Strong',
      'Falls',
      'Steady',
      'Quiet',
    ]);
  });

  it('sorts a higher-is-better dimension by its mean', () => {
    expect(names(sortOverview(rows, dimensions, { key: 'psych_safety', order: 'best' }))).toEqual([
      'Strong',
      'Steady',
      'Falls',
      'Quiet',
    ]);
  });

  it('sorts by name on request, and leaves the given rows alone', () => {
    const before = names(rows);
    expect(names(sortOverview(rows, dimensions, { key: 'name', order: 'worst' }))).toEqual([
      'Falls',
      'Quiet',
      'Steady',
      'Strong',
    ]);
    expect(names(rows)).toEqual(before);
  });
});
