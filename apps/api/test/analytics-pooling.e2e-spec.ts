import type { PooledTrendResponse, TeamTrendResponse } from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import { RowSpace, indicator } from '../../../libs/disclosure/test/linear-oracle';
import { closedCycle, DAY, getter, numbersIn, psAnswers } from './analytics-helpers';
import { makeTeam } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * The pooled view against differencing, over HTTP: whatever a lead asks for, the team has one
 * partition, and the released per-cycle and pooled cells together determine no suppressed cycle.
 */
describe('pooled trend: one partition per team, nothing to difference', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  it('every request gets the same blocks, and no released cell determines a suppressed cycle', async () => {
    // 4 invited, k = 5: blocks of ⌈2·5/4⌉ = 3 cycles.
    const team = await makeTeam(t.ds, 4);
    const sizes = [3, 3, 3, 4, 2, 4, 1, 4, 4, 2, 2, 0, 4, 3];
    const start = Date.UTC(2025, 0, 6, 9);
    const ids: string[] = [];
    for (const [c, n] of sizes.entries()) {
      const answers = Array.from({ length: n }, (_, i) => psAnswers(1 + ((i * 3 + c) % 7)));
      ids.push(
        await closedCycle(t.ds, cycles, team.teamId, new Date(start + c * 7 * DAY), answers, {
          k: 5,
          invited: 4,
        }),
      );
    }
    const base = `/api/teams/${team.teamId}/trend/pooled`;
    const pooled = (await get(team.lead.email, base)).body as PooledTrendResponse;
    expect(pooled.poolSize).toBe(3);
    expect(pooled.points.map((p) => p.cycleIds)).toEqual([0, 3, 6, 9].map((s) => ids.slice(s, s + 3)));
    expect(pooled.pendingCycles).toBe(2);
    for (const size of [2, 3, 4, 5, 6, 12]) {
      expect((await get(team.lead.email, `${base}?cycles=${size}`)).body).toEqual(pooled);
    }
    // Blocks: [3,3,3] released (9 hidden over 3 cycles); [4,2,4] released (10 over 3);
    // [1,4,4] released (9 over 3); [2,2,0] n = 4 < k.
    expect(pooled.points.map((p) => p.scores.psych_safety!.status)).toEqual([
      'released',
      'released',
      'released',
      'suppressed',
    ]);
    expect(numbersIn(pooled.points[3]!.scores)).toEqual([]);

    // The lead's system of equations over the cycles' unknown sums: every released cycle, every
    // cycle known to be empty (the lead saw the live count), every released pool.
    const trend = (await get(team.lead.email, `/api/teams/${team.teamId}/trend`)).body as TeamTrendResponse;
    const column = new Map(ids.map((id, i) => [id, i]));
    const space = new RowSpace();
    for (const point of trend.points) {
      if (point.scores.psych_safety!.status === 'released')
        space.add(indicator([column.get(point.cycleId)!]));
    }
    sizes.forEach((n, i) => n === 0 && space.add(indicator([i])));
    for (const p of pooled.points) {
      if (p.scores.psych_safety!.status === 'released')
        space.add(indicator(p.cycleIds.map((id) => column.get(id)!)));
    }
    const suppressed = trend.points
      .filter((p) => p.scores.psych_safety!.status === 'suppressed')
      .map((p) => column.get(p.cycleId)!)
      .filter((i) => sizes[i]! > 0);
    expect(suppressed.length).toBeGreaterThan(5);
    expect(suppressed.filter((i) => space.contains(indicator([i])))).toEqual([]);
  });
});
