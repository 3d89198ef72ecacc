import request from 'supertest';
import type {
  GroupComparisonResponse,
  GroupTrendResponse,
  PooledTrendResponse,
  TeamTrendResponse,
} from '@candor/contracts';
import { CycleService } from '../src/surveys/cycle.service';
import { psAnswers } from './analytics-helpers';
import { obtainToken } from './blind-client';
import { Attacker, History } from './disclosure-harness';
import { makeGroup, makeTeam, makeUser, PASSWORD, type TestPerson, type TestTeam } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The four ways a suppressed team's numbers were once worked out from released ones (issue 11),
 * tried again as an attacker would: small teams, every answer through the real blind-token flow,
 * director, lead and admin accounts, every view read before and after each step. After each
 * history, everything anyone was shown is solved exactly (disclosure-harness.ts): no set of cycles
 * with 0 < n < k may be determined, and no number once shown may have changed.
 */
describe('no number below k can be worked out, across time, reorganisations and views', () => {
  let t: TestApp;
  let cycles: CycleService;
  const clock = {
    at: new Date(),
    now(): Date {
      return this.at;
    },
  };
  const tokens = new Map<string, string>();
  let history: History;
  let attacker: Attacker;
  /** Every number shown so far, by where it was shown: a later view must show the same. */
  let shown: Map<string, string>;

  beforeAll(async () => {
    t = await createTestApp({}, { clock });
    cycles = t.app.get(CycleService);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    history = new History();
    attacker = new Attacker(history);
    shown = new Map();
  });

  const token = async (p: TestPerson) => {
    let tk = tokens.get(p.email);
    if (!tk) tokens.set(p.email, (tk = await login(t.http, p.email, PASSWORD)));
    return tk;
  };
  const get = async <T>(p: TestPerson, path: string): Promise<T> => {
    const res = await request(t.http)
      .get(path)
      .set('Authorization', `Bearer ${await token(p)}`);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  /** A UTC date `months` months before the real now, on `day`. */
  const monthsAgo = (months: number, day: number) => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, day, 9));
  };
  const period = (d: Date) => d.toISOString().slice(0, 7);

  /**
   * A cycle of `team` answered through the real flow — each person signs in, takes a blind-signed
   * token and submits without credentials — then moved to its place in history and closed there.
   * `scores[i]` is person i's psychological-safety score.
   */
  async function answered(
    team: TestTeam,
    path: string[],
    closesAt: Date,
    scores: number[],
    k = 5,
  ): Promise<string> {
    const now = Date.now();
    const cycle = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(now - HOUR),
      closesAt: new Date(now + HOUR),
      k,
    });
    for (const [i, score] of scores.entries()) {
      const person = team.everyone[i]!;
      const { token: tk, signature } = await obtainToken(
        t.http,
        await token(person),
        cycle.id,
        cycle.publicKeySpki,
      );
      await request(t.http)
        .post('/api/responses')
        .send({
          cycleId: cycle.id,
          instrument: 'psych-safety@1',
          token: tk,
          signature,
          answers: psAnswers(score),
        })
        .expect(201);
    }
    await t.ds.query('UPDATE cycle SET opens_at = $2, closes_at = $3 WHERE id = $1', [
      cycle.id,
      new Date(closesAt.getTime() - 5 * DAY),
      closesAt,
    ]);
    clock.at = new Date(closesAt.getTime() + HOUR);
    await cycles.close(cycle.id);
    history.add({ id: cycle.id, teamId: team.teamId, path, closesAt, k, invited: cycle.invited, scores });
    return cycle.id;
  }

  /** Records what a view shows and checks nothing already shown has changed. */
  function remember(where: string, value: unknown) {
    const text = JSON.stringify(value);
    const before = shown.get(where);
    if (before !== undefined) expect({ where, value: text }).toEqual({ where, value: before });
    shown.set(where, text);
  }

  async function readGroup(p: TestPerson, groupId: string, months: Date[]) {
    for (const m of months) {
      const c = await get<GroupComparisonResponse>(
        p,
        `/api/groups/${groupId}/comparison?period=${period(m)}`,
      );
      attacker.comparison(c);
      if (c.final) for (const r of c.rows) remember(`${groupId} ${c.period} ${r.id} ${r.cycleId}`, r.scores);
    }
    const trend = await get<GroupTrendResponse>(p, `/api/groups/${groupId}/trend?months=6`);
    attacker.groupTrend(groupId, trend);
    for (const point of trend.points)
      if (point.final) remember(`${groupId} trend ${point.period}`, point.scores);
    return trend;
  }

  async function readTeam(p: TestPerson, team: TestTeam, pooled: boolean) {
    attacker.teamTrend(await get<TeamTrendResponse>(p, `/api/teams/${team.teamId}/trend`));
    if (!pooled) return null;
    const pools = await get<PooledTrendResponse>(p, `/api/teams/${team.teamId}/trend/pooled`);
    attacker.pooled(pools);
    for (const point of pools.points) remember(`pool ${point.cycleIds.join('+')}`, point.scores);
    return pools;
  }

  function expectNothingDetermined() {
    expect(attacker.determined()).toEqual([]);
  }

  it('1. a later cycle of the same month (or a raised k) never changes a released month', async () => {
    const root = await makeGroup(t.ds);
    const g = await makeGroup(t.ds, root);
    const big = await makeTeam(t.ds, 6, g);
    const small = await makeTeam(t.ds, 6, g);
    const other = await makeTeam(t.ds, 6, g);
    const boss = await makeUser(t.ds);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [boss.id, root]);
    const path = [root, g];

    await answered(big, path, monthsAgo(2, 6), [5, 6, 6, 4, 5, 6]);
    await answered(other, path, monthsAgo(2, 6), [3, 4, 5, 6, 5]);
    // Week 1: the small team is released on its own (k = 3, 3 answers).
    await answered(small, path, monthsAgo(2, 8), [2, 3, 4], 3);
    // A director looks while the month is still running: nothing of the group is final.
    const during = await get<GroupComparisonResponse>(
      boss,
      `/api/groups/${g}/comparison?period=${period(monthsAgo(2, 8))}`,
    );
    expect(during.final).toBe(false);
    expect(during.rows[0]!.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'period-open' });
    await readGroup(boss, g, [monthsAgo(2, 8)]);
    await readTeam(small.lead, small, false);

    // Week 2, with k raised to 5: 2 answers, suppressed on the team's trend.
    const week2 = await answered(small, path, monthsAgo(2, 15), [1, 2], 5);
    await readGroup(boss, g, [monthsAgo(2, 15)]);
    // The month is over: sealed with each team's latest cycle. The small team's week 2 hides 2
    // answers under a group whose other teams are public, so the group is held back for ever.
    clock.at = monthsAgo(1, 2);
    const after = await get<GroupComparisonResponse>(
      boss,
      `/api/groups/${g}/comparison?period=${period(monthsAgo(2, 15))}`,
    );
    expect(after.final).toBe(true);
    expect(after.rows.find((r) => r.cycleId === week2)?.scores.psych_safety).toEqual({
      status: 'suppressed',
      reason: 'below-k',
    });
    expect(after.rows[0]!.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'would-reveal' });
    await readGroup(boss, g, [monthsAgo(2, 15)]);
    await readGroup(boss, root, [monthsAgo(2, 15)]);
    await readTeam(small.lead, small, false);
    expectNothingDetermined();

    // A cycle that closes into the month after it was sealed (a late close) changes nothing shown.
    await answered(other, path, monthsAgo(2, 20), [6, 6, 6, 6, 6]);
    await readGroup(boss, g, [monthsAgo(2, 20)]);
    expectNothingDetermined();
  });

  it('2. moving a team never rewrites a past month', async () => {
    const root = await makeGroup(t.ds);
    const x = await makeGroup(t.ds, root);
    const y = await makeGroup(t.ds, root);
    const a = await makeTeam(t.ds, 6, x);
    const b = await makeTeam(t.ds, 6, x);
    const c = await makeTeam(t.ds, 6, x);
    const d = await makeTeam(t.ds, 7, y);
    const boss = await makeUser(t.ds);
    const admin = await makeUser(t.ds, { isAdmin: true });
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [boss.id, root]);

    const m1 = monthsAgo(3, 10);
    await answered(a, [root, x], m1, [5, 6, 5, 6, 5, 6]);
    await answered(b, [root, x], m1, [2, 3]);
    await answered(c, [root, x], m1, [4, 5, 3]);
    await answered(d, [root, y], m1, [6, 6, 5, 5, 4, 4, 6]);
    clock.at = monthsAgo(2, 2);
    const before = await readGroup(boss, root, [m1]);
    await readGroup(boss, x, [m1]);
    expect(before.points.find((p) => p.period === period(m1))?.scores.psych_safety?.status).toBe('released');

    // The admin moves team C to Y. The past month stays as it was shown (remember() checks it).
    await request(t.http)
      .patch(`/api/admin/teams/${c.teamId}`)
      .set('Authorization', `Bearer ${await token(admin)}`)
      .set('X-Requested-With', 'candor')
      .send({ groupId: y })
      .expect(200);
    await readGroup(boss, root, [m1]);
    await readGroup(boss, x, [m1]);
    await readGroup(boss, y, [m1]);

    // The next month C answers under Y.
    const m2 = monthsAgo(2, 10);
    await answered(a, [root, x], m2, [5, 5, 5, 6, 6, 6]);
    await answered(b, [root, x], m2, [2, 2]);
    await answered(c, [root, y], m2, [3, 4, 3]);
    await answered(d, [root, y], m2, [6, 5, 5, 5, 4, 4, 6]);
    clock.at = monthsAgo(1, 2);
    for (const groupId of [root, x, y]) await readGroup(boss, groupId, [m1, m2]);
    for (const team of [a, b, c, d]) await readTeam(team.lead, team, true);
    expectNothingDetermined();
  });

  it('3. one person who leads two small teams and directs their group cannot isolate the third', async () => {
    const g = await makeGroup(t.ds);
    const s1 = await makeTeam(t.ds, 5, g);
    const s2 = await makeTeam(t.ds, 5, g);
    const s3 = await makeTeam(t.ds, 5, g);
    // One person: lead of S1 and S2, director of the group.
    const person = s1.lead;
    await t.ds.query(`INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, 'lead')`, [
      person.id,
      s2.teamId,
    ]);
    await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [person.id, g]);
    const s2Team: TestTeam = { ...s2, everyone: [person, ...s2.everyone.slice(1)] };

    const m1 = monthsAgo(3, 10);
    const m2 = monthsAgo(2, 10);
    await answered(s1, [g], m1, [5, 6]);
    await answered(s2Team, [g], m1, [4, 4, 6]);
    await answered(s3, [g], m1, [1, 2]);
    await answered(s1, [g], m2, [6, 6, 5]);
    await answered(s2Team, [g], m2, [5, 3]);
    await answered(s3, [g], m2, [2, 1]);
    clock.at = monthsAgo(1, 2);

    // The group's two months, then both pooled views (blocks of ⌈2·5/5⌉ = 2 cycles).
    const trend = await readGroup(person, g, [m1, m2]);
    expect(trend.points.filter((p) => p.scores.psych_safety?.status === 'released')).toHaveLength(2);
    const p1 = await readTeam(person, s1, true);
    const p2 = await readTeam(person, s2Team, true);
    // Months 1 + 2 − pool S1 − pool S2 would be S3's two cycles (4 answers): the second pool is
    // refused by the ledger, although on its own it is a fine pool of 5 answers.
    const pools = [...p1!.points, ...p2!.points].map((p) => p.scores.psych_safety);
    expect(pools).toContainEqual({ status: 'suppressed', reason: 'would-reveal' });
    // Asked again, by anyone allowed, the same answer.
    await readTeam(s2.members[0]!, s2Team, false);
    await readTeam(person, s2Team, true);
    expectNothingDetermined();
  });

  it('4. a group moved between parents, seen by the directors of both, old and new', async () => {
    const root = await makeGroup(t.ds);
    const p1 = await makeGroup(t.ds, root);
    const p2 = await makeGroup(t.ds, root);
    const q = await makeGroup(t.ds, p1);
    const q1 = await makeTeam(t.ds, 6, q);
    const q2 = await makeTeam(t.ds, 6, q);
    const tiny = await makeTeam(t.ds, 4, p1);
    const big = await makeTeam(t.ds, 7, p2);
    const admin = await makeUser(t.ds, { isAdmin: true });
    const directors = [await makeUser(t.ds), await makeUser(t.ds), await makeUser(t.ds)];
    for (const [i, groupId] of [root, p1, p2].entries())
      await t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [
        directors[i]!.id,
        groupId,
      ]);

    const m1 = monthsAgo(3, 12);
    await answered(q1, [root, p1, q], m1, [2, 3, 2]);
    await answered(q2, [root, p1, q], m1, [3, 3]);
    await answered(tiny, [root, p1], m1, [6, 7, 6]);
    await answered(big, [root, p2], m1, [4, 5, 4, 5, 6, 6, 5]);
    clock.at = monthsAgo(2, 2);
    for (const [i, groupId] of [root, p1, p2].entries()) await readGroup(directors[i]!, groupId, [m1]);

    await request(t.http)
      .patch(`/api/admin/groups/${q}`)
      .set('Authorization', `Bearer ${await token(admin)}`)
      .set('X-Requested-With', 'candor')
      .send({ parentId: p2 })
      .expect(200);

    const m2 = monthsAgo(2, 12);
    await answered(q1, [root, p2, q], m2, [2, 2, 3]);
    await answered(q2, [root, p2, q], m2, [4, 3]);
    await answered(tiny, [root, p1], m2, [5, 6, 6]);
    await answered(big, [root, p2], m2, [5, 5, 4, 5, 6, 6, 5]);
    clock.at = monthsAgo(1, 2);
    for (const [i, groupId] of [root, p1, p2].entries()) await readGroup(directors[i]!, groupId, [m1, m2]);
    await readGroup(directors[0]!, q, [m1, m2]);
    for (const team of [q1, q2, tiny, big]) await readTeam(team.lead, team, true);
    expectNothingDetermined();
  });
});
