import { type LoggerService } from '@nestjs/common';
import { constants, createHash, randomBytes, sign } from 'node:crypto';
import { format } from 'node:util';
import request from 'supertest';
import type { OpenSurvey } from '@candor/contracts';
import { type AuthUser } from '../src/auth/auth.types';
import { ResponseService } from '../src/responses/response.service';
import { SchedulerService } from '../src/surveys/scheduler.service';
import { blindToken, finalizeToken } from './blind-client';
import { makeTeam, makeUser, PASSWORD, type TestPerson, type TestTeam } from './factories';
import { createTestApp, login, type TestApp } from './test-app';
import { DeferredCharges } from '../src/common/route-limits';

const asUser = (p: TestPerson): AuthUser => ({
  id: p.id,
  email: p.email,
  name: '',
  isAdmin: false,
  tokenVersion: 0,
  teams: new Map(),
  directorOf: [],
});

/** Submission i carries a unique answer pattern, so its position can be found again later. */
const answersFor = (i: number) => ({
  ps1: 1 + (i % 7),
  ps2: 1 + (Math.floor(i / 7) % 7),
  ps3: 4,
  ps4: 4,
  ps5: 4,
  ps6: 4,
  ps7: 4,
});
const indexOf = (a: Record<string, number>) => a.ps1! - 1 + 7 * (a.ps2! - 1);

