import request from 'supertest';
import type {
  Cell,
  Estimate,
  GroupComparisonResponse,
  Participation,
  PooledTrendResponse,
} from '@candor/contracts';
import { finitePopulationCorrection, tQuantile } from '@candor/stats';
import { DisclosureService } from '../src/analytics/disclosure.service';
import { CycleService } from '../src/surveys/cycle.service';
import { psAnswers } from './analytics-helpers';
import { obtainToken } from './blind-client';
import { makeGroup, makeTeam, makeUser, PASSWORD, type TestPerson, type TestTeam } from './factories';
import { createTestApp, login, type TestApp } from './test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Red-team review of issue 11's release gate, over the real API: answers through the real
 * blind-token flow, every number read by the accounts that would collude (a director, a lead who is
 * also a respondent). Each test states what an attacker must NOT be able to do, and does it with
 * nothing but released numbers and, where said, the attacker's own answers.
 *
 * A released estimate gives back its sums: n is shown, Σx = n · mean, and Σx² comes from the half
 * width of the 95% t-interval (t · fpc · sd / √n, with the finite-population correction N = the
 * invited count the same cell shows; pools have none). The answers below are chosen so that no
 * interval is clipped to the 1–7 scale; every psychological-safety answer is a whole number here
 * (psAnswers), so the sums are rounded to whole numbers.
 */
function sumsOf(cell: Estimate, populationSize?: number): { n: number; sum: number; sumSq: number } {
  const half = (cell.upper - cell.lower) / 2;
  const fpc = finitePopulationCorrection(cell.n, populationSize);
  const sd = (half * Math.sqrt(cell.n)) / (tQuantile(0.975, cell.n - 1) * fpc);
  const sum = cell.n * cell.mean;
  return {
    n: cell.n,
    sum: Math.round(sum),
    sumSq: Math.round((cell.n - 1) * sd * sd + (sum * sum) / cell.n),
  };
}

/** [person, score] pairs: people[i] answers scores[i]. */
const by = (people: TestPerson[], scores: number[]): [TestPerson, number][] =>
  scores.map((score, i) => [people[i]!, score]);

const released = <T extends object>(cell: Cell<T> | undefined): T | null =>
  cell && cell.status === 'released' ? (cell as T) : null;

