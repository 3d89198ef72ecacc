import type { GroupComparisonResponse, GroupOverviewResponse } from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import {
  closedCycle,
  director,
  getter,
  monthStart,
  numbersIn,
  period,
  psVaried,
  trustAnswers,
} from './analytics-helpers';
import { makeGroup, makeTeam, makeUser } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * `GET /api/groups/:groupId/overview` over HTTP against PostgreSQL: every dimension of both
 * instruments, teams worst first by favourability, the where-to-look list (a significant drop
 * named with its dimension, teams without results and why), every cell the gate's, access as the
 * group comparison.
 */
describe('group overview', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  /**
   * Root R (director D): A (strong on both), B (psychological safety dropped from 6 to 2 last
   * month), C (2 of 6 answered: below k), E (2 people: smaller than k), F (no cycle). k = 5.
   */
  async function org() {
    const root = await makeGroup(t.ds);
    const [a, b, c, e, f] = [
      await makeTeam(t.ds, 2, root),
      await makeTeam(t.ds, 2, root),
      await makeTeam(t.ds, 2, root),
      await makeTeam(t.ds, 2, root),
      await makeTeam(t.ds, 2, root),
    ];
    const d = await makeUser(t.ds);
    await director(t.ds, d.id, root);
    const when = monthStart(1);
    const before = monthStart(2);
    const opts = { k: 5, invited: 12 };
    const many = (base: number, n = 10) => Array.from({ length: n }, (_, i) => psVaried(base, i));
    await closedCycle(t.ds, cycles, a.teamId, before, many(6), opts);
    await closedCycle(t.ds, cycles, a.teamId, when, many(6), opts);
    await closedCycle(t.ds, cycles, b.teamId, before, many(6), opts);
    await closedCycle(t.ds, cycles, b.teamId, when, many(2), opts);
    await closedCycle(t.ds, cycles, c.teamId, when, many(4, 2), { k: 5, invited: 6 });
    await closedCycle(t.ds, cycles, e.teamId, when, many(4, 2), { k: 5, invited: 2 });
    const trust = (c: number, s: number) =>
      Array.from({ length: 8 }, (_, i) =>
        trustAnswers([c, c, c - (i % 2)], [c, c, c], [c, c, c], [s, s, s + (i % 2)]),
      );
    const te = { ...opts, version: 'trust-equation@1' as const };
    await closedCycle(t.ds, cycles, a.teamId, when, trust(6, 2), te);
    await closedCycle(t.ds, cycles, b.teamId, when, trust(5, 3), te);
    return { root, a, b, c, e, f, d, when };
  }

  it('gives every dimension of both instruments, teams worst first, and where to look', async () => {
    const o = await org();
    const res = await get(o.d.email, `/api/groups/${o.root}/overview?period=${period(o.when)}`);
    expect(res.status).toBe(200);
    const body = res.body as GroupOverviewResponse;
    expect(body.group.id).toBe(o.root);
    expect(body.period).toBe(period(o.when));
    expect(body.k).toBe(5);
    expect(body.dimensions.map((d) => [d.instrument, d.id, d.goodDirection])).toEqual([
      ['psych-safety', 'psych_safety', 'higher'],
      ['trust-equation', 'trust_index', 'higher'],
      ['trust-equation', 'credibility', 'higher'],
      ['trust-equation', 'reliability', 'higher'],
      ['trust-equation', 'intimacy', 'higher'],
      ['trust-equation', 'self_orientation', 'lower'],
    ]);

    // Worst first: B (psychological safety about 2), then A; the teams without results last, by name.
    const ids = body.rows.map((r) => r.teamId);
    expect(ids.slice(0, 2)).toEqual([o.b.teamId, o.a.teamId]);
    expect(new Set(ids.slice(2))).toEqual(new Set([o.c.teamId, o.e.teamId, o.f.teamId]));
    const b = body.rows[0]!;
    const ps = b.scores.psych_safety!;
    expect(ps.status).toBe('released');
    if (ps.status === 'released') {
      expect(ps.band).toBe('needs-attention');
      expect(ps.change?.significant).toBe(true);
      expect(ps.change?.delta).toBeLessThan(0);
      expect(ps.favourable?.status).toBe('released');
    }

    // Where to look: the drop first, named with its team and dimension.
    expect(body.attention[0]).toMatchObject({
      kind: 'significant-drop',
      teamId: o.b.teamId,
      instrument: 'psych-safety',
      dimension: 'psych_safety',
    });
    const noResults = body.attention
      .filter((x) => x.kind === 'no-results' && x.instrument === 'psych-safety')
      .map((x): [string, string | undefined] => [x.teamId, x.reason]);
    expect(new Map(noResults)).toEqual(
      new Map([
        [o.c.teamId, 'below-k'],
        [o.e.teamId, 'smaller-than-k'],
        [o.f.teamId, 'no-cycle'],
      ]),
    );
    // Kinds in order of urgency.
    const order = ['significant-drop', 'below-group', 'needs-attention', 'no-results'];
    const kinds = body.attention.map((x) => order.indexOf(x.kind));
    expect(kinds).toEqual([...kinds].sort((x, y) => x - y));

    // Nothing suppressed carries a number; released cells are the comparison's own.
    for (const row of body.rows)
      for (const cell of Object.values(row.scores))
        if (cell.status === 'suppressed') expect(numbersIn(cell)).toEqual([]);
    for (const id of [o.c.teamId, o.e.teamId, o.f.teamId]) {
      const row = body.rows.find((r) => r.teamId === id)!;
      expect(Object.values(row.scores).every((c) => c.status === 'suppressed')).toBe(true);
    }
    const comparison = (
      await get(
        o.d.email,
        `/api/groups/${o.root}/comparison?instrument=trust-equation&period=${period(o.when)}`,
      )
    ).body as GroupComparisonResponse;
    const teamA = comparison.rows.find((r) => r.id === o.a.teamId)!;
    const overviewA = body.rows.find((r) => r.teamId === o.a.teamId)!;
    for (const dim of comparison.dimensions) {
      const want = teamA.scores[dim.id]!;
      const got = overviewA.scores[dim.id]!;
      expect(got.status).toBe(want.status);
      if (want.status === 'released' && got.status === 'released') {
        expect([got.n, got.mean, got.lower, got.upper]).toEqual([want.n, want.mean, want.lower, want.upper]);
        expect(got.favourable).toEqual(want.favourable);
      }
    }
    // The group itself would be A + B + C, and A and B are shown: it would reveal C's 2 answers.
    expect(body.reference.psych_safety).toEqual({ status: 'suppressed', reason: 'would-reveal' });
  });

  it('is for directors of the group only, with field-level 400s', async () => {
    const o = await org();
    const path = `/api/groups/${o.root}/overview?period=${period(o.when)}`;
    expect((await get(o.a.lead.email, path)).status).toBe(403);
    expect(
      (await get(o.d.email, `/api/groups/00000000-0000-4000-8000-000000000000/overview?period=2024-01`))
        .status,
    ).toBe(404);
    const bad = await get(o.d.email, `/api/groups/${o.root}/overview?period=2024-13`);
    expect(bad.status).toBe(400);
    expect((bad.body as { fields: Record<string, string[]> }).fields.period).toEqual([
      'must be a month as YYYY-MM',
    ]);
    const missing = await get(o.d.email, `/api/groups/${o.root}/overview`);
    expect(missing.status).toBe(400);
  });
});