/** Spearman's rank correlation of a permutation against 0..n-1. */
function spearman(order: number[]): number {
  const n = order.length;
  const d2 = order.reduce((s, v, i) => s + (v - i) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

const PEOPLE = 30;
const RUNS = 3;

describe('anonymity against the database and the logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A scheduled cycle in 2019 that every member answers, in member order, then closes by tick. */
  async function runCycle(run: number): Promise<{
    team: TestTeam;
    cycleId: string;
    before: number[];
    spent: { token_hash: Buffer; submission_digest: Buffer }[];
  }> {
    const team = await makeTeam(t.ds, PEOPLE);
    const opens = new Date(Date.UTC(2019, 2, 4 + 7 * run, 9)); // Mondays in March 2019
    await t.ds.query(
      `INSERT INTO schedule (team_id, instrument, cadence, weekday, hour, timezone, window_days, k, starts_on)
       VALUES ($1, 'psych-safety', 'weekly', 1, 9, 'UTC', 2, 3, $2)`,
      [team.teamId, opens.toISOString().slice(0, 10)],
    );
    const scheduler = t.app.get(SchedulerService);
    await scheduler.tick(opens, { waitForLock: true });
    const [cycle]: { id: string; public_key_spki: string }[] = await t.ds.query(
      'SELECT id, public_key_spki FROM cycle WHERE team_id = $1',
      [team.teamId],
    );
    const responses = t.app.get(ResponseService);
    const during = new Date(opens.getTime() + 3_600_000);
    const [{ private_key_pkcs8: key, public_key_spki: spki }]: {
      private_key_pkcs8: string;
      public_key_spki: string;
    }[] = await t.ds.query('SELECT private_key_pkcs8, public_key_spki FROM cycle WHERE id = $1', [cycle!.id]);
    const modulusTop = Buffer.from(spki!, 'base64')[33]!; // first byte of n in a 2048-bit SPKI
    // Earlier files' closes (rewrite + VACUUM) leave free space in the shared test database's
    // response heap, where new rows could land out of order; compact it so that step 4's
    // precondition (before close, physical order = submission order) holds.
    await t.ds.query('VACUUM FULL response');
    for (const [i, person] of team.everyone.entries()) {
      // What a browser sends is a uniformly random value below n (that is what blinding makes), so a
      // random one records token_issue exactly as the protocol does. The token and its signature are
      // then made with the cycle key directly: the RSA-PSS signature that unblinding would give.
      // (The full client side runs in the log test below; in JavaScript it costs ~0.2 s a token.)
      const blinded = randomBytes(256);
      blinded[0] = blinded[0]! % modulusTop;
      await responses.issueToken(asUser(person), cycle!.id, blinded.toString('base64url'), during);
      const token = randomBytes(64);
      const signature = sign('sha384', token, {
        key: key!,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 48,
      });
      await responses.submit(
        {
          cycleId: cycle!.id,
          instrument: 'psych-safety@1',
          token: token.toString('base64url'),
          signature: signature.toString('base64url'),
          answers: answersFor(i),
        },
        DeferredCharges.none(),
        during,
      );
    }
    const before = await physicalOrder(cycle!.id);
    const spent: { token_hash: Buffer; submission_digest: Buffer }[] = await t.ds.query(
      'SELECT token_hash, submission_digest FROM spent_token WHERE cycle_id = $1',
      [cycle!.id],
    );
    expect(spent).toHaveLength(team.everyone.length);
    await scheduler.tick(new Date(opens.getTime() + 2 * 86_400_000), { waitForLock: true });
    await t.ds.query('UPDATE schedule SET active = false WHERE team_id = $1', [team.teamId]);
    return { team, cycleId: cycle!.id, before, spent };
  }

  async function physicalOrder(cycleId: string): Promise<number[]> {
    const rows: { answers: Record<string, number> }[] = await t.ds.query(
      'SELECT answers FROM response WHERE cycle_id = $1 ORDER BY ctid',
      [cycleId],
    );
    return rows.map((r) => indexOf(r.answers));
  }

  it('after close nothing links token_issue to response: columns, keys, indexes, values, xmin, physical and id order', async () => {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await runCycle(r));

    // 1. Schema: response and spent_token hold nothing about a person or a time.
    const columns: { table_name: string; column_name: string; data_type: string }[] = await t.ds.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name IN ('response', 'spent_token', 'token_issue')
        ORDER BY table_name, column_name`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
      'response.answers',
      'response.cycle_id',
      'response.id',
      'response.instrument_version',
      'spent_token.cycle_id',
      'spent_token.receipt_id',
      'spent_token.sealed_answers', // issue 12: the answers while open, sealed; deleted at close
      'spent_token.submission_digest',
      'spent_token.token_hash',
      'token_issue.blinded_hash',
      'token_issue.cycle_id',
      'token_issue.user_id',
    ]);
    expect(columns.filter((c) => /time|date/.test(c.data_type))).toEqual([]);
    // Foreign keys: response and spent_token point at cycle only, and nothing points at them.
    const fks: { from: string; to: string }[] = await t.ds.query(
      `SELECT conrelid::regclass::text AS "from", confrelid::regclass::text AS "to" FROM pg_constraint
        WHERE contype = 'f' AND (conrelid::regclass::text IN ('response', 'spent_token')
           OR confrelid::regclass::text IN ('response', 'spent_token')) ORDER BY 1`,
    );
    expect(fks).toEqual([
      { from: 'response', to: 'cycle' },
      { from: 'spent_token', to: 'cycle' },
    ]);
    // Indexes: keys and the cycle only; nothing that sorts by arrival. No sequences or defaults that count.
    const indexes: { indexdef: string }[] = await t.ds.query(
      `SELECT indexdef FROM pg_indexes WHERE tablename IN ('response', 'spent_token') ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexdef.replace(/^.* USING btree /, ''))).toEqual([
      '(cycle_id, id)',
      '(cycle_id, token_hash)',
    ]);
    const defaults: { column_name: string; column_default: string }[] = await t.ds.query(
      `SELECT column_name, column_default FROM information_schema.columns
        WHERE table_name IN ('response', 'spent_token') AND column_default IS NOT NULL`,
    );
    expect(defaults).toEqual([{ column_name: 'id', column_default: 'gen_random_uuid()' }]);

    for (const { team, cycleId, before, spent } of runs) {
      // 2. Values: no person id, no token_issue value, anywhere in the cycle's response/spent rows;
      //    no response id anywhere else in the database.
      const ids = team.everyone.map((p) => p.id);
      const leaked: { n: number }[] = await t.ds.query(
        `SELECT count(*)::int AS n FROM response r WHERE r.cycle_id = $1
            AND EXISTS (SELECT 1 FROM unnest($2::text[]) u WHERE r::text LIKE '%' || u || '%')`,
        [cycleId, ids],
      );
      expect(leaked).toEqual([{ n: 0 }]);
      const issued: { blinded_hash: Buffer }[] = await t.ds.query(
        'SELECT blinded_hash FROM token_issue WHERE cycle_id = $1',
        [cycleId],
      );
      expect(issued).toHaveLength(PEOPLE);
      // While the cycle was open its spent tokens matched no issued (blinded) value; closing deleted them.
      const left: { n: number }[] = await t.ds.query(
        'SELECT count(*)::int AS n FROM spent_token WHERE cycle_id = $1',
        [cycleId],
      );
      expect(left).toEqual([{ n: 0 }]);
      const spentHex = new Set(
        spent.flatMap((s) => [s.token_hash.toString('hex'), s.submission_digest.toString('hex')]),
      );
      expect(issued.some((i) => spentHex.has(i.blinded_hash.toString('hex')))).toBe(false);
      const responseIds: { id: string }[] = await t.ds.query('SELECT id FROM response WHERE cycle_id = $1', [
        cycleId,
      ]);
      const uuidColumns: { table_name: string; column_name: string }[] = await t.ds.query(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND data_type = 'uuid' AND NOT (table_name = 'response' AND column_name = 'id')`,
      );
      for (const c of uuidColumns) {
        const hits: { n: number }[] = await t.ds.query(
          `SELECT count(*)::int AS n FROM "${c.table_name}" WHERE "${c.column_name}" = ANY($1::uuid[])`,
          [responseIds.map((r) => r.id)],
        );
        expect({ column: `${c.table_name}.${c.column_name}`, n: hits[0]!.n }).toEqual({
          column: `${c.table_name}.${c.column_name}`,
          n: 0,
        });
      }

      // 3. Transaction ids: every response of the cycle carries the close's xmin, which is no
      //    token_issue row's xmin.
      const rx: { x: string }[] = await t.ds.query(
        'SELECT DISTINCT xmin::text AS x FROM response WHERE cycle_id = $1',
        [cycleId],
      );
      expect(rx).toHaveLength(1);
      const tx: { x: string }[] = await t.ds.query(
        'SELECT DISTINCT xmin::text AS x FROM token_issue WHERE cycle_id = $1',
        [cycleId],
      );
      expect(tx.map((x) => x.x)).not.toContain(rx[0]!.x);

      // 4. Order: before close there was no plaintext response to order at all (issue 12: the
      //    answers are sealed on the spent tokens until the close opens them)…
      expect(before).toEqual([]);
    }

    // … after close it is a permutation unrelated to it: Spearman's ρ averaged over the runs is
    // near 0 (each run's ρ has SD ≈ 1/√29 ≈ 0.19; the mean of 6 (ctid and id order, 3 runs) ≈ 0.08, so |ρ̄| < 0.4 is ≈ 5 SD).
    const rhos: number[] = [];
    for (const { cycleId } of runs) {
      const after = await physicalOrder(cycleId);
      expect([...after].sort((a, b) => a - b)).toEqual([...Array(PEOPLE).keys()]);
      expect(after).not.toEqual([...Array(PEOPLE).keys()]);
      rhos.push(spearman(after));
      // Ordering by the random primary key says nothing either.
      const byId: { answers: Record<string, number> }[] = await t.ds.query(
        'SELECT answers FROM response WHERE cycle_id = $1 ORDER BY id',
        [cycleId],
      );
      rhos.push(spearman(byId.map((r) => indexOf(r.answers))));
    }
    const mean = rhos.reduce((a, b) => a + b, 0) / rhos.length;
    expect(Math.abs(mean)).toBeLessThan(0.4);

    // 5. Dead pre-shuffle row versions: the tick VACUUMs after a close, so no deleted version of
    //    these cycles' rows remains on the pages (checked with pageinspect where available).
    const ok = await t.ds
      .query('CREATE EXTENSION IF NOT EXISTS pageinspect')
      .then(() => true)
      .catch(() => false);
    if (ok) {
      const pages: { n: number }[] = await t.ds.query(
        `SELECT (pg_relation_size('response') / current_setting('block_size')::int)::int AS n`,
      );
      const needles = runs.map((r) => r.cycleId.replace(/-/g, ''));
      const dead: { n: number }[] = await t.ds.query(
        `SELECT count(*)::int AS n FROM generate_series(0, $1::int - 1) p,
                LATERAL heap_page_items(get_raw_page('response', p)) h
          WHERE h.t_data IS NOT NULL AND h.t_xmax <> 0
            AND EXISTS (SELECT 1 FROM unnest($2::text[]) c WHERE encode(h.t_data, 'hex') LIKE '%' || c || '%')`,
        [pages[0]!.n, needles],
      );
      expect(dead).toEqual([{ n: 0 }]);
    }
  });

  it('logs of a full cycle (schedule, open, token, submit, retries, errors, close) contain no answer, token, signature or blinded message', async () => {
    const lines: string[] = [];
    const capture: LoggerService = {
      log: (...a: unknown[]) => lines.push(format(...a)),
      error: (...a: unknown[]) => lines.push(format(...a)),
      warn: (...a: unknown[]) => lines.push(format(...a)),
      debug: (...a: unknown[]) => lines.push(format(...a)),
      verbose: (...a: unknown[]) => lines.push(format(...a)),
      fatal: (...a: unknown[]) => lines.push(format(...a)),
    };
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...a: unknown[]) => void lines.push(format(...a))),
    );
    const app = await createTestApp({ logLevel: 'debug' }, { logger: capture });
    const secrets: string[] = [];
    try {
      const team = await makeTeam(app.ds, 5);
      const adminUser = await makeUser(app.ds, { isAdmin: true });
      const admin = await login(app.http, adminUser.email, PASSWORD);
      const now = new Date();
      await request(app.http)
        .post('/api/schedules')
        .set('Authorization', `Bearer ${admin}`)
        .send({
          teamId: team.teamId,
          instrument: 'psych-safety',
          cadence: 'weekly',
          weekday: now.getUTCDay() === 0 ? 7 : now.getUTCDay(),
          hour: now.getUTCHours(),
          timezone: 'UTC',
          windowDays: 1,
          k: 3,
        })
        .expect(201);
      const scheduler = app.app.get(SchedulerService);
      await scheduler.tick(now, { waitForLock: true });
      const [cycle]: { id: string }[] = await app.ds.query('SELECT id FROM cycle WHERE team_id = $1', [
        team.teamId,
      ]);
      expect(cycle).toBeDefined();

      for (const [i, person] of team.everyone.entries()) {
        const access = await login(app.http, person.email, PASSWORD);
        const open = await request(app.http)
          .get('/api/surveys/open')
          .set('Authorization', `Bearer ${access}`);
        const survey = (open.body.surveys as OpenSurvey[]).find((s) => s.cycleId === cycle!.id)!;
        const state = await blindToken(survey.publicKeySpki);
        const blinded = Buffer.from(state.blinded).toString('base64url');
        const issued = await request(app.http)
          .post(`/api/cycles/${cycle!.id}/tokens`)
          .set('Authorization', `Bearer ${access}`)
          .send({ blindedMessage: blinded })
          .expect(200);
        const tok = await finalizeToken(state, issued.body.blindSignature as string);
        const answers = answersFor(i + 11);
        secrets.push(
          blinded,
          issued.body.blindSignature as string,
          tok.token,
          tok.signature,
          JSON.stringify(answers),
        );
        const body = { cycleId: cycle!.id, instrument: 'psych-safety@1', ...tok, answers };
        await request(app.http).post('/api/responses').send(body).expect(201);
        await request(app.http).post('/api/responses').send(body).expect(200); // retry
        if (i === 0) {
          await request(app.http)
            .post('/api/responses')
            .send({ ...body, answers: { ...answers, ps3: 7 } })
            .expect(409);
          await request(app.http)
            .post('/api/responses')
            .send({ ...body, signature: tok.signature.slice(0, -4) + 'AAAA' })
            .expect(400);
          await request(app.http)
            .post('/api/responses')
            .set('Content-Type', 'application/json')
            .send(`{"cycleId":"${cycle!.id}","token":"${tok.token}",`)
            .expect(400);
          await request(app.http)
            .post(`/api/cycles/${cycle!.id}/tokens`)
            .set('Authorization', `Bearer ${access}`)
            .send({ blindedMessage: Buffer.from(state.inv).toString('base64url') })
            .expect(409);
        }
      }
      // Fast-forward this cycle to its end, then the real tick closes it (statistics, shuffle, VACUUM).
      await app.ds.query(`UPDATE cycle SET closes_at = now() - interval '1 second' WHERE id = $1`, [
        cycle!.id,
      ]);
      const report = await scheduler.tick(new Date(), { waitForLock: true });
      expect(report.closed).toContain(cycle!.id);
    } finally {
      await app.close();
      for (const s of consoleSpies) s.mockRestore();
    }

    const all = lines.join('\n');
    expect(all).toMatch(/Opened \d+ cycle\(s\)/); // the capture works
    const forms = (s: string) => {
      const out = [s];
      if (/^[A-Za-z0-9_-]+$/.test(s)) {
        const buf = Buffer.from(s, 'base64url');
        out.push(buf.toString('base64'), buf.toString('hex'), createHash('sha256').update(buf).digest('hex'));
      }
      return out;
    };
    for (const secret of secrets) {
      for (const form of forms(secret)) expect(all.includes(form.slice(0, 40))).toBe(false);
    }
    expect(all).not.toMatch(/"ps\d":/);
  });
});
