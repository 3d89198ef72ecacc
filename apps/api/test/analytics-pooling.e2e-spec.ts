import type { PooledTrendResponse, TeamTrendResponse } from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import type { GateCycle } from '@candor/disclosure';
import { protectedSetsDetermined } from '../../../libs/disclosure/test/oracle';
import { closedCycle, DAY, getter, numbersIn, psAnswers } from './analytics-helpers';
import { makeTeam } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * The pooled view against differencing, over HTTP: whatever a lead asks for, the team has one
 * partition, and the released per-cycle and pooled cells together determine no suppressed set.
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

  it('every request gets the same blocks, and no released cell determines a suppressed set', async () => {
    // 5 invited, k = 5: blocks of ⌈2·5/5⌉ = 2 cycles.
    const team = await makeTeam(t.ds, 5);
    const sizes = [3, 3, 3, 4, 2, 4, 1, 4, 4, 2, 2, 0, 4, 3, 2];
    const start = Date.UTC(2025, 0, 6, 9);
    const ids: string[] = [];
    const facts = new Map<string, GateCycle>();
    for (const [c, n] of sizes.entries()) {
      const answers = Array.from({ length: n }, (_, i) => psAnswers(1 + ((i * 3 + c) % 7)));
      const id = await closedCycle(t.ds, cycles, team.teamId, new Date(start + c * 7 * DAY), answers, {
        k: 5,
        invited: 5,
      });
      ids.push(id);
      facts.set(id, { n, k: 5, invited: 5, closed: true });
    }
    const base = `/api/teams/${team.teamId}/trend/pooled`;
    const pooled = (await get(team.lead.email, base)).body as PooledTrendResponse;
    expect(pooled.poolSize).toBe(2);
    expect(pooled.points.map((p) => p.cycleIds)).toEqual(
      [0, 2, 4, 6, 8, 10, 12].map((s) => ids.slice(s, s + 2)),
    );
    expect(pooled.pendingCycles).toBe(1);
    for (const size of [2, 3, 4, 5, 6, 12]) {
      expect((await get(team.lead.email, `${base}?cycles=${size}`)).body).toEqual(pooled);
    }
    // Every block hides only cycles below k; the gate releases those of n ≥ 5 and, checked against
    // the others already released, finds nothing they reveal together; [2, 0] has n = 2 < k.
    expect(pooled.points.map((p) => p.scores.psych_safety!.status)).toEqual([
      'released',
      'released',
      'released',
      'released',
      'released',
      'suppressed',
      'released',
    ]);
    expect(numbersIn(pooled.points[5]!.scores)).toEqual([]);

    // Everything the lead sees: every released cycle (none: all are below k) and every released
    // pool, solved by the exact oracle.
    const trend = (await get(team.lead.email, `/api/teams/${team.teamId}/trend`)).body as TeamTrendResponse;
    const released = [
      ...trend.points.filter((p) => p.scores.psych_safety!.status === 'released').map((p) => [p.cycleId]),
      ...pooled.points.filter((p) => p.scores.psych_safety!.status === 'released').map((p) => p.cycleIds),
    ];
    expect(released.length).toBe(6);
    expect(protectedSetsDetermined(facts, released)).toEqual([]);
  });

  it('a team smaller than k never gets a pool, however many answers it gives', async () => {
    // 4 invited, k = 5: 3 answers a week, 12 over four weeks — all from the same four people.
    const team = await makeTeam(t.ds, 4);
    const start = Date.UTC(2025, 3, 7, 9);
    for (let c = 0; c < 6; c++) {
      const answers = Array.from({ length: 3 }, (_, i) => psAnswers(1 + ((i * 3 + c) % 7)));
      await closedCycle(t.ds, cycles, team.teamId, new Date(start + c * 7 * DAY), answers, {
        k: 5,
        invited: 4,
      });
    }
    const pooled = (await get(team.lead.email, `/api/teams/${team.teamId}/trend/pooled`))
      .body as PooledTrendResponse;
    expect(pooled.points.length).toBeGreaterThan(0);
    for (const p of pooled.points) {
      expect(p.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'below-k' });
      expect(p.participation).toEqual({ status: 'suppressed', reason: 'below-k' });
      expect(p.cycleIds).toEqual([]);
    }
  });
});
