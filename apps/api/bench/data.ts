/**
 * Benchmark data: `npm run bench:data -- --teams 500 --members 24 --cycles 104 --small-percent 10`.
 *
 * Recreates the benchmark database, migrates it and generates in SQL (generate_series,
 * INSERT … SELECT): an org root with divisions of 500 teams, C weekly psych-safety cycles per team
 * and 60–100 % of M members answering each — except every team whose number is a multiple of
 * 100 / small-percent, which has 5 members, so that its cycles often fall below k = 5 and the
 * release gate's ledger has real work in every month and division. The cycles are then closed through the production
 * close path (CycleService.closeMany, in batches), so `cycle_stats` holds exactly what a real close
 * writes and the responses are shuffled as a real close shuffles them. No spent tokens are
 * generated for this history (nothing reads them after close).
 */
import { hashPassword } from '../src/auth/passwords';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config/config';
import { type DataSource } from 'typeorm';
import { cycleStatsInsertSql } from '../src/analytics/cycle-stats.sql';
import { recordClosedCycles } from '../src/analytics/team-month.sql';
import { createDataSource } from '../src/database/data-source';
import { SealingService } from '../src/sealing/sealing.service';
import { CycleService } from '../src/surveys/cycle.service';
import {
  arg,
  BENCH_PASSWORD,
  CLOSE_BATCH,
  benchUrl,
  DIRECTOR_EMAIL,
  recreateDatabase,
  TEAMS_PER_DIVISION,
} from './bench-db';

