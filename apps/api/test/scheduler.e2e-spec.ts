import request from 'supertest';
import { DateTime } from 'luxon';
import type { ScheduleView } from '@candor/contracts';
import { type AuthUser } from '../src/auth/auth.types';
import { ResponseService } from '../src/responses/response.service';
import { SchedulerService } from '../src/surveys/scheduler.service';
import { blindToken, finalizeToken } from './blind-client';
import { makeGroup, makeTeam, makeUser, PASSWORD, type TestPerson } from './factories';
import { createTestApp, login, type TestApp } from './test-app';
import { DeferredCharges } from '../src/common/route-limits';

/**
 * The scheduler against a controlled clock. Every test lives in its own stretch of the past
 * (2021), so no other test's cycles or schedules are due at these instants.
 */
const HOUR = 3_600_000;
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toJSDate();
const PS = { ps1: 3, ps2: 5, ps3: 2, ps4: 6, ps5: 3, ps6: 5, ps7: 6 };

interface CycleRow {
  id: string;
  opens_at: Date;
  closes_at: Date;
  status: string;
  k: number;
  invited: number;
  schedule_id: string;
}

function asUser(p: TestPerson): AuthUser {
  return {
    id: p.id,
    email: p.email,
    name: '',
    isAdmin: false,
    tokenVersion: 0,
    teams: new Map(),
    directorOf: [],
  };
}

