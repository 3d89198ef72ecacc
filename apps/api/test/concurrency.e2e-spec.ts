import { constants, randomBytes, sign } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import request from 'supertest';
import { CycleService } from '../src/surveys/cycle.service';
import { SchedulerService } from '../src/surveys/scheduler.service';
import { makeGroup, makeTeam } from './factories';
import { createTestApp, type TestApp } from './test-app';

const HOUR = 3_600_000;
const TOKENS = 200;
const psAnswers = (v: number) => ({ ps1: v, ps2: v, ps3: v, ps4: v, ps5: v, ps6: v, ps7: v });

describe('concurrency', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    // One real listening server: supertest would otherwise start a server per request.
    const server = (await t.app.listen(0, '127.0.0.1')) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it(`${TOKENS} tokens each submitted twice at once (same answers, or different ones) leave exactly one response per token`, async () => {
    const team = await makeTeam(t.ds, 3);
    const cycle = await t.app.get(CycleService).open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    // Valid RFC 9474 (RSABSSA-SHA384-PSS-Randomized) token/signature pairs. The blind issue is
    // covered by the protocol tests; here the cycle's key signs the prepared tokens directly, which
    // yields exactly the signatures unblinding would (RSA-PSS, SHA-384, 48-byte salt).
    const tokens = Array.from({ length: TOKENS }, () => {
      const token = randomBytes(64);
      const signature = sign('sha384', token, {
        key: cycle.privateKeyPkcs8!,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 48,
      });
      return { token: token.toString('base64url'), signature: signature.toString('base64url') };
    });
    const submit = (i: number, v: number) =>
      request(base)
        .post('/api/responses')
        .send({ cycleId: cycle.id, instrument: 'psych-safety@1', ...tokens[i]!, answers: psAnswers(v) })
        .then((res) => ({ i, v, status: res.status, body: res.body as { receiptId?: string } }));

    // Even tokens: the same answers twice (a retry racing the first try). Odd: two different answers.
    const results = await Promise.all(
      tokens.flatMap((_tok, i) => [
        submit(i, 1 + (i % 7)),
        submit(i, i % 2 === 0 ? 1 + (i % 7) : 1 + ((i + 1) % 7)),
      ]),
    );

    const stored: number[] = [];
    for (let i = 0; i < TOKENS; i++) {
      const pair = results.filter((r) => r.i === i);
      const statuses = pair.map((r) => r.status).sort();
      if (i % 2 === 0) {
        expect({ i, statuses }).toEqual({ i, statuses: [200, 201] });
        expect(pair[0]!.body.receiptId).toBe(pair[1]!.body.receiptId); // the replay returns the first receipt
      } else {
        expect({ i, statuses }).toEqual({ i, statuses: [201, 409] });
      }
      stored.push(pair.find((r) => r.status === 201)!.v);
    }
    const spent: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM spent_token WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(spent).toEqual([{ n: TOKENS }]);
    // The answers are sealed while open (issue 12): close the cycle to read them.
    expect(await t.app.get(CycleService).close(cycle.id)).toBe(true);
    const rows: { answers: Record<string, number> }[] = await t.ds.query(
      'SELECT answers FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(rows).toHaveLength(TOKENS);
    // The stored answers are exactly the winners' answers (as a multiset: nothing maps a row to a token).
    expect(rows.map((r) => r.answers.ps1!).sort()).toEqual(stored.sort());
  });

  // Last: a second app in one process takes over Passport's strategies; only ticks are used here.
  it('two app instances ticking at the same moment open each cycle exactly once', async () => {
    const other = await createTestApp();
    try {
      const group = await makeGroup(t.ds);
      const teams = await Promise.all([
        makeTeam(t.ds, 3, group),
        makeTeam(t.ds, 3, group),
        makeTeam(t.ds, 3, group),
      ]);
      await t.ds.query(
        `INSERT INTO schedule (group_id, instrument, cadence, weekday, hour, timezone, window_days, k, starts_on)
         VALUES ($1, 'psych-safety', 'weekly', 1, 9, 'Europe/Berlin', 3, 3, '2018-01-01')`,
        [group],
      );
      const a = t.app.get(SchedulerService);
      const b = other.app.get(SchedulerService);
      let actedAlone = 0;
      // Three Mondays of January 2018, both instances at once each time, and once more each.
      for (const day of [1, 8, 15]) {
        const now = new Date(Date.UTC(2018, 0, day, 8, 0, 5));
        const [ra, rb] = await Promise.all([a.tick(now), b.tick(now)]);
        if (ra.acted !== rb.acted) actedAlone++;
        await Promise.all([
          a.tick(new Date(now.getTime() + 60_000)),
          b.tick(new Date(now.getTime() + 60_000)),
        ]);
      }
      const rows: { team_id: string; n: number }[] = await t.ds.query(
        `SELECT team_id, count(*)::int AS n FROM cycle WHERE team_id = ANY($1) GROUP BY team_id`,
        [teams.map((x) => x.teamId)],
      );
      expect(rows.map((r) => r.n)).toEqual([3, 3, 3]);
      const invitees: { n: number }[] = await t.ds.query(
        `SELECT count(*)::int AS n FROM cycle_invitee ci JOIN cycle c ON c.id = ci.cycle_id WHERE c.team_id = ANY($1)`,
        [teams.map((x) => x.teamId)],
      );
      expect(invitees).toEqual([{ n: 27 }]);
      // At least once the lock made one of two simultaneous ticks stand aside.
      expect(actedAlone).toBeGreaterThan(0);
      await t.ds.query('UPDATE schedule SET active = false WHERE group_id = $1', [group]);
    } finally {
      await other.close();
    }
  });
});