describe('red-team review of the release gate (issue 11)', () => {
  let t: TestApp;
  let cycles: CycleService;
  let disclosure: DisclosureService;
  const clock = {
    at: new Date(),
    now(): Date {
      return this.at;
    },
  };
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp({}, { clock });
    cycles = t.app.get(CycleService);
    disclosure = t.app.get(DisclosureService);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const bearer = async (p: TestPerson) => {
    let tk = tokens.get(p.email);
    if (!tk) tokens.set(p.email, (tk = await login(t.http, p.email, PASSWORD)));
    return `Bearer ${tk}`;
  };
  const get = async <T>(p: TestPerson, path: string): Promise<T> => {
    const res = await request(t.http)
      .get(path)
      .set('Authorization', await bearer(p));
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const direct = (p: TestPerson, groupId: string) =>
    t.ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [p.id, groupId]);
  /** A UTC date `months` months before the real now, on `day`, 09:00. */
  const monthsAgo = (months: number, day: number) => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, day, 9));
  };
  const period = (d: Date) => d.toISOString().slice(0, 7);

  /**
   * A psychological-safety cycle of `team` (k = 5): each [person, score] takes a blind-signed token
   * and submits without credentials while the cycle is open; then the cycle is placed at its time
   * in history (closing at `closesAt`) and closed through the real close path.
   */
  async function pulse(team: TestTeam, answers: [TestPerson, number][], closesAt: Date): Promise<string> {
    const now = Date.now();
    const cycle = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(now - HOUR),
      closesAt: new Date(now + HOUR),
      k: 5,
    });
    for (const [person, score] of answers) {
      const { token, signature } = await obtainToken(
        t.http,
        (await bearer(person)).slice('Bearer '.length),
        cycle.id,
        cycle.publicKeySpki,
      );
      await request(t.http)
        .post('/api/responses')
        .send({
          cycleId: cycle.id,
          instrument: 'psych-safety@1',
          token,
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
    await cycles.close(cycle.id);
    return cycle.id;
  }

  it('a group month and an overlapping pool never give away single suppressed answers', async () => {
    // Team A (3 people) and team C (5 people, so its pooled blocks are ⌈2·5/5⌉ = 2 cycles) in one
    // group. C's first cycle: only its lead answered (6). The next month: one engineer of A
    // answered (2), four of C answered. Every one of these cycles is suppressed on its own.
    const g = await makeGroup(t.ds);
    const a = await makeTeam(t.ds, 3, g);
    const c = await makeTeam(t.ds, 5, g);
    const director = await makeUser(t.ds);
    await direct(director, g);
    const m0 = monthsAgo(3, 10);
    const m1 = monthsAgo(2, 10);
    await pulse(c, [[c.lead, 6]], m0);
    await pulse(a, [[a.members[0]!, 2]], m1);
    await pulse(c, by(c.members, [3, 5, 4, 6]), m1);
    clock.at = monthsAgo(1, 2);

    // The director reads the group's month (A's single answer + C's four), C's lead the pooled
    // trend (C's lead's single answer + the same four).
    const cmp = await get<GroupComparisonResponse>(
      director,
      `/api/groups/${g}/comparison?period=${period(m1)}`,
    );
    const month = released(cmp.rows[0]!.scores.psych_safety);
    const monthInvited = released<Participation>(cmp.rows[0]!.participation)?.invited;
    const pools = await get<PooledTrendResponse>(c.lead, `/api/teams/${c.teamId}/trend/pooled`);
    const pool = released(pools.points[0]?.scores.psych_safety);

    const recovered: Record<string, number> = {};
    if (month && pool) {
      const mm = sumsOf(month, monthInvited);
      const pp = sumsOf(pool);
      const d1 = mm.sum - pp.sum; // A's answer − C's lead's answer
      const d2 = mm.sumSq - pp.sumSq; // their squares' difference
      // Nobody's own answer needed: x_a + x_b = d2 / d1.
      if (d1 !== 0) recovered['A engineer, from Σx and Σx²'] = (d1 + d2 / d1) / 2;
      // C's lead knows their own answer (6): the difference alone gives A's engineer's.
      recovered["A engineer, from the lead's own answer"] = d1 + 6;
    }
    // Before the fix: { 'A engineer, from Σx and Σx²': 2, "A engineer, from the lead's own answer": 2 }.
    expect(recovered).toEqual({});
  });

  it('a group moved during a month never lets one director read single suppressed answers', async () => {
    // Group Q moves from P1 to P2 in the middle of a month. Q's team q1 closed before the move
    // (under P1), its team q2 after (under P2); team x is in P1, team y in P2. One answer each in
    // x and q2, four each in q1 and y: every team is suppressed, every group cell has n ≥ 5.
    const root = await makeGroup(t.ds);
    const p1 = await makeGroup(t.ds, root);
    const p2 = await makeGroup(t.ds, root);
    const q = await makeGroup(t.ds, p1);
    const q1 = await makeTeam(t.ds, 5, q);
    const q2 = await makeTeam(t.ds, 3, q);
    const x = await makeTeam(t.ds, 3, p1);
    const y = await makeTeam(t.ds, 5, p2);
    const director = await makeUser(t.ds);
    const admin = await makeUser(t.ds, { isAdmin: true });
    await direct(director, root);
    await pulse(q1, by(q1.everyone, [5, 4, 6, 5]), monthsAgo(2, 5));
    await pulse(x, by(x.everyone, [2]), monthsAgo(2, 6));
    await request(t.http)
      .patch(`/api/admin/groups/${q}`)
      .set('Authorization', await bearer(admin))
      .set('X-Requested-With', 'candor')
      .send({ parentId: p2 })
      .expect(200);
    await pulse(q2, by(q2.everyone, [7]), monthsAgo(2, 20));
    await pulse(y, by(y.everyone, [3, 4, 4, 5]), monthsAgo(2, 21));
    clock.at = monthsAgo(1, 2);

    const cmp = await get<GroupComparisonResponse>(
      director,
      `/api/groups/${root}/comparison?period=${period(monthsAgo(2, 5))}`,
    );
    const row = (id: string) => cmp.rows.find((r) => r.kind === 'group' && r.id === id)!;
    const cellQ = released(row(q).scores.psych_safety);
    const cellP1 = released(row(p1).scores.psych_safety);
    const recovered: Record<string, number> = {};
    if (cellQ && cellP1) {
      // Q − P1 = q2 − x: two single answers, with both their sums and sums of squares.
      const sq = sumsOf(cellQ, released<Participation>(row(q).participation)!.invited);
      const sp = sumsOf(cellP1, released<Participation>(row(p1).participation)!.invited);
      const d1 = sq.sum - sp.sum;
      const d2 = sq.sumSq - sp.sumSq;
      if (d1 !== 0) {
        recovered['q2 engineer'] = (d1 + d2 / d1) / 2;
        recovered['x engineer'] = (d2 / d1 - d1) / 2;
      }
    }
    // Before the fix: { 'q2 engineer': 7, 'x engineer': 2 }, by one director with no other help.
    expect(recovered).toEqual({});
  });

  it("a lead of a two-person team never learns the other person's answers from the pooled trend", async () => {
    // Lead + one engineer, k = 5: blocks of ⌈2·5/2⌉ = 5 cycles; each cycle (n = 2) is suppressed,
    // a block has 10 answers — from two people, one of whom is the lead reading it.
    const team = await makeTeam(t.ds, 2);
    const mine = [4, 5, 3, 6, 4];
    const theirs = [2, 6, 3, 5, 2];
    for (let w = 0; w < 5; w++) {
      await pulse(
        team,
        [
          [team.lead, mine[w]!],
          [team.members[0]!, theirs[w]!],
        ],
        monthsAgo(2, 3 + 7 * w),
      );
    }
    const pools = await get<PooledTrendResponse>(team.lead, `/api/teams/${team.teamId}/trend/pooled`);
    const pool = released(pools.points[0]?.scores.psych_safety);
    let recovered: { mean: number; sd: number } | null = null;
    if (pool) {
      const s = sumsOf(pool);
      const sum = s.sum - mine.reduce((x, y) => x + y, 0);
      const sumSq = s.sumSq - mine.reduce((x, y) => x + y * y, 0);
      recovered = { mean: sum / 5, sd: Math.sqrt((sumSq - (sum * sum) / 5) / 4) };
    }
    // Before the fix: the engineer's five-week mean 3.6 and spread 1.82, exactly.
    expect(recovered).toBeNull();
  });

  it('a group month of two small teams of the same three people is not released as if it were six', async () => {
    // The same three people make up two teams of one group (a matrix organisation): each team's
    // cycle has 3 < k = 5 answers, the group's month has 6 ≥ k — from three people. One of them
    // directs the group and subtracts their own two answers: two people's answers are left.
    const g = await makeGroup(t.ds);
    const t1 = await makeTeam(t.ds, 3, g);
    const t2 = await makeTeam(t.ds, 1, g);
    for (const p of t1.members)
      await t.ds.query(`INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, 'member')`, [
        p.id,
        t2.teamId,
      ]);
    const me = t2.lead;
    await direct(me, g);
    // t2's lead is also in t1 for this organisation: the same three people answer both.
    await t.ds.query(`INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, 'member')`, [
      me.id,
      t1.teamId,
    ]);
    const m1 = monthsAgo(2, 12);
    const others = t1.everyone; // three people, none of them `me`
    const three: TestPerson[] = [me, others[1]!, others[2]!];
    await pulse(t1, by(three, [4, 3, 6]), m1);
    await pulse(t2, by(three, [5, 2, 5]), m1);
    clock.at = monthsAgo(1, 2);
    const cmp = await get<GroupComparisonResponse>(me, `/api/groups/${g}/comparison?period=${period(m1)}`);
    const cell = released(cmp.rows[0]!.scores.psych_safety);
    // Six answers from three people must be held back like three answers would be.
    expect(cell ? { n: cell.n, mean: cell.mean } : null).toBeNull();
  });

  it('a group cell of a month that is not over is never released, even when its first cycle closes during the request', async () => {
    // Two big teams in a fresh org tree: nothing of it has closed this month yet.
    const root = await makeGroup(t.ds);
    const x = await makeTeam(t.ds, 6, root);
    const y = await makeTeam(t.ds, 6, root);
    const director = await makeUser(t.ds);
    await direct(director, root);
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const closesAt = new Date(Math.max(monthStart + HOUR, now.getTime() - HOUR));
    clock.at = now;

    // The scheduler closes X's cycle — the tree's first of the month — while a director's
    // comparison is between deciding which months are still open and reading the month's rows.
    // (The interleaving is forced by running the close right after that step; nothing is replaced.)
    const xAnswers = by(x.everyone, [5, 6, 4, 5, 6, 4]);
    const original = disclosure.sealForView.bind(disclosure);
    let closedDuring = false;
    jest.spyOn(disclosure, 'sealForView').mockImplementation(async (...args) => {
      const open = await original(...args);
      if (!closedDuring) {
        closedDuring = true;
        await pulse(x, xAnswers, closesAt);
      }
      return open;
    });
    const during = await get<GroupComparisonResponse>(
      director,
      `/api/groups/${root}/comparison?period=${period(now)}`,
    );
    jest.restoreAllMocks();
    expect(closedDuring).toBe(true);
    const shownDuring = released(during.rows[0]!.scores.psych_safety);

    // Y closes later in the same month; once the month is over, the group's final number differs.
    await pulse(y, by(y.everyone, [2, 3, 2, 3, 2, 3]), new Date(closesAt.getTime() + 1000));
    clock.at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2, 9));
    const after = await get<GroupComparisonResponse>(
      director,
      `/api/groups/${root}/comparison?period=${period(now)}`,
    );
    expect(after.final).toBe(true);
    // The month's group number must not have been shown while the month could still change
    // (before the fix it was shown as 5.0 with final: false, and the final number is 3.75).
    expect({ final: during.final, shown: shownDuring?.mean ?? null }).toEqual({ final: false, shown: null });
  });
});
