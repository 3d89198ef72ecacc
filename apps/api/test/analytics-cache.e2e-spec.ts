import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { GroupComparisonResponse, PooledTrendResponse, TeamTrendResponse } from '@candor/contracts';
import { createDataSource } from '../src/database/data-source';
import { CycleService } from '../src/surveys/cycle.service';
import { closedCycle, director, getter, monthStart, period, psAnswers } from './analytics-helpers';
import { makeGroup, makeTeam, makeUser, PASSWORD } from './factories';
import { createTestApp, login, testDatabaseUrl, type TestApp } from './test-app';

/**
 * Analytics results are cached per data version (table analytics_version, bumped by triggers at
 * the commit of any change to cycle, cycle_stats, team, org_group or action). These tests change
 * data in every way that matters — through the API, through CycleService, and directly in SQL as
 * another instance would — and check that the very next request sees it, and that access is
 * decided per request, before any cached result.
 */
describe('analytics cache: never stale, never shared across access', () => {
  let t: TestApp;
  let cycles: CycleService;
  let get: ReturnType<typeof getter>;
  beforeAll(async () => {
    t = await createTestApp();
    cycles = t.app.get(CycleService);
    get = getter(t.http);
  });
  afterAll(() => t.close());

  it('the version moves once per committing transaction that changes analytics data, and not on rollback', async () => {
    // On a private database: other test files write to the shared one at the same time.
    const url = new URL(testDatabaseUrl());
    const name = `candor_version_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    url.pathname = `/${name}`;
    const ds = createDataSource(url.toString());
    await ds.initialize();
    try {
      await ds.runMigrations();
      const version = async (): Promise<bigint> => {
        const [{ v }]: { v: string }[] = await ds.query('SELECT version::text AS v FROM analytics_version');
        return BigInt(v);
      };
      const team = await makeTeam(ds, 3);
      const v0 = await version();
      await ds.transaction(async (tx) => {
        await tx.query('UPDATE team SET name = name WHERE id = $1', [team.teamId]);
        await tx.query('UPDATE org_group SET name = name WHERE id = $1', [team.groupId]);
        // Uncommitted: other sessions still read the old version.
        expect(await version()).toBe(v0);
      });
      expect(await version()).toBe(v0 + 1n);
      await ds
        .transaction(async (tx) => {
          await tx.query('UPDATE team SET name = name WHERE id = $1', [team.teamId]);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await version()).toBe(v0 + 1n);
      // A savepoint that rolls back takes its mark with it; the rest of the transaction still counts.
      await ds.transaction(async (tx) => {
        await tx
          .transaction(async (inner) => {
            await inner.query('UPDATE team SET name = name WHERE id = $1', [team.teamId]);
            throw new Error('roll back the savepoint');
          })
          .catch(() => undefined);
        await tx.query('UPDATE team SET name = name WHERE id = $1', [team.teamId]);
      });
      expect(await version()).toBe(v0 + 2n);
      // Responses are not analytics data: submitting does not invalidate anything.
      const [{ id }]: { id: string }[] = await ds.query(
        `INSERT INTO cycle (team_id, instrument_version, opens_at, closes_at, status, k, k_comments, invited, public_key_spki)
         VALUES ($1, 'psych-safety@1', now(), now() + interval '1 day', 'open', 3, 5, 3, 'key') RETURNING id`,
        [team.teamId],
      );
      const v1 = await version();
      expect(v1).toBe(v0 + 3n);
      await ds.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
        id,
        'psych-safety@1',
        JSON.stringify(psAnswers(4)),
      ]);
      expect(await version()).toBe(v1);
      // Nor does an action (the team trend keys on the team's actions separately).
      await ds.query(
        `INSERT INTO action (team_id, dimension, text, date) VALUES ($1, 'psych_safety', 'x', '2026-01-05')`,
        [team.teamId],
      );
      expect(await version()).toBe(v1);
      const [{ pending }]: { pending: number }[] = await ds.query(
        'SELECT count(*)::int AS pending FROM analytics_version_pending',
      );
      expect(pending).toBe(0);
    } finally {
      await ds.destroy();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('team trend: a closed cycle, an action, a rename (also made directly in SQL) show on the next request', async () => {
    const team = await makeTeam(t.ds, 6);
    await closedCycle(t.ds, cycles, team.teamId, monthStart(3), [3, 4, 5].map(psAnswers), {
      k: 3,
      invited: 6,
    });
    const url = `/api/teams/${team.teamId}/trend`;
    const first = (await get(team.members[0]!.email, url)).body as TeamTrendResponse;
    expect(first.points).toHaveLength(1);
    expect((await get(team.members[0]!.email, url)).body).toEqual(first); // served again (cached)

    // A new cycle closes (CycleService, as the scheduler does).
    await closedCycle(t.ds, cycles, team.teamId, monthStart(2), [5, 5, 6].map(psAnswers), {
      k: 3,
      invited: 6,
    });
    const second = (await get(team.members[0]!.email, url)).body as TeamTrendResponse;
    expect(second.points).toHaveLength(2);

    // The lead logs an action through the API.
    const leadToken = await login(t.http, team.lead.email, PASSWORD);
    await request(t.http)
      .post(`/api/teams/${team.teamId}/actions`)
      .set('Authorization', `Bearer ${leadToken}`)
      .send({
        dimension: 'psych_safety',
        text: 'Blameless reviews',
        date: monthStart(2, 1).toISOString().slice(0, 10),
      })
      .expect(201);
    const third = (await get(team.members[0]!.email, url)).body as TeamTrendResponse;
    expect((third.actions ?? []).map((a) => a.text)).toEqual(['Blameless reviews']);
    // Actions do not move the data version; the trend keys on the team's actions instead — an
    // edit made elsewhere and a deletion both show at once.
    await t.ds.query('UPDATE action SET text = $2 WHERE team_id = $1', [
      team.teamId,
      'Blameless reviews, weekly',
    ]);
    const edited = (await get(team.members[0]!.email, url)).body as TeamTrendResponse;
    expect((edited.actions ?? []).map((a) => a.text)).toEqual(['Blameless reviews, weekly']);
    await request(t.http)
      .delete(`/api/teams/${team.teamId}/actions/${edited.actions![0]!.id}`)
      .set('Authorization', `Bearer ${leadToken}`)
      .expect(204);
    expect(((await get(team.members[0]!.email, url)).body as TeamTrendResponse).actions).toEqual([]);

    // Another instance renames the team: only the database knows.
    await t.ds.query('UPDATE team SET name = $2 WHERE id = $1', [team.teamId, 'Renamed elsewhere']);
    expect(((await get(team.members[0]!.email, url)).body as TeamTrendResponse).team.name).toBe(
      'Renamed elsewhere',
    );
    // … or rewrites a cycle's statistics.
    await t.ds.query(
      `UPDATE cycle_stats SET sum = sum + n WHERE cycle_id = $1 AND dimension = 'psych_safety'`,
      [second.points[1]!.cycleId],
    );
    const fourth = (await get(team.members[0]!.email, url)).body as TeamTrendResponse;
    const before = second.points[1]!.scores.psych_safety!;
    const after = fourth.points[1]!.scores.psych_safety!;
    if (before.status !== 'released' || after.status !== 'released') throw new Error('expected released');
    expect(after.mean).toBeCloseTo(before.mean + 1, 12);
  });

  it('the live count of the open cycle is per request and per viewer, never cached or shared', async () => {
    const team = await makeTeam(t.ds, 4);
    await closedCycle(t.ds, cycles, team.teamId, monthStart(3), [3, 4, 5].map(psAnswers), {
      k: 3,
      invited: 4,
    });
    const open = await closedCycle(t.ds, cycles, team.teamId, monthStart(0, 1), [psAnswers(4)], {
      k: 3,
      invited: 4,
      open: true,
    });
    const url = `/api/teams/${team.teamId}/trend`;
    const lead = (await get(team.lead.email, url)).body as TeamTrendResponse;
    expect(lead.openCycle).toMatchObject({ cycleId: open, responses: 1 });
    const member = (await get(team.members[0]!.email, url)).body as TeamTrendResponse;
    expect(member.openCycle).toMatchObject({ cycleId: open, responses: null });
    await t.ds.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
      open,
      'psych-safety@1',
      JSON.stringify(psAnswers(2)),
    ]);
    expect(((await get(team.lead.email, url)).body as TeamTrendResponse).openCycle?.responses).toBe(2);
    expect(
      ((await get(team.members[0]!.email, url)).body as TeamTrendResponse).openCycle?.responses,
    ).toBeNull();
  });

  it('access is checked on every request, before the cache: a removed member or a director of another group gets 403', async () => {
    const team = await makeTeam(t.ds, 4);
    await closedCycle(t.ds, cycles, team.teamId, monthStart(3), [3, 4, 5].map(psAnswers), {
      k: 3,
      invited: 4,
    });
    const url = `/api/teams/${team.teamId}/trend`;
    const leaving = team.members[0]!;
    expect((await get(leaving.email, url)).status).toBe(200);
    await t.ds.query('DELETE FROM membership WHERE user_id = $1 AND team_id = $2', [leaving.id, team.teamId]);
    expect((await get(leaving.email, url)).status).toBe(403);
    expect((await get(team.members[1]!.email, url)).status).toBe(200);

    // Group views: a director of the group is served, a director of a sibling group is not,
    // even right after the result was computed (and cached) for the first.
    const root = await makeGroup(t.ds);
    const a = await makeGroup(t.ds, root);
    const b = await makeGroup(t.ds, root);
    const teamA = await makeTeam(t.ds, 4, a);
    const opens = monthStart(2);
    await closedCycle(t.ds, cycles, teamA.teamId, opens, [3, 4, 5, 6, 2].map(psAnswers), {
      k: 3,
      invited: 5,
    });
    const dA = await makeUser(t.ds);
    const dB = await makeUser(t.ds);
    await director(t.ds, dA.id, a);
    await director(t.ds, dB.id, b);
    const compare = `/api/groups/${a}/comparison?period=${period(opens)}`;
    expect((await get(dA.email, compare)).status).toBe(200);
    expect((await get(dB.email, compare)).status).toBe(403);
    expect((await get(teamA.members[0]!.email, compare)).status).toBe(403);
    await t.ds.query('DELETE FROM director_scope WHERE user_id = $1', [dA.id]);
    expect((await get(dA.email, compare)).status).toBe(403);
  });

  it('group comparison and pooled view: a cycle closing in the period shows on the next request', async () => {
    const root = await makeGroup(t.ds);
    const teamA = await makeTeam(t.ds, 6, root);
    const teamB = await makeTeam(t.ds, 6, root);
    const d = await makeUser(t.ds);
    await director(t.ds, d.id, root);
    // The current month: not final, so cycles still join it (a past month is sealed on first view).
    const opens = monthStart(0, 1);
    await closedCycle(t.ds, cycles, teamA.teamId, opens, [3, 4, 5, 6, 2].map(psAnswers), {
      k: 3,
      invited: 6,
    });
    const url = `/api/groups/${root}/comparison?period=${period(opens)}`;
    const before = (await get(d.email, url)).body as GroupComparisonResponse;
    const rowB = (body: GroupComparisonResponse) => body.rows.find((r) => r.id === teamB.teamId)!;
    expect(rowB(before).cycleId).toBeNull();
    const closed = await closedCycle(t.ds, cycles, teamB.teamId, opens, [4, 4, 5, 6, 6].map(psAnswers), {
      k: 3,
      invited: 6,
    });
    const after = (await get(d.email, url)).body as GroupComparisonResponse;
    expect(rowB(after).cycleId).toBe(closed);
    expect(rowB(after).scores.psych_safety).toMatchObject({ status: 'released', n: 5 });
    expect(after.final).toBe(false);
    expect(after.rows[0]!.scores.psych_safety).toEqual({ status: 'suppressed', reason: 'period-open' });

    // Pooled view of team A (size ⌈2·3/6⌉ = 2): one cycle → no complete block; a second → one block.
    const pooledUrl = `/api/teams/${teamA.teamId}/trend/pooled`;
    const p1 = (await get(teamA.lead.email, pooledUrl)).body as PooledTrendResponse;
    expect([p1.poolSize, p1.points.length, p1.pendingCycles]).toEqual([2, 0, 1]);
    await closedCycle(t.ds, cycles, teamA.teamId, monthStart(1), [2, 2, 3].map(psAnswers), {
      k: 3,
      invited: 6,
    });
    const p2 = (await get(teamA.lead.email, pooledUrl)).body as PooledTrendResponse;
    expect([p2.poolSize, p2.points.length, p2.pendingCycles]).toEqual([2, 1, 0]);
  });
});
