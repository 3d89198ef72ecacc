import type { App } from 'supertest/types';
import type { Answers } from '@candor/instruments';
import type { ScoreEstimate, TeamTrendResponse } from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import {
  closedCycle,
  director,
  getter,
  mean,
  monthStart,
  numbersIn,
  period,
  psAnswers,
  trustAnswers,
  variance,
} from './analytics-helpers';
import { makeGroup, makeTeam, makeUser } from './factories';
import { createTestApp, type TestApp } from './test-app';

/** Issue 5 acceptance: hand-computed trends, one-answer sensitivity, no number below k, open cycles. */
describe('analytics acceptance', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http as App);
  });
  afterAll(() => t.close());

  const cycle1 = [
    trustAnswers([5, 6, 5], [4, 5, 5], [6, 6, 5], [3, 2, 3]),
    trustAnswers([4, 4, 5], [5, 5, 4], [4, 5, 5], [4, 3, 3]),
    trustAnswers([6, 6, 6], [6, 5, 6], [5, 6, 6], [2, 2, 3]),
    trustAnswers([3, 4, 4], [4, 3, 4], [4, 4, 3], [5, 4, 4]),
  ];
  const cycle2 = [
    trustAnswers([6, 6, 5], [5, 6, 5], [6, 6, 6], [2, 2, 2]),
    trustAnswers([5, 5, 5], [5, 5, 5], [5, 5, 6], [3, 3, 2]),
    trustAnswers([6, 7, 6], [6, 6, 6], [6, 7, 6], [2, 1, 2]),
    trustAnswers([4, 5, 4], [4, 4, 5], [5, 4, 4], [4, 3, 3]),
  ];

  async function trustTeam(c2: Answers[]) {
    const team = await makeTeam(t.ds, 3);
    const opts = { k: 3, invited: 7, version: 'trust-equation@1' as const };
    await closedCycle(t.ds, cycles, team.teamId, monthStart(3), cycle1, opts);
    await closedCycle(t.ds, cycles, team.teamId, monthStart(2), c2, opts);
    return team;
  }

  const comp = (a: Answers, prefix: string) => (a[`${prefix}1`]! + a[`${prefix}2`]! + a[`${prefix}3`]!) / 3;

  it('releases trust-equation trend numbers identical to a hand computation from the responses', async () => {
    const team = await trustTeam(cycle2);
    const body = (await get(team.lead.email, `/api/teams/${team.teamId}/trend?instrument=trust-equation`))
      .body as TeamTrendResponse;
    expect(body.points).toHaveLength(2);
    const n = 4;
    const N = 7;
    const fpc = Math.sqrt((N - n) / (N - 1));
    const t975df3 = 3.182446305284263; // scipy.stats.t.ppf(0.975, 3)
    for (const [i, answers] of [cycle1, cycle2].entries()) {
      const point = body.points[i]!;
      expect(point.participation).toEqual({ status: 'released', n, invited: N, rate: n / N });
      for (const [dim, prefix] of [
        ['credibility', 'cr'],
        ['reliability', 're'],
        ['intimacy', 'in'],
        ['self_orientation', 'so'],
      ] as const) {
        const xs = answers.map((a) => comp(a, prefix));
        const cell = point.scores[dim] as ScoreEstimate;
        const half = t975df3 * fpc * Math.sqrt(variance(xs) / n);
        expect(cell.n).toBe(n);
        expect(cell.mean).toBeCloseTo(mean(xs), 12);
        expect(cell.lower).toBeCloseTo(mean(xs) - half, 6);
        expect(cell.upper).toBeCloseTo(mean(xs) + half, 6);
      }
      // Trust index: ratio of the component means; delta-method se from the residuals X − R·Y.
      const X = answers.map((a) => comp(a, 'cr') + comp(a, 're') + comp(a, 'in'));
      const Y = answers.map((a) => comp(a, 'so'));
      const R = mean(X) / mean(Y);
      const d = X.map((x, j) => x - R * Y[j]!);
      const se = (fpc * Math.sqrt(variance(d) / n)) / mean(Y);
      const index = point.scores.trust_index as ScoreEstimate;
      expect(index.mean).toBeCloseTo(R, 12);
      expect(index.lower).toBeCloseTo(Math.max(3 / 7, R - t975df3 * se), 6);
      expect(index.upper).toBeCloseTo(Math.min(21, R + t975df3 * se), 6);
    }
  });

  it('changing one answer moves exactly the expected cells', async () => {
    const changed = cycle2.map((a) => ({ ...a }));
    changed[1]!.cr1 = 6; // was 5: one credibility answer in the second cycle
    const [a, b] = [await trustTeam(cycle2), await trustTeam(changed)];
    const trendOf = async (team: { teamId: string; lead: { email: string } }) =>
      (await get(team.lead.email, `/api/teams/${team.teamId}/trend?instrument=trust-equation`))
        .body as TeamTrendResponse;
    const [x, y] = [await trendOf(a), await trendOf(b)];
    // Close shuffles the responses before summing them, so sums can differ in the last bits of a
    // double: compare at 10 significant digits.
    const same = (u: unknown, v: unknown) =>
      JSON.stringify(u, (_k, n: unknown) => (typeof n === 'number' ? Number(n.toPrecision(10)) : n)) ===
      JSON.stringify(v, (_k, n: unknown) => (typeof n === 'number' ? Number(n.toPrecision(10)) : n));
    const differing: string[] = [];
    x.points.forEach((p, i) => {
      const q = y.points[i]!;
      for (const dim of Object.keys(p.scores)) {
        if (!same(p.scores[dim], q.scores[dim])) differing.push(`${i}:${dim}`);
      }
      if (JSON.stringify(p.participation) !== JSON.stringify(q.participation))
        differing.push(`${i}:participation`);
    });
    expect(differing.sort()).toEqual(['1:credibility', '1:trust_index']);
    const before = x.points[1]!.scores.credibility as ScoreEstimate;
    const after = y.points[1]!.scores.credibility as ScoreEstimate;
    expect(after.mean - before.mean).toBeCloseTo(1 / 3 / 4, 12); // one item of three, one person of four
  });

  it('no endpoint returns a number for a cell with n < k; an open cycle shows only the lead a live count', async () => {
    const root = await makeGroup(t.ds);
    const small = await makeTeam(t.ds, 4, root);
    const big = await makeTeam(t.ds, 2, root);
    const boss = await makeUser(t.ds);
    await director(t.ds, boss.id, root);
    const when = monthStart(1);
    const lowId = await closedCycle(t.ds, cycles, small.teamId, when, [psAnswers(2), psAnswers(6)], {
      k: 3,
      invited: 4,
    });
    await closedCycle(t.ds, cycles, big.teamId, when, [4, 5, 6, 5, 4, 6].map(psAnswers), { k: 3 });
    const openId = await closedCycle(t.ds, cycles, small.teamId, monthStart(0), [psAnswers(7)], {
      open: true,
      invited: 4,
    });

    const trend = (await get(small.lead.email, `/api/teams/${small.teamId}/trend`)).body as TeamTrendResponse;
    expect(trend.points).toHaveLength(1);
    expect(numbersIn(trend.points[0]!.scores)).toEqual([]);
    expect(numbersIn(trend.points[0]!.participation)).toEqual([]);
    expect(trend.openCycle).toMatchObject({ cycleId: openId, responses: 1 });
    const asMember = (await get(small.members[0]!.email, `/api/teams/${small.teamId}/trend`))
      .body as TeamTrendResponse;
    expect(asMember.openCycle!.responses).toBeNull();
    expect(asMember.points.map((p) => p.cycleId)).not.toContain(openId);

    const items = (await get(small.lead.email, `/api/teams/${small.teamId}/cycles/${lowId}/items`)).body;
    expect(numbersIn(items.items)).toEqual([]);
    expect(numbersIn(items.participation)).toEqual([]);
    expect((await get(small.lead.email, `/api/teams/${small.teamId}/cycles/${openId}/items`)).status).toBe(
      409,
    );

    const comparison = (await get(boss.email, `/api/groups/${root}/comparison?period=${period(when)}`)).body;
    const row = comparison.rows.find((r: { id: string }) => r.id === small.teamId);
    expect(numbersIn(row.scores)).toEqual([]);
    expect(numbersIn(row.participation)).toEqual([]);
    // The big team is public on its own trend; the group (8) minus it (6) would reveal the small
    // team, so the gate holds the group back (would-reveal), and no test against it is made.
    expect(comparison.rows[0].scores.psych_safety).toEqual({ status: 'suppressed', reason: 'would-reveal' });
    const bigRow = comparison.rows.find((r: { id: string }) => r.id === big.teamId);
    expect(bigRow.scores.psych_safety).toMatchObject({ status: 'released', n: 6, test: null });
    const groupTrend = (await get(boss.email, `/api/groups/${root}/trend?months=3`)).body;
    expect(
      numbersIn(
        groupTrend.points.map((p: { scores: unknown; participation: unknown }) => [
          p.scores,
          p.participation,
        ]),
      ),
    ).toEqual([]);
    const current = (await get(boss.email, `/api/groups/${root}/comparison?period=${period(monthStart(0))}`))
      .body;
    expect(current.rows.find((r: { id: string }) => r.id === small.teamId).cycleId).toBeNull();

    const csv = (await get(small.lead.email, `/api/teams/${small.teamId}/trend.csv`)).text;
    const rows = csv.trim().split('\n').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.split(',').slice(7).join('')).toBe('suppressed:below-k');
  });
});
