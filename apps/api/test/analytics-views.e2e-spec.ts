import {
  comparisonCsv,
  type ComparisonRow,
  type GroupComparisonResponse,
  type GroupTrendResponse,
  type ItemBreakdownResponse,
  type PooledTrendResponse,
  type ReliabilityResponse,
} from '@candor/contracts';
import { getInstrument, scoreResponse, type Answers } from '@candor/instruments';
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
  psVaried,
  variance,
} from './analytics-helpers';
import { makeGroup, makeTeam, makeUser } from './factories';
import { createTestApp, type TestApp } from './test-app';

describe('analytics views: items, comparison, group trend, reliability, pooling, CSV', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  describe('item breakdown (GET /api/teams/:teamId/cycles/:cycleId/items)', () => {
    it('releases item means with FPC intervals; answer distributions only from n ≥ 10', async () => {
      const team = await makeTeam(t.ds, 3);
      const small = [psVaried(5, 0), psVaried(5, 1), psVaried(4, 2), psVaried(6, 3)];
      const smallId = await closedCycle(t.ds, cycles, team.teamId, monthStart(3), small, {
        k: 3,
        invited: 6,
      });
      const big = Array.from({ length: 11 }, (_, i) => psVaried(3 + (i % 4), i));
      const bigId = await closedCycle(t.ds, cycles, team.teamId, monthStart(2), big, { k: 3, invited: 11 });

      const res = await get(team.lead.email, `/api/teams/${team.teamId}/cycles/${smallId}/items`);
      expect(res.status).toBe(200);
      const body = res.body as ItemBreakdownResponse;
      expect(body.items.map((i) => i.itemId)).toEqual(['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6', 'ps7']);
      // ps1 by hand: scored = 8 − raw; mean and s² of the 4 values; se with fpc √((6−4)/(6−1)).
      const instrument = getInstrument('psych-safety@1');
      const ps1 = small.map((a) => scoreResponse(instrument, a).items.ps1!);
      const se = (Math.sqrt(variance(ps1)) / 2) * Math.sqrt(2 / 5);
      const cell = body.items[0]!.score;
      expect(cell).toMatchObject({ status: 'released', n: 4 });
      if (cell.status !== 'released') throw new Error('expected released');
      expect(cell.mean).toBeCloseTo(mean(ps1), 12);
      expect(cell.lower).toBeCloseTo(Math.max(1, mean(ps1) - 3.182446 * se), 5);
      expect(body.items[0]!.reverse).toBe(true);
      expect(body.items[0]!.distribution).toEqual({ status: 'suppressed', reason: 'below-minimum' });
      expect(body.distributionMinimum).toBe(10);

      const bigRes = await get(team.members[0]!.email, `/api/teams/${team.teamId}/cycles/${bigId}/items`);
      const bigBody = bigRes.body as ItemBreakdownResponse;
      const counts = [0, 0, 0, 0, 0, 0, 0];
      for (const a of big) counts[a.ps2! - 1]!++;
      expect(bigBody.items[1]!.distribution).toEqual({ status: 'released', counts });
      expect(bigBody.participation).toEqual({ status: 'released', n: 11, invited: 11, rate: 1 });
    });

    it('suppresses everything below k, refuses an open cycle, 404s a cycle of another team', async () => {
      const team = await makeTeam(t.ds, 3);
      const other = await makeTeam(t.ds, 3);
      const low = await closedCycle(t.ds, cycles, team.teamId, monthStart(2), [psAnswers(3), psAnswers(4)], {
        k: 3,
      });
      const open = await closedCycle(t.ds, cycles, team.teamId, monthStart(0), [psAnswers(3)], {
        open: true,
      });
      const res = await get(team.lead.email, `/api/teams/${team.teamId}/cycles/${low}/items`);
      expect(res.status).toBe(200);
      const body = res.body as ItemBreakdownResponse;
      for (const item of body.items) {
        expect(item.score).toEqual({ status: 'suppressed', reason: 'below-k' });
        expect(item.distribution).toEqual({ status: 'suppressed', reason: 'below-k' });
      }
      expect(body.participation).toEqual({ status: 'suppressed', reason: 'below-k' });
      expect(numbersIn(body.items)).toEqual([]);
      const csv = await get(team.lead.email, `/api/teams/${team.teamId}/cycles/${low}/items.csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.text.trim().split('\n').slice(1);
      expect(lines).toHaveLength(7);
      // From the status column on, a suppressed row carries no number at all.
      for (const line of lines) expect(line.split(',').slice(-13).join(',')).not.toMatch(/\d/);

      expect((await get(team.lead.email, `/api/teams/${team.teamId}/cycles/${open}/items`)).status).toBe(409);
      expect((await get(team.lead.email, `/api/teams/${other.teamId}/cycles/${low}/items`)).status).toBe(403);
      expect((await get(other.lead.email, `/api/teams/${other.teamId}/cycles/${low}/items`)).status).toBe(
        404,
      );
      expect((await get(other.lead.email, `/api/teams/${other.teamId}/cycles/nope/items`)).status).toBe(404);
    });
  });

  describe('group comparison, group trend and reliability', () => {
    /**
     * Org root R (director D) ─┬─ team A (12, high)
     *                          ├─ team B (12, middle)
     *                          └─ subgroup S (director DS) ─┬─ team C (2: below k)
     *                                                       ├─ team F (3: below k)
     *                                                       └─ team E (10)
     * k = 5. Teams at or above k are public on their own trends, so only C and F are unknown:
     * S hides 2 + 3 = 5 ≥ k over two teams, so S and R are released.
     */
    async function org() {
      const root = await makeGroup(t.ds);
      const sub = await makeGroup(t.ds, root);
      const [a, b, c, e, f] = [
        await makeTeam(t.ds, 2, root),
        await makeTeam(t.ds, 2, root),
        await makeTeam(t.ds, 2, sub),
        await makeTeam(t.ds, 2, sub),
        await makeTeam(t.ds, 2, sub),
      ];
      const d = await makeUser(t.ds);
      const ds = await makeUser(t.ds);
      await director(t.ds, d.id, root);
      await director(t.ds, ds.id, sub);
      const when = monthStart(1);
      const answers = {
        a: Array.from({ length: 12 }, (_, i) => psVaried(6, i)),
        b: Array.from({ length: 12 }, (_, i) => psVaried(4, i)),
        c: [psVaried(2, 0), psVaried(3, 1)],
        e: Array.from({ length: 10 }, (_, i) => psVaried(4, i + 3)),
        f: [psVaried(3, 4), psVaried(5, 5), psVaried(4, 6)],
      };
      // Every team invites at least k people: a smaller team never counts in a group.
      const opts = (n: number) => ({ k: 5, invited: Math.max(n + 2, 5) });
      await closedCycle(t.ds, cycles, a.teamId, when, answers.a, opts(12));
      await closedCycle(t.ds, cycles, b.teamId, when, answers.b, opts(12));
      await closedCycle(t.ds, cycles, c.teamId, when, answers.c, opts(2));
      await closedCycle(t.ds, cycles, e.teamId, when, answers.e, opts(10));
      await closedCycle(t.ds, cycles, f.teamId, when, answers.f, opts(3));
      // An earlier month for the group trend: A and B only.
      await closedCycle(t.ds, cycles, a.teamId, monthStart(2), answers.b, opts(12));
      await closedCycle(t.ds, cycles, b.teamId, monthStart(2), answers.b, opts(12));
      return { root, sub, a, b, c, e, f, d, ds, when, answers };
    }

    it('compares teams with the gate holding back what would reveal a small team, with the group reference and BH flags', async () => {
      const o = await org();
      const res = await get(
        o.d.email,
        `/api/groups/${o.root}/comparison?instrument=psych-safety&period=${period(o.when)}`,
      );
      expect(res.status).toBe(200);
      const body = res.body as GroupComparisonResponse;
      expect(body.k).toBe(5);
      expect(body.fdr).toBe(0.1);
      const row = (id: string) => body.rows.find((r) => r.id === id)!;
      expect(body.rows[0]!.id).toBe(o.root);
      expect(row(o.c.teamId).scores.psych_safety).toEqual({ status: 'suppressed', reason: 'below-k' });
      expect(row(o.f.teamId).scores.psych_safety).toEqual({ status: 'suppressed', reason: 'below-k' });
      expect(row(o.e.teamId).scores.psych_safety).toMatchObject({ status: 'released', n: 10 });
      expect(row(o.sub).scores.psych_safety!.status).toBe('released');
      const all = [...o.answers.a, ...o.answers.b, ...o.answers.c, ...o.answers.e, ...o.answers.f];
      const score = (xs: Answers[]) =>
        xs.map((x) => scoreResponse(getInstrument('psych-safety@1'), x).dimensions.psych_safety!);
      const reference = row(o.root).scores.psych_safety!;
      expect(reference).toMatchObject({ status: 'released', n: 39 });
      if (reference.status !== 'released') throw new Error('expected released');
      expect(reference.mean).toBeCloseTo(mean(score(all)), 12);
      expect(reference.test).toBeNull();
      // A (all ~6) is far above the rest of the group; the flag survives BH.
      const a = row(o.a.teamId).scores.psych_safety!;
      if (a.status !== 'released') throw new Error('expected released');
      expect(a.test).toMatchObject({ flag: 'above' });
      expect(a.test!.delta).toBeCloseTo(
        mean(score(o.answers.a)) -
          mean(score([...o.answers.b, ...o.answers.c, ...o.answers.e, ...o.answers.f])),
        12,
      );
      expect(a.test!.q).toBeGreaterThanOrEqual(a.test!.p);
      // No number in any suppressed cell.
      for (const r of body.rows as ComparisonRow[]) {
        for (const cell of [r.participation, ...Object.values(r.scores)]) {
          if (cell.status === 'suppressed') expect(numbersIn(cell)).toEqual([]);
        }
      }

      // The subgroup's own view shows the same decisions (made once over the whole org).
      const subView = (await get(o.ds.email, `/api/groups/${o.sub}/comparison?period=${period(o.when)}`))
        .body as GroupComparisonResponse;
      expect(subView.rows.map((r) => [r.id, r.scores.psych_safety!.status])).toEqual(
        body.rows
          .filter((r) => [o.sub, o.c.teamId, o.e.teamId, o.f.teamId].includes(r.id))
          .map((r) => [r.id, r.scores.psych_safety!.status]),
      );
      // Subgroup director cannot see the parent; team leads and members see no group.
      expect(
        (await get(o.ds.email, `/api/groups/${o.root}/comparison?period=${period(o.when)}`)).status,
      ).toBe(403);
      expect(
        (await get(o.a.lead.email, `/api/groups/${o.root}/comparison?period=${period(o.when)}`)).status,
      ).toBe(403);
      expect(
        (await get(o.d.email, `/api/groups/00000000-0000-4000-8000-000000000000/comparison?period=2024-01`))
          .status,
      ).toBe(404);
      const bad = await get(o.d.email, `/api/groups/${o.root}/comparison?period=2024-13&instrument=x`);
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.fields as object).sort()).toEqual(['instrument', 'period']);

      const csv = await get(o.d.email, `/api/groups/${o.root}/comparison.csv?period=${period(o.when)}`);
      expect(csv.status).toBe(200);
      const cLine = csv.text.split('\n').find((l) => l.includes('suppressed:below-k'))!;
      expect(cLine.split(',').slice(7).join('')).toBe('');
      // The web's download builds the same rows (comparisonCsv in libs/contracts): the same bytes for
      // the rows in the same order.
      const json = (await get(o.d.email, `/api/groups/${o.root}/comparison?period=${period(o.when)}`))
        .body as GroupComparisonResponse;
      expect(
        comparisonCsv(
          json,
          json.rows.map((r) => r.id),
        ),
      ).toBe(csv.text);
    });

    it('rolls the group trend up from its teams and shows α only from n ≥ 30', async () => {
      const o = await org();
      const trend = (await get(o.d.email, `/api/groups/${o.root}/trend?months=4`)).body as GroupTrendResponse;
      expect(trend.points.map((p) => p.period)).toEqual([period(monthStart(2)), period(o.when)]);
      const [first, second] = trend.points;
      expect(first!.scores.psych_safety).toMatchObject({ status: 'released', n: 24, change: null });
      expect(second!.scores.psych_safety).toMatchObject({ status: 'released', n: 39 });
      expect(second!.participation).toEqual({ status: 'released', n: 39, invited: 50, rate: 39 / 50 });
      const subTrend = (await get(o.ds.email, `/api/groups/${o.sub}/trend?months=4`))
        .body as GroupTrendResponse;
      expect(subTrend.points).toHaveLength(1);
      expect(subTrend.points[0]!.scores.psych_safety).toMatchObject({ status: 'released', n: 15 });

      const rel = (await get(o.d.email, `/api/groups/${o.root}/reliability?months=4`))
        .body as ReliabilityResponse;
      expect(rel.minimumN).toBe(30);
      expect(rel.points[0]!.alpha).toEqual({ status: 'suppressed', reason: 'below-minimum' });
      // α by hand over all 39 responses of the month: k/(k−1)·(1 − Σ s²_item / s²_total).
      const all = [...o.answers.a, ...o.answers.b, ...o.answers.c, ...o.answers.e, ...o.answers.f];
      const scored = all.map((x) => scoreResponse(getInstrument('psych-safety@1'), x));
      const itemVar = ['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6', 'ps7'].reduce(
        (s, id) => s + variance(scored.map((r) => r.items[id]!)),
        0,
      );
      const alpha = (7 / 6) * (1 - itemVar / variance(scored.map((r) => r.total)));
      const point = rel.points[1]!.alpha!;
      expect(point).toMatchObject({ status: 'released', n: 39 });
      if (point.status !== 'released') throw new Error('expected released');
      expect(point.alpha).toBeCloseTo(alpha, 10);
      expect((await get(o.d.email, `/api/groups/${o.root}/trend?months=0`)).status).toBe(400);
    });
  });

  describe('pooled team trend (GET /api/teams/:teamId/trend/pooled)', () => {
    it('pools fixed blocks of cycles for a lead, still subject to k and to differencing', async () => {
      const team = await makeTeam(t.ds, 6);
      const sizes = [3, 3, 6, 2, 4];
      const answers = sizes.map((n, c) => Array.from({ length: n }, (_, i) => psAnswers(2 + ((i + c) % 5))));
      const ids: string[] = [];
      for (const [c, a] of answers.entries()) {
        ids.push(await closedCycle(t.ds, cycles, team.teamId, monthStart(10 - c), a, { k: 5, invited: 6 }));
      }
      const res = await get(team.lead.email, `/api/teams/${team.teamId}/trend/pooled?cycles=2`);
      expect(res.status).toBe(200);
      const body = res.body as PooledTrendResponse;
      expect(body.poolSize).toBe(2);
      expect(body.pendingCycles).toBe(1);
      expect(body.points.map((p) => p.cycleIds)).toEqual([ids.slice(0, 2), ids.slice(2, 4)]);
      const [p1, p2] = body.points;
      // Pool 1: 3 + 3 responses, both cycles below k: 6 ≥ k hidden over two cycles → released.
      const x1 = [...answers[0]!, ...answers[1]!].map((a) => a.ps2!);
      expect(p1!.pooled).toBe(true);
      expect(p1!.scores.psych_safety).toMatchObject({ status: 'released', n: 6 });
      if (p1!.scores.psych_safety!.status !== 'released') throw new Error('expected released');
      expect(p1!.scores.psych_safety!.mean).toBeCloseTo(mean(x1), 12);
      // Pool 2: the released cycle of 6 minus the pool would reveal the cycle of 2 → suppressed.
      expect(p2!.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'would-reveal' });
      expect(numbersIn(p2!.scores)).toEqual([]);

      expect(
        (await get(team.members[0]!.email, `/api/teams/${team.teamId}/trend/pooled?cycles=2`)).status,
      ).toBe(403);
      const bad = await get(team.lead.email, `/api/teams/${team.teamId}/trend/pooled?cycles=1`);
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toHaveProperty('cycles');
      expect((await get(team.lead.email, `/api/teams/${team.teamId}/trend/pooled?cycles=abc`)).status).toBe(
        400,
      );
    });
  });
});