describe('scheduler tick (opens, reminds, closes) under a controlled clock', () => {
  let t: TestApp;
  let scheduler: SchedulerService;
  let responses: ResponseService;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp({ timezone: 'Europe/Berlin' });
    scheduler = t.app.get(SchedulerService);
    responses = t.app.get(ResponseService);
    const a = await makeUser(t.ds, { isAdmin: true });
    admin = await login(t.http, a.email, PASSWORD);
  });
  afterAll(() => t.close());

  async function schedule(body: object): Promise<ScheduleView> {
    const res = await request(t.http)
      .post('/api/schedules')
      .set('Authorization', `Bearer ${admin}`)
      .send(body);
    expect(res.status).toBe(201);
    return res.body as ScheduleView;
  }
  const pause = (id: string) =>
    request(t.http)
      .patch(`/api/schedules/${id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ active: false })
      .expect(200);
  const cyclesOf = (teamId: string): Promise<CycleRow[]> =>
    t.ds.query(
      'SELECT id, opens_at, closes_at, status, k, invited, schedule_id FROM cycle WHERE team_id = $1 ORDER BY opens_at',
      [teamId],
    );
  const outboxFor = (emails: string[]): Promise<{ to_address: string; kind: string; subject: string }[]> =>
    t.ds.query('SELECT to_address, kind, subject FROM outbox WHERE to_address = ANY($1) ORDER BY id', [
      emails,
    ]);

  async function answer(person: TestPerson, cycleId: string, spki: string, now: Date) {
    const state = await blindToken(spki);
    const issued = await responses.issueToken(
      asUser(person),
      cycleId,
      Buffer.from(state.blinded).toString('base64url'),
      now,
    );
    const tok = await finalizeToken(state, issued.blindSignature);
    await responses.submit(
      { cycleId, instrument: 'psych-safety@1', ...tok, answers: PS },
      DeferredCharges.none(),
      now,
    );
  }

  it('walks schedule → open → remind → submit → close every three hours across the spring DST change, one cycle per week', async () => {
    const team = await makeTeam(t.ds, 5);
    const s = await schedule({
      teamId: team.teamId,
      instrument: 'psych-safety',
      cadence: 'weekly',
      weekday: 1,
      hour: 9,
      windowDays: 3,
      k: 3,
      startsOn: '2021-03-15',
    });
    // One member has turned reminders off.
    const quiet = team.members[3]!;
    await t.ds.query('UPDATE app_user SET reminders_enabled = false WHERE id = $1', [quiet.id]);

    const start = berlin('2021-03-14T00:30').getTime();
    const end = berlin('2021-04-03T00:30').getTime();
    let answered = false;
    for (let now = start; now <= end; now += 3 * HOUR) {
      const report = await scheduler.tick(new Date(now), { waitForLock: true });
      expect(report.acted).toBe(true);
      const cycles = await cyclesOf(team.teamId);
      const first = cycles[0];
      // Two people answer on the first day of the first cycle, through the real blind-token protocol.
      if (first && !answered && now >= berlin('2021-03-15T12:00').getTime()) {
        const [{ public_key_spki: spki }]: { public_key_spki: string }[] = await t.ds.query(
          'SELECT public_key_spki FROM cycle WHERE id = $1',
          [first.id],
        );
        for (const p of [team.lead, team.members[0]!]) await answer(p, first.id, spki!, new Date(now));
        answered = true;
      }
    }

    const cycles = await cyclesOf(team.teamId);
    const local = (d: Date) =>
      DateTime.fromJSDate(new Date(d), { zone: 'Europe/Berlin' }).toFormat('ccc dd.MM HH:mm ZZ');
    expect(cycles.map((c) => local(c.opens_at))).toEqual([
      'Mon 15.03 09:00 +01:00',
      'Mon 22.03 09:00 +01:00',
      'Mon 29.03 09:00 +02:00', // after the change: still 09:00 local, one hour earlier in UTC
    ]);
    expect(cycles.map((c) => local(c.closes_at))).toEqual([
      'Thu 18.03 09:00 +01:00',
      'Thu 25.03 09:00 +01:00',
      'Thu 01.04 09:00 +02:00',
    ]);
    expect(
      cycles.every((c) => c.status === 'closed' && c.k === 3 && c.invited === 5 && c.schedule_id === s.id),
    ).toBe(true);
    const stats: { n: number }[] = await t.ds.query(
      `SELECT n FROM cycle_stats WHERE cycle_id = $1 AND dimension = 'psych_safety'`,
      [cycles[0]!.id],
    );
    expect(stats).toEqual([{ n: 2 }]);

    // Email went to the outbox (no SMTP here): "open" to all 5 for each cycle (none had a token
    // yet), a reminder 24 h before close only to those without a token and with reminders on.
    const mail = await outboxFor(team.everyone.map((p) => p.email));
    expect(mail.filter((m) => m.kind === 'open')).toHaveLength(15);
    const reminded = mail.filter((m) => m.kind === 'reminder').map((m) => m.to_address);
    expect(reminded).toHaveLength(2 + 4 + 4);
    expect(reminded).not.toContain(quiet.email);
    expect(reminded.filter((e) => e === team.lead.email)).toHaveLength(2); // answered in cycle 1 only
    expect(mail.find((m) => m.kind === 'reminder')!.subject).toMatch(
      /closes Thursday 18 March 2021 at 09:00/,
    );
    await pause(s.id);
  });

  it('after downtime it opens only the current period, never one whose window has ended, and never twice', async () => {
    const team = await makeTeam(t.ds, 3);
    const s = await schedule({
      teamId: team.teamId,
      instrument: 'psych-safety',
      cadence: 'weekly',
      weekday: 3,
      hour: 10,
      windowDays: 2,
      startsOn: '2021-05-01',
    });
    // Down from before the first opening until after the third window closed: nothing to open.
    await scheduler.tick(berlin('2021-05-21T12:00'), { waitForLock: true });
    expect(await cyclesOf(team.teamId)).toHaveLength(0);
    // Back during the fourth window (Wed 26 May 10:00 – Fri 28 May 10:00): it opens that one, late.
    await scheduler.tick(berlin('2021-05-27T08:00'), { waitForLock: true });
    await scheduler.tick(berlin('2021-05-27T08:00'), { waitForLock: true });
    await scheduler.tick(berlin('2021-05-27T09:00'), { waitForLock: true });
    const cycles = await cyclesOf(team.teamId);
    expect(cycles).toHaveLength(1);
    expect(new Date(cycles[0]!.opens_at).toISOString()).toBe(berlin('2021-05-26T10:00').toISOString());
    expect(cycles[0]!.status).toBe('open');
    await scheduler.tick(berlin('2021-05-28T10:00'), { waitForLock: true });
    expect((await cyclesOf(team.teamId))[0]!.status).toBe('closed');
    await pause(s.id);
  });

  it('a group schedule opens one cycle per active team under the group and its subgroups; paused schedules open nothing', async () => {
    const group = await makeGroup(t.ds);
    const sub = await makeGroup(t.ds, group);
    const a = await makeTeam(t.ds, 3, group);
    const b = await makeTeam(t.ds, 4, sub);
    const inactive = await makeTeam(t.ds, 3, sub);
    await t.ds.query('UPDATE team SET active = false WHERE id = $1', [inactive.teamId]);
    const s = await schedule({
      groupId: group,
      instrument: 'trust-equation',
      trustSubject: 'lead',
      cadence: 'monthly',
      weekday: 2,
      hour: 8,
      windowDays: 7,
      startsOn: '2021-07-01',
    });
    const paused = await makeTeam(t.ds, 3);
    const p = await schedule({
      teamId: paused.teamId,
      instrument: 'psych-safety',
      cadence: 'monthly',
      weekday: 2,
      hour: 8,
      windowDays: 7,
      startsOn: '2021-07-01',
      active: false,
    });
    await scheduler.tick(berlin('2021-07-06T08:00'), { waitForLock: true }); // first Tuesday of July
    await scheduler.tick(berlin('2021-07-06T08:01'), { waitForLock: true });
    const rows: { team_id: string; instrument_version: string; trust_subject: string; invited: number }[] =
      await t.ds.query(
        'SELECT team_id, instrument_version, trust_subject, invited FROM cycle WHERE schedule_id = ANY($1) ORDER BY invited',
        [[s.id, p.id]],
      );
    expect(rows).toEqual([
      { team_id: a.teamId, instrument_version: 'trust-equation@1', trust_subject: 'lead', invited: 3 },
      { team_id: b.teamId, instrument_version: 'trust-equation@1', trust_subject: 'lead', invited: 4 },
    ]);
    await pause(s.id);
  });

  it("changing a schedule's k affects future cycles only", async () => {
    const team = await makeTeam(t.ds, 3);
    const s = await schedule({
      teamId: team.teamId,
      instrument: 'psych-safety',
      cadence: 'biweekly',
      weekday: 5,
      hour: 9,
      windowDays: 5,
      k: 3,
      startsOn: '2021-09-01',
    });
    await scheduler.tick(berlin('2021-09-03T09:00'), { waitForLock: true });
    await request(t.http)
      .patch(`/api/schedules/${s.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ k: 6 })
      .expect(200);
    await scheduler.tick(berlin('2021-09-10T09:00'), { waitForLock: true }); // the first cycle closes; off-week, nothing opens
    await scheduler.tick(berlin('2021-09-17T09:00'), { waitForLock: true });
    const cycles = await cyclesOf(team.teamId);
    expect(cycles.map((c) => [c.k, c.status])).toEqual([
      [3, 'closed'],
      [6, 'open'],
    ]);
    await pause(s.id);
  });
});
