import { type LoggerService } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { constants, randomBytes, randomInt, sign } from 'node:crypto';
import { format } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import { type AuthUser } from '../src/auth/auth.types';
import { createDataSource } from '../src/database/data-source';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database';
import { ResponseService } from '../src/responses/response.service';
import { SealingKeyUnavailableError } from '../src/sealing/sealing.service';
import { CycleService } from '../src/surveys/cycle.service';
import { SchedulerService } from '../src/surveys/scheduler.service';
import { makeTeam, type TestPerson } from './factories';
import { createTestApp, testDatabaseUrl, type TestApp } from './test-app';

/**
 * Issue 12: answers are sealed while a cycle is open and untraceable after it closes. Every
 * attack here runs against the real API and a real PostgreSQL database of its own (so that a scan
 * of every page of every relation sees only what this file wrote).
 */
const PEOPLE = 30;
const HOUR = 3_600_000;
const ITEMS = ['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6', 'ps7'] as const;
type Answers = Record<(typeof ITEMS)[number], number>;

const asUser = (p: TestPerson): AuthUser => ({
  id: p.id,
  email: p.email,
  name: '',
  isAdmin: false,
  tokenVersion: 0,
  teams: new Map(),
  directorOf: [],
});

/** `n` different random answer sets, so each person's answers can be recognised anywhere. */
function distinctAnswers(n: number): Answers[] {
  const seen = new Set<string>();
  const out: Answers[] = [];
  while (out.length < n) {
    const a = Object.fromEntries(ITEMS.map((id) => [id, 1 + randomInt(7)])) as Answers;
    const key = JSON.stringify(a);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(a);
    }
  }
  return out;
}

/** Every textual form a reader could recognise an answer set by. */
function textNeedles(a: Answers): string[] {
  const values = ITEMS.map((id) => a[id]);
  return [
    ITEMS.map((id) => `"${id}": ${a[id]}`).join(', '), // jsonb::text, pg_dump
    ITEMS.map((id) => `"${id}":${a[id]}`).join(','), // JSON.stringify
    Buffer.from(values).toString('hex'), // the sealed plaintext (one byte per item) as bytea hex
  ];
}

function occurrences(haystack: Buffer, needle: Buffer): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
}

