import type { ComparisonRow, GroupComparisonResponse } from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import { closedCycle, DAY, director, getter, monthStart, period, psAnswers } from './analytics-helpers';
import request from 'supertest';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

/**
 * Group views take each team's latest cycle closing in the month from `team_month_cycle`, which
 * CycleService.closeMany keeps: whatever order cycles close in, the row is the latest one (by
 * closing time) with its response count and the groups the team was in when it closed.
 */
describe('team_month_cycle: the cycle of the month the group views use', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  const teamRow = (body: GroupComparisonResponse, teamId: string): ComparisonRow | undefined =>
    body.rows.find((r) => r.kind === 'team' && r.id === teamId);

  it('is the latest cycle closing in the month, whatever order the cycles close in; open cycles do not count', async () => {
    const group = await makeGroup(t.ds);
    const team = await makeTeam(t.ds, 8, group);
    const boss = await makeUser(t.ds);
    await director(t.ds, boss.id, group);
    const early = monthStart(1, 2);
    const late = new Date(early.getTime() + 8 * DAY);
    const answers = (n: number) => Array.from({ length: n }, (_, i) => psAnswers(3 + (i % 3)));

    // The later cycle closes first, the earlier one afterwards: the later one stays the month's.
    const lateId = await closedCycle(t.ds, cycles, team.teamId, late, answers(5), { k: 3, invited: 8 });
    const earlyId = await closedCycle(t.ds, cycles, team.teamId, early, answers(4), { k: 3, invited: 8 });
    // A still later cycle that is open is not used.
    await closedCycle(t.ds, cycles, team.teamId, new Date(late.getTime() + 8 * DAY), answers(6), {
      k: 3,
      invited: 8,
      open: true,
    });
    expect(earlyId).not.toBe(lateId);

    const res = await get(boss.email, `/api/groups/${group}/comparison?period=${period(early)}`);
    expect(res.status).toBe(200);
    const row = teamRow(res.body as GroupComparisonResponse, team.teamId);
    expect(row).toMatchObject({ cycleId: lateId, participation: { status: 'released', n: 5, invited: 8 } });

    const stored: { cycle_id: string; n: number; k: number; invited: number; month: string }[] =
      await t.ds.query(
        `SELECT cycle_id, n, k, invited, to_char(month, 'YYYY-MM') AS month FROM team_month_cycle WHERE team_id = $1`,
        [team.teamId],
      );
    expect(stored).toEqual([{ cycle_id: lateId, n: 5, k: 3, invited: 8, month: period(early) }]);
    // Each group on the path holds a copy of the month row, replaced with it (the later cycle's).
    const monthRow = `SELECT cycle_id, k, invited, n, group_path, stats FROM team_month_cycle WHERE team_id = $1`;
    const [row0]: { group_path: string[] }[] = await t.ds.query(monthRow, [team.teamId]);
    const copies: { group_id: string }[] = await t.ds.query(
      `SELECT group_id, cycle_id, k, invited, n, group_path, stats FROM team_month_group
        WHERE team_id = $1 ORDER BY depth`,
      [team.teamId],
    );
    expect(copies).toEqual(row0!.group_path.map((g) => ({ group_id: g, ...row0 })));
    // Its copy of the cycle's statistics is exactly the cycle's rows other than items.
    const [{ stats }]: { stats: Record<string, unknown[]> }[] = await t.ds.query(
      'SELECT stats FROM team_month_cycle WHERE team_id = $1',
      [team.teamId],
    );
    const rows: { dimension: string; n: number; sum: number; sum_sq: number; sum_cross: number | null }[] =
      await t.ds.query(
        `SELECT dimension, n, sum, sum_sq, sum_cross FROM cycle_stats
          WHERE cycle_id = $1 AND NOT starts_with(dimension, 'item:')`,
        [lateId],
      );
    expect(Object.keys(stats).sort()).toEqual(['favourable:psych_safety', 'psych_safety', 'total']);
    expect(stats).toEqual(
      Object.fromEntries(rows.map((r) => [r.dimension, [r.n, r.sum, r.sum_sq, r.sum_cross]])),
    );
  });

  it('keeps a closed cycle in the group it closed in: moving the team changes only what closes afterwards', async () => {
    const root = await makeGroup(t.ds);
    const from = await makeGroup(t.ds, root);
    const to = await makeGroup(t.ds, root);
    const team = await makeTeam(t.ds, 6, from);
    const boss = await makeUser(t.ds);
    await director(t.ds, boss.id, root);
    const answers = [3, 4, 5, 6, 6].map(psAnswers);
    const when = monthStart(3);
    const before = await closedCycle(t.ds, cycles, team.teamId, when, answers, { k: 3 });
    const admin = await makeUser(t.ds, { isAdmin: true });
    const token = await login(t.http, admin.email, PASSWORD);
    await request(t.http)
      .patch(`/api/admin/teams/${team.teamId}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Requested-With', 'candor')
      .send({ groupId: to })
      .expect(200);
    // The month's row keeps the path the cycle closed with.
    const stored: { group_path: string[] }[] = await t.ds.query(
      'SELECT group_path FROM team_month_cycle WHERE team_id = $1',
      [team.teamId],
    );
    expect(stored).toEqual([{ group_path: [root, from] }]);
    const groupRow = async (groupId: string, at: Date) =>
      (
        (await get(boss.email, `/api/groups/${root}/comparison?period=${period(at)}`))
          .body as GroupComparisonResponse
      ).rows.find((r) => r.kind === 'group' && r.id === groupId);
    expect((await groupRow(from, when))?.participation).toMatchObject({ status: 'released', n: 5 });
    expect(await groupRow(to, when)).toBeUndefined();
    // The team's row of that month sits under the group it was in, with the cycle it had.
    const rows = (
      (await get(boss.email, `/api/groups/${root}/comparison?period=${period(when)}`))
        .body as GroupComparisonResponse
    ).rows;
    expect(rows.find((r) => r.kind === 'team' && r.cycleId === before)?.parentId).toBe(from);
    // In the comparison of the group it left, the team is listed by today's name, though it is no
    // longer in that group's subtree (its name is looked up by id, not from the subtree's teams).
    const [{ name }]: { name: string }[] = await t.ds.query('SELECT name FROM team WHERE id = $1', [
      team.teamId,
    ]);
    const left = (
      (await get(boss.email, `/api/groups/${from}/comparison?period=${period(when)}`))
        .body as GroupComparisonResponse
    ).rows.filter((r) => r.kind === 'team');
    expect(left).toEqual([
      expect.objectContaining({ id: team.teamId, name, parentId: from, cycleId: before }),
    ]);

    // A cycle closing after the move counts in the new group.
    const later = monthStart(2);
    await closedCycle(t.ds, cycles, team.teamId, later, answers, { k: 3 });
    expect((await groupRow(to, later))?.participation).toMatchObject({ status: 'released', n: 5 });
    expect(await groupRow(from, later)).toBeUndefined();
  });

  it('goes with its cycle when the cycle is deleted', async () => {
    const team = await makeTeam(t.ds, 4);
    const id = await closedCycle(t.ds, cycles, team.teamId, monthStart(2), [psAnswers(4), psAnswers(5)], {
      k: 3,
    });
    const count = async () =>
      (
        (await t.ds.query('SELECT count(*)::int AS n FROM team_month_cycle WHERE cycle_id = $1', [id])) as {
          n: number;
        }[]
      )[0]!.n;
    const copies = async () =>
      (
        (await t.ds.query('SELECT count(*)::int AS n FROM team_month_group WHERE cycle_id = $1', [id])) as {
          n: number;
        }[]
      )[0]!.n;
    expect(await count()).toBe(1);
    expect(await copies()).toBeGreaterThan(0);
    await t.ds.query('DELETE FROM cycle WHERE id = $1', [id]);
    expect(await count()).toBe(0);
    expect(await copies()).toBe(0);
  });
});