async function main(): Promise<void> {
  const teams = arg('teams', 500);
  const members = arg('members', 24);
  const cycles = arg('cycles', 104);
  const smallPercent = arg('small-percent', 10);
  const url = benchUrl();
  // --resume: keep the database of an interrupted run and carry on from closing its open cycles.
  // --fast-close: write cycle_stats with the production statement but skip the response shuffle.
  const resume = process.argv.includes('--resume');
  const fastClose = process.argv.includes('--fast-close');
  const started = Date.now();
  const step = (what: string) =>
    console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s  ${what}`);
  if (!resume) await recreateDatabase(url);
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations();
  step('migrated');
  // One session for everything, without the app's statement timeout: the bulk inserts take minutes.
  const runner = ds.createQueryRunner();
  await runner.connect();
  const q = (sql: string, params: unknown[] = []) => runner.query(sql, params);
  await q(`SET statement_timeout = 0`);
  await q(`SET synchronous_commit = off`);
  if (!resume) await generate(q, step, teams, members, cycles, smallPercent);
  await closeAndFinish(ds, url, q, step, fastClose);
  await runner.release();
  await ds.destroy();
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** The org, its teams, their open cycles and the responses (the response table unlogged meanwhile). */
async function generate(
  q: Query,
  step: (what: string) => void,
  teams: number,
  members: number,
  cycles: number,
  smallPercent: number,
): Promise<void> {
  const [{ id: root }] = (await q(`INSERT INTO org_group (name) VALUES ('Bench org') RETURNING id`)) as {
    id: string;
  }[];
  await q(
    `INSERT INTO org_group (name, parent_id) SELECT 'Division ' || d, $1 FROM generate_series(0, $2) d`,
    [root, Math.ceil(teams / TEAMS_PER_DIVISION) - 1],
  );
  await q(
    `INSERT INTO team (name, group_id)
     SELECT 'Team ' || lpad(i::text, 6, '0'), (SELECT id FROM org_group WHERE name = 'Division ' || (i / $2))
       FROM generate_series(0, $1 - 1) i`,
    [teams, TEAMS_PER_DIVISION],
  );
  await q(
    `INSERT INTO cycle (team_id, instrument_version, opens_at, closes_at, status, k, k_comments, invited, public_key_spki)
     SELECT t.id, 'psych-safety@1', date_trunc('day', now()) - (($2 - c) * interval '7 days'),
            date_trunc('day', now()) - (($2 - c) * interval '7 days') + interval '5 days', 'open', 5, 5,
            CASE WHEN right(t.name, 6)::int % $3 = 1 THEN 5 ELSE $1 END, 'bench'
       FROM team t CROSS JOIN generate_series(0, $2 - 1) c`,
    [members, cycles, Math.max(1, Math.round(100 / smallPercent))],
  );
  step(`${teams} teams, ${teams * cycles} cycles`);
  await q(`ALTER TABLE response SET UNLOGGED`).catch(() => undefined);
  await q(
    `INSERT INTO response (cycle_id, instrument_version, answers)
     SELECT c.id, 'psych-safety@1',
            jsonb_build_object('ps1', 8 - s[1], 'ps2', s[2], 'ps3', 8 - s[3], 'ps4', s[4], 'ps5', 8 - s[5], 'ps6', s[6], 'ps7', s[7])
       FROM cycle c
      CROSS JOIN LATERAL generate_series(1, greatest(1, floor(c.invited * (0.6 + 0.4 * random())))::int) r
      CROSS JOIN LATERAL (SELECT 2 + floor(random() * 5)::int + r * 0 AS base) b
      CROSS JOIN LATERAL (
        SELECT array_agg(least(7, greatest(1, b.base + floor(random() * 3)::int - 1 + j * 0)) ORDER BY j) AS s
          FROM generate_series(1, 7) j WHERE j > 0 * r
      ) a`,
  );
  const [{ n }] = (await q(`SELECT count(*)::int AS n FROM response`)) as { n: number }[];
  step(`${n} responses`);
}

/**
 * Closes every open cycle through CycleService.closeMany — or, with `fast`, writes the same
 * cycle_stats and team_month_cycle rows with the same statements (cycleStatsInsertSql,
 * recordClosedCycles) and marks the cycles closed, without
 * rewriting every response in random order (generated responses carry no submission order; at 10
 * million rows the rewrite is most of the time) — then the director and VACUUM ANALYZE.
 */
async function closeAndFinish(
  ds: DataSource,
  url: string,
  q: Query,
  step: (what: string) => void,
  fast: boolean,
): Promise<void> {
  // The real close, CLOSE_BATCH cycles per transaction, two transactions at a time.
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CANDOR_SEALING_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    CANDOR_WEB_DIR: '/nonexistent',
    SCHEDULER_ENABLED: 'false',
    CANDOR_DEMO: 'off',
  });
  const closer = new CycleService(ds, config, new SealingService(config));
  // In physical order: each batch then reads its responses from neighbouring pages.
  const open = (
    (await q(`SELECT id FROM cycle WHERE status = 'open' ORDER BY ctid`)) as { id: string }[]
  ).map((c) => c.id);
  let next = 0;
  let closed = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < open.length) {
        const batch = open.slice(next, next + CLOSE_BATCH);
        next += CLOSE_BATCH;
        const done = fast ? await statsOnlyClose(ds, batch) : await closer.closeMany(batch);
        closed += done.length;
        if (closed % (CLOSE_BATCH * 50) === 0) step(`closed ${closed} cycles`);
      }
    }),
  );
  step(
    `closed ${closed} cycles (cycle_stats written by ${fast ? 'cycleStatsInsertSql, no shuffle' : 'CycleService.closeMany'})`,
  );
  await q(`ALTER TABLE response SET LOGGED`).catch(() => undefined);
  step('response table logged');
  const email = DIRECTOR_EMAIL;
  const [{ id: userId }] = (await q(
    `INSERT INTO app_user (email, name, password_hash) VALUES ($1, 'Bench director', $2)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
    [email, await hashPassword(BENCH_PASSWORD)],
  )) as { id: string }[];
  const [{ id: root }] = (await q(
    `SELECT id FROM org_group WHERE name = 'Bench org' AND parent_id IS NULL`,
  )) as {
    id: string;
  }[];
  await q(`INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    userId,
    root,
  ]);
  await q(`VACUUM ANALYZE`);
  const [{ size }] = (await q(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)) as {
    size: string;
  }[];
  const [{ n }] = (await q(`SELECT count(*)::int AS n FROM response`)) as { n: number }[];
  step(`done: ${n} responses, database ${size}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/** closeMany without the shuffle: the same statistics statement, then the cycles marked closed. */
async function statsOnlyClose(ds: DataSource, ids: string[]): Promise<string[]> {
  return ds.transaction(async (tx) => {
    // No statement timeout: a loaded machine can take longer than the pool's 30 s for a batch.
    await tx.query(
      `SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true), set_config('statement_timeout', '0', true)`,
    );
    const open = (
      (await tx.query(`SELECT id FROM cycle WHERE id = ANY($1::uuid[]) AND status = 'open' FOR UPDATE`, [
        ids,
      ])) as {
        id: string;
      }[]
    ).map((c) => c.id);
    // An open cycle has no statistics yet (close writes them), so nothing to delete first.
    await tx.query(cycleStatsInsertSql('psych-safety@1'), [open, 'psych-safety@1']);
    await tx.query(
      `UPDATE cycle SET status = 'closed', private_key_pkcs8 = NULL WHERE id = ANY($1::uuid[])`,
      [open],
    );
    await recordClosedCycles(tx, open);
    return open;
  });
}