describe('sealed answers while open, untraceable after close (issue 12)', () => {
  let own: ScratchDatabase;
  let t: TestApp;
  beforeAll(async () => {
    own = await createScratchDatabase('candor_test_seal', testDatabaseUrl());
    const migrate = createDataSource(own.url);
    await migrate.initialize();
    await migrate.runMigrations();
    await migrate.destroy();
    t = await createTestApp({}, { databaseUrl: own.url });
    await t.ds.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
  });
  afterAll(async () => {
    await t?.close();
    await own?.dispose();
  });

  /** A cycle every member answers through POST /api/responses, in member order. */
  async function answeredCycle(app: TestApp, people = PEOPLE) {
    const team = await makeTeam(app.ds, people);
    const cycles = app.app.get(CycleService);
    const cycle = await cycles.open({
      teamId: team.teamId,
      instrument: 'psych-safety@1',
      opensAt: new Date(Date.now() - HOUR),
      closesAt: new Date(Date.now() + HOUR),
      k: 3,
    });
    const [{ private_key_pkcs8: key }]: { private_key_pkcs8: string }[] = await app.ds.query(
      'SELECT private_key_pkcs8 FROM cycle WHERE id = $1',
      [cycle.id],
    );
    const modulusTop = Buffer.from(cycle.publicKeySpki, 'base64')[33]!;
    const answers = distinctAnswers(team.everyone.length);
    const responses = app.app.get(ResponseService);
    for (const [i, person] of team.everyone.entries()) {
      // As in anonymity.e2e-spec.ts: a random value below n is what a blinded message looks like;
      // the token is then signed with the cycle key directly (what unblinding would give).
      const blinded = randomBytes(256);
      blinded[0] = blinded[0]! % modulusTop;
      await responses.issueToken(asUser(person), cycle.id, blinded.toString('base64url'));
      const token = randomBytes(64);
      const signature = sign('sha384', token, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 48,
      });
      await request(app.http)
        .post('/api/responses')
        .send({
          cycleId: cycle.id,
          instrument: 'psych-safety@1',
          token: token.toString('base64url'),
          signature: signature.toString('base64url'),
          answers: answers[i],
        })
        .expect(201);
    }
    return { team, cycle, answers };
  }

  /** Every page of every relation (tables, indexes, TOAST, sequences, catalogs) of the database. */
  async function allPages(): Promise<{ rel: string; pages: Buffer[] }[]> {
    const rels: { oid: number; name: string; blocks: number }[] = await t.ds.query(
      `SELECT c.oid::int AS oid, c.oid::regclass::text AS name,
              (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS blocks
         FROM pg_class c WHERE c.relkind IN ('r', 'i', 't', 'm', 'S') AND pg_relation_size(c.oid) > 0
          AND (c.relpersistence <> 't' OR c.relnamespace = pg_my_temp_schema())`,
    );
    const out: { rel: string; pages: Buffer[] }[] = [];
    for (const r of rels) {
      const pages: { page: Buffer }[] = await t.ds.query(
        `SELECT get_raw_page($1::regclass::text, 'main', p) AS page FROM generate_series(0, $2::int - 1) p`,
        [r.oid, r.blocks],
      );
      out.push({ rel: r.name, pages: pages.map((p) => p.page) });
    }
    return out;
  }

  /** What every table holds, as a reader with SELECT sees it. */
  async function everyTableAsText(): Promise<string> {
    const tables: { name: string }[] = await t.ds.query(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    let text = '';
    for (const { name } of tables) {
      const rows: { r: string }[] = await t.ds.query(`SELECT x::text AS r FROM ${name} x`);
      text += rows.map((r) => r.r).join('\n');
    }
    return text;
  }

  function pgDump(url: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.env.PG_BIN ? `${process.env.PG_BIN}/pg_dump` : 'pg_dump', [
        '--format=plain',
        '--no-owner',
        `--dbname=${url}`,
      ]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`pg_dump exited with ${code}`)),
      );
    });
  }

  it('while open: SELECT on every table, a pg_dump and every raw page hold no plaintext answer; after close and the tick: no raw page holds an answer outside its shuffled row, and xmin ranks link no better than chance', async () => {
    const { team, cycle, answers } = await answeredCycle(t);

    // While open: a reader with SELECT on everything, and a pg_dump, find no answer.
    const selected = await everyTableAsText();
    const dump = await pgDump(own.url);
    expect(dump).toContain('spent_token'); // the dump did include the sealed submissions
    for (const a of answers)
      for (const needle of textNeedles(a)) {
        expect({ needle, inSelect: selected.includes(needle) }).toEqual({ needle, inSelect: false });
        expect({ needle, inDump: dump.includes(needle) }).toEqual({ needle, inDump: false });
      }
    const responsesWhileOpen: { n: number }[] = await t.ds.query(
      'SELECT count(*)::int AS n FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(responsesWhileOpen).toEqual([{ n: 0 }]);
    const pagesWhileOpen = await allPages();

    // The close, by the scheduler's tick (which then VACUUMs).
    await t.app.get(SchedulerService).tick(new Date(Date.now() + 2 * HOUR), { waitForLock: true });
    const [status]: { status: string }[] = await t.ds.query('SELECT status FROM cycle WHERE id = $1', [
      cycle.id,
    ]);
    expect(status).toEqual({ status: 'closed' });

    // The on-disk image of each person's answers: the jsonb datum of its (live, shuffled) row.
    const images: { answers: Answers; image: Buffer }[] = await t.ds.query(
      `SELECT r.answers, substring(d[4] FROM 2) AS image
         FROM generate_series(0, (pg_relation_size('response') / current_setting('block_size')::int)::int - 1) p,
              LATERAL heap_page_items(get_raw_page('response', p)) h,
              LATERAL tuple_data_split('response'::regclass, h.t_data, h.t_infomask, h.t_infomask2, h.t_bits) d,
              LATERAL (SELECT answers FROM response WHERE ctid = ('(' || p || ',' || h.lp || ')')::tid) r
        WHERE h.t_data IS NOT NULL AND r.answers IS NOT NULL`,
    );
    expect(images).toHaveLength(PEOPLE);
    const canon = (a: Answers) => JSON.stringify(ITEMS.map((id) => a[id]));
    expect(images.map((i) => canon(i.answers)).sort()).toEqual(answers.map(canon).sort());
    for (const { image } of images) expect(image.length).toBeGreaterThan(40); // a real jsonb body

    // Every page of every table and index, after close: each answer set appears exactly once — in
    // its live, shuffled row — and nowhere else (no pre-close copy, no dead version, no index entry).
    const pagesAfter = await allPages();
    for (const { image } of images) {
      const where = pagesAfter.flatMap(({ rel, pages }) =>
        pages.flatMap((page, p) => Array(occurrences(page, image)).fill(`${rel}:${p}`) as string[]),
      );
      expect(where).toHaveLength(1);
      expect(where[0]).toMatch(/^response:/);
      // …and while the cycle was open, no page held it at all.
      const before = pagesWhileOpen.flatMap(({ rel, pages }) =>
        pages.filter((page) => occurrences(page, image) > 0).map(() => rel),
      );
      expect(before).toEqual([]);
    }
    // The sealed copies and the data key are gone from the live tables.
    const left: { spent: number; keys: number }[] = await t.ds.query(
      `SELECT (SELECT count(*)::int FROM spent_token WHERE cycle_id = $1) AS spent,
              (SELECT count(*)::int FROM cycle_key WHERE cycle_id = $1) AS keys`,
      [cycle.id],
    );
    expect(left).toEqual([{ spent: 0, keys: 0 }]);
    // No raw page of cycle_key still holds the erased (wrapped) data key: the scheduler rewrites the
    // table once no transaction older than the close runs anywhere on the server (until then
    // PostgreSQL must keep the dead row version). Other databases on a shared test server can hold
    // such a transaction for a while: wait for it (bounded), tick, then look.
    const [{ x: closeXid }]: { x: string }[] = await t.ds.query(
      'SELECT xmin::text AS x FROM response WHERE cycle_id = $1 LIMIT 1',
      [cycle.id],
    );
    let horizonPassed = false;
    for (let i = 0; i < 240 && !horizonPassed; i++) {
      const [{ clear }]: { clear: boolean }[] = await t.ds.query(
        'SELECT txid_snapshot_xmin(txid_current_snapshot()) % 4294967296 > $1::bigint AS clear',
        [closeXid],
      );
      horizonPassed = clear;
      if (!clear) await new Promise((r) => setTimeout(r, 500));
    }
    expect({
      horizonPassed,
      note: 'a transaction older than the close kept running on this server',
    }).toMatchObject({
      horizonPassed: true,
    });
    await t.app.get(SchedulerService).tick(new Date(Date.now() + 2 * HOUR), { waitForLock: true });
    const keyPages = (await allPages()).filter((r) => r.rel === 'cycle_key').flatMap((r) => r.pages);
    const cycleIdBytes = Buffer.from(cycle.id.replace(/-/g, ''), 'hex');
    expect(keyPages.some((page) => occurrences(page, cycleIdBytes) > 0)).toBe(false);

    // The xmin-rank attack of the issue, after close: rank token_issue by xmin, rank responses by
    // xmin (then physical order), pair the ranks. A random permutation matches about 1 of 30;
    // P(≥ 6) < 0.001.
    const issued: { user_id: string }[] = await t.ds.query(
      'SELECT user_id FROM token_issue WHERE cycle_id = $1 ORDER BY xmin::text::bigint, ctid',
      [cycle.id],
    );
    const stored: { answers: Answers }[] = await t.ds.query(
      'SELECT answers FROM response WHERE cycle_id = $1 ORDER BY xmin::text::bigint, ctid',
      [cycle.id],
    );
    const answerOf = new Map(team.everyone.map((p, i) => [p.id, canon(answers[i]!)]));
    const linked = issued.filter((row, i) => answerOf.get(row.user_id) === canon(stored[i]!.answers)).length;
    expect(linked).toBeLessThan(6);
  }, 300_000);

  it('with the key-encryption key withheld: submissions get 503, the close refuses with a clear error and changes nothing; with the key back it closes', async () => {
    const { cycle, answers } = await answeredCycle(t, 5);
    const lines: string[] = [];
    const capture: LoggerService = {
      log: () => undefined,
      warn: (...a: unknown[]) => void lines.push(format(...a)),
      error: (...a: unknown[]) => void lines.push(format(...a)),
    };
    // Another instance of the app that holds a different key-encryption key (the real one withheld).
    const other = await createTestApp(
      { sealing: { keys: [{ id: 'other', key: randomBytes(32) }] } },
      { databaseUrl: own.url, logger: capture },
    );
    const snapshot = () =>
      t.ds.query(
        `SELECT c.status, c.private_key_pkcs8 IS NOT NULL AS signing_key,
                (SELECT count(*)::int FROM cycle_key k WHERE k.cycle_id = c.id) AS data_keys,
                (SELECT string_agg(encode(s.sealed_answers, 'hex'), ',' ORDER BY s.token_hash) FROM spent_token s WHERE s.cycle_id = c.id) AS sealed,
                (SELECT count(*)::int FROM response r WHERE r.cycle_id = c.id) AS responses,
                (SELECT count(*)::int FROM cycle_stats s WHERE s.cycle_id = c.id) AS stats
           FROM cycle c WHERE c.id = $1`,
        [cycle.id],
      );
    try {
      const before: unknown[] = await snapshot();
      expect(before).toMatchObject([
        { status: 'open', signing_key: true, data_keys: 1, responses: 0, stats: 0 },
      ]);

      // A submission this instance cannot seal: 503 with a stable code, nothing stored.
      const res = await request(other.http)
        .post('/api/responses')
        .send({
          cycleId: cycle.id,
          instrument: 'psych-safety@1',
          token: randomBytes(64).toString('base64url'),
          signature: randomBytes(256).toString('base64url'),
          answers: answers[0],
        });
      // The signature is checked first (a forged one is 400); a valid token needs the signing key.
      expect(res.status).toBe(400);
      const [{ private_key_pkcs8: key }]: { private_key_pkcs8: string }[] = await t.ds.query(
        'SELECT private_key_pkcs8 FROM cycle WHERE id = $1',
        [cycle.id],
      );
      const token = randomBytes(64);
      const signature = sign('sha384', token, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 48,
      });
      const refused = await request(other.http)
        .post('/api/responses')
        .send({
          cycleId: cycle.id,
          instrument: 'psych-safety@1',
          token: token.toString('base64url'),
          signature: signature.toString('base64url'),
          answers: answers[0],
        })
        .expect(503);
      expect(refused.body.code).toBe('sealing_key_unavailable');

      // The close refuses: directly…
      await expect(other.app.get(CycleService).close(cycle.id)).rejects.toBeInstanceOf(
        SealingKeyUnavailableError,
      );
      // …and by the scheduler, which logs why and leaves the cycle open for the next tick.
      const report = await other.app
        .get(SchedulerService)
        .tick(new Date(Date.now() + 2 * HOUR), { waitForLock: true });
      expect(report.closed).not.toContain(cycle.id);
      expect(lines.join('\n')).toMatch(
        new RegExp(
          `Closing cycle ${cycle.id} refused, it stays open: .*key-encryption key "k[^"]*" is not configured`,
        ),
      );
      expect(await snapshot()).toEqual(before);
    } finally {
      await other.close();
    }

    // The instance that holds the key closes it, with every answer.
    await t.app.get(SchedulerService).tick(new Date(Date.now() + 2 * HOUR), { waitForLock: true });
    const rows: { answers: Answers }[] = await t.ds.query(
      'SELECT answers FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    const canon = (a: Answers) => JSON.stringify(ITEMS.map((id) => a[id]));
    expect(rows.map((r) => canon(r.answers)).sort()).toEqual(answers.map(canon).sort());
  }, 120_000);

  it('a crash between decrypting and committing the close loses nothing: the next tick closes the cycle', async () => {
    const { cycle, answers } = await answeredCycle(t, 5);
    const state = () =>
      t.ds.query(
        `SELECT c.status,
                (SELECT count(*)::int FROM cycle_key k WHERE k.cycle_id = c.id) AS data_keys,
                (SELECT count(*)::int FROM spent_token s WHERE s.cycle_id = c.id AND s.sealed_answers IS NOT NULL) AS sealed,
                (SELECT count(*)::int FROM response r WHERE r.cycle_id = c.id) AS responses
           FROM cycle c WHERE c.id = $1`,
        [cycle.id],
      );
    expect(await state()).toEqual([{ status: 'open', data_keys: 1, sealed: 5, responses: 0 }]);

    // Hold cycle_stats so the close stops right after it decrypted and wrote the responses, then
    // kill its database session: what a crash of the app or the database does to that transaction.
    const blocker = new Client({ connectionString: own.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE cycle_stats IN ACCESS EXCLUSIVE MODE');
    const closing = t.app
      .get(CycleService)
      .close(cycle.id)
      .then(
        () => 'closed',
        () => 'crashed',
      );
    let pid: number | undefined;
    for (let i = 0; i < 200 && pid === undefined; i++) {
      await blocker.query('SELECT pg_stat_clear_snapshot()'); // statistics are cached per transaction
      const waiting: { pid: number; query: string }[] = await blocker
        .query(
          `SELECT pid, query FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        )
        .then((r) => r.rows);
      // The statistics insert, which comes right after the responses' insert.
      pid = waiting.find((w) => w.query.includes('INSERT INTO cycle_stats'))?.pid;
      if (pid === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(pid).toBeDefined();
    // It got that far: the decrypted responses are written (uncommitted) in its transaction.
    await blocker.query('SELECT pg_terminate_backend($1)', [pid]);
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect(await closing).toBe('crashed');
    expect(await state()).toEqual([{ status: 'open', data_keys: 1, sealed: 5, responses: 0 }]);

    await t.app.get(SchedulerService).tick(new Date(Date.now() + 2 * HOUR), { waitForLock: true });
    expect(await state()).toEqual([{ status: 'closed', data_keys: 0, sealed: 0, responses: 5 }]);
    const rows: { answers: Answers }[] = await t.ds.query(
      'SELECT answers FROM response WHERE cycle_id = $1',
      [cycle.id],
    );
    const canon = (a: Answers) => JSON.stringify(ITEMS.map((id) => a[id]));
    expect(rows.map((r) => canon(r.answers)).sort()).toEqual(answers.map(canon).sort());
  }, 120_000);

  it('a cycle open across the sealing upgrade: the plaintext rows stored before it are mixed in with the opened ones at close, and nothing tells the two apart', async () => {
    // The sealed half through the real flow; the other half as the release before sealing stored
    // them: plaintext response rows written at submission, each with its own transaction id.
    const { cycle, answers: sealed } = await answeredCycle(t, 24);
    const seen = new Set(sealed.map((a) => JSON.stringify(a)));
    const earlier = distinctAnswers(60)
      .filter((a) => !seen.has(JSON.stringify(a)))
      .slice(0, 24);
    const before: string[] = [];
    for (const a of earlier) {
      const [{ id }]: { id: string }[] = await t.ds.query(
        `INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, 'psych-safety@1', $2) RETURNING id`,
        [cycle.id, JSON.stringify(a)],
      );
      before.push(id);
    }
    const plaintext = new Set(earlier.map((a) => JSON.stringify(ITEMS.map((id) => a[id]))));

    expect(await t.app.get(CycleService).close(cycle.id)).toBe(true);
    const rows: { id: string; x: string; answers: Answers }[] = await t.ds.query(
      'SELECT id, xmin::text AS x, answers FROM response WHERE cycle_id = $1 ORDER BY ctid',
      [cycle.id],
    );
    expect(rows).toHaveLength(48);
    // One transaction wrote them all, under new ids: neither tells an earlier row from an opened one.
    expect(new Set(rows.map((r) => r.x)).size).toBe(1);
    expect(rows.filter((r) => before.includes(r.id))).toEqual([]);
    const isEarlier = (r: { answers: Answers }) =>
      plaintext.has(JSON.stringify(ITEMS.map((id) => r.answers[id])));
    expect(rows.filter(isEarlier)).toHaveLength(24);
    // Mixed, in physical order and in id order: a run of earlier rows or of opened rows is as short
    // as a random order makes it. 24 + 24 rows in random order fall into 10 runs or fewer with
    // probability 6·10⁻⁶ (Wald–Wolfowitz); written one kind after the other they make 2.
    const runs = (kinds: boolean[]) => kinds.filter((k, i) => i === 0 || k !== kinds[i - 1]).length;
    expect(runs(rows.map(isEarlier))).toBeGreaterThan(10);
    const byId = [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(runs(byId.map(isEarlier))).toBeGreaterThan(10);
  });
});
