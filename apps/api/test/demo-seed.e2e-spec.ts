import { type DataSource } from 'typeorm';
import { changeBetween, type Moments } from '@candor/stats';
import { loadConfig } from '../src/config/config';
import { createDataSource } from '../src/database/data-source';
import { DEMO_WEEKS, seedDemo } from '../src/demo/demo-seed';
import { verifyPassword } from '../src/auth/passwords';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The demo organisation, loaded into its own fresh database. */
describe('demo organisation (npm run seed:demo)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://unused@localhost/x',
    JWT_SECRET: 'x'.repeat(40),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url);
    await ds.initialize();
    await ds.runMigrations();
  }, 120_000);
  afterAll(async () => {
    await ds?.destroy();
    await db?.dispose();
  });

  const counts = async () =>
    (
      await ds.query(`SELECT (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM team)::int AS teams,
                             (SELECT count(*) FROM cycle)::int AS cycles, (SELECT count(*) FROM response)::int AS responses,
                             (SELECT count(*) FROM cycle_stats)::int AS stats`)
    )[0] as Record<string, number>;

  it('loads groups, 8+ teams of 3–12 people, their schedules, 26 closed weekly cycles and an open pulse of both instruments, actions, a real drop and a play that worked; idempotent', async () => {
    expect(await seedDemo(ds, config)).toBe(true);
    const first = await counts();

    const teams: { name: string; size: number }[] = await ds.query(
      `SELECT t.name, count(m.id)::int AS size FROM team t JOIN membership m ON m.team_id = t.id GROUP BY t.name`,
    );
    expect(teams.length).toBeGreaterThanOrEqual(8);
    for (const t of teams) expect(t.size).toBeGreaterThanOrEqual(3);
    for (const t of teams) expect(t.size).toBeLessThanOrEqual(12);
    expect(teams.some((t) => t.size < config.defaultK)).toBe(true);

    const perTeam: { team: string; instrument: string; closed: number; open: number }[] = await ds.query(
      `SELECT t.name AS team, split_part(c.instrument_version, '@', 1) AS instrument,
              count(*) FILTER (WHERE c.status = 'closed')::int AS closed, count(*) FILTER (WHERE c.status = 'open')::int AS open
         FROM cycle c JOIN team t ON t.id = c.team_id GROUP BY 1, 2`,
    );
    for (const row of perTeam) expect(row.closed).toBe(DEMO_WEEKS);
    expect(perTeam.every((r) => r.open === 1)).toBe(true);

    // Weekly, and the statistics of every closed cycle come from its responses.
    const gaps: { gap: string }[] = await ds.query(
      `SELECT DISTINCT (opens_at - lag(opens_at) OVER (PARTITION BY team_id, instrument_version ORDER BY opens_at))::text AS gap
         FROM cycle WHERE status = 'closed'`,
    );
    expect(gaps.map((g) => g.gap).filter(Boolean)).toEqual(['7 days']);
    const mismatched: unknown[] = await ds.query(
      `SELECT c.id FROM cycle c JOIN cycle_stats s ON s.cycle_id = c.id AND s.dimension = 'total'
        WHERE c.status = 'closed' AND s.n <> (SELECT count(*) FROM response r WHERE r.cycle_id = c.id)`,
    );
    expect(mismatched).toEqual([]);

    const accounts: { email: string; is_admin: boolean; password_hash: string }[] = await ds.query(
      `SELECT email, is_admin, password_hash FROM app_user WHERE email LIKE '%@example.com' AND email IN
         ('admin@example.com', 'director@example.com', 'lead@example.com', 'engineer@example.com') ORDER BY email`,
    );
    expect(accounts.map((a) => [a.email, a.is_admin])).toEqual([
      ['admin@example.com', true],
      ['director@example.com', false],
      ['engineer@example.com', false],
      ['lead@example.com', false],
    ]);
    expect(await verifyPassword(accounts[0]!.password_hash, 'candor-demo')).toBe(true);
    const leadTeam: { size: number; engineer_role: string }[] = await ds.query(
      `SELECT (SELECT count(*) FROM membership x WHERE x.team_id = m.team_id)::int AS size,
              (SELECT e.role FROM membership e JOIN app_user u ON u.id = e.user_id
                WHERE e.team_id = m.team_id AND u.email = 'engineer@example.com') AS engineer_role
         FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.email = 'lead@example.com' AND m.role = 'lead'`,
    );
    expect(leadTeam).toHaveLength(1);
    expect(leadTeam[0]!.size).toBeGreaterThanOrEqual(6);
    expect(leadTeam[0]!.engineer_role).toBe('member');

    // Schedules that ran it: every closed and open cycle belongs to one (team schedules in
    // Product Engineering, one per instrument for the Platform group).
    const schedules: { scope: string; instrument: string; n: number }[] = await ds.query(
      `SELECT CASE WHEN s.team_id IS NULL THEN 'group' ELSE 'team' END AS scope, s.instrument, count(*)::int AS n
         FROM schedule s WHERE s.active GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(schedules).toEqual([
      { scope: 'group', instrument: 'psych-safety', n: 1 },
      { scope: 'group', instrument: 'trust-equation', n: 1 },
      { scope: 'team', instrument: 'psych-safety', n: 6 },
      { scope: 'team', instrument: 'trust-equation', n: 6 },
    ]);
    const unscheduled: unknown[] = await ds.query('SELECT id FROM cycle WHERE schedule_id IS NULL');
    expect(unscheduled).toEqual([]);

    // Actions with owners and every kind of status.
    const actions: { team: string; status: string; owner: string | null; play_key: string | null }[] =
      await ds.query(
        `SELECT t.name AS team, a.status, u.name AS owner, a.play_key FROM action a JOIN team t ON t.id = a.team_id
           LEFT JOIN app_user u ON u.id = a.owner_id ORDER BY t.name, a.date`,
      );
    expect(new Set(actions.map((a) => a.status))).toEqual(new Set(['planned', 'doing', 'done', 'dropped']));
    expect(actions.every((a) => a.owner !== null)).toBe(true);
    expect(actions.filter((a) => a.play_key !== null).length).toBeGreaterThanOrEqual(3);

    // One team with a real, significant drop in its latest cycle; one play that worked.
    const sums = async (team: string, dimension: string): Promise<(Moments | null)[]> => {
      const rows: { n: number | null; sum: number; sum_sq: number; k: number }[] = await ds.query(
        `SELECT s.n, s.sum, s.sum_sq, c.k FROM cycle c JOIN team t ON t.id = c.team_id
           LEFT JOIN cycle_stats s ON s.cycle_id = c.id AND s.dimension = $2
          WHERE t.name = $1 AND c.status = 'closed' AND c.instrument_version LIKE $3 ORDER BY c.opens_at`,
        [team, dimension, dimension === 'psych_safety' ? 'psych-safety@%' : 'trust-equation@%'],
      );
      return rows.map((r) => (r.n !== null && r.n >= r.k ? { n: r.n, sum: r.sum, sumSq: r.sum_sq } : null));
    };
    const search = await sums('Search', 'psych_safety');
    const drop = changeBetween(search.at(-2)!, search.at(-1)!)!;
    expect(drop.significant).toBe(true);
    expect(drop.direction).toBe('down');
    const reliability = await sums('Checkout', 'reliability');
    // The play started ten weeks ago: the cycle before it against the first one after it.
    const worked = changeBetween(reliability.at(-11)!, reliability.at(-10)!)!;
    expect(worked.significant).toBe(true);
    expect(worked.direction).toBe('up');

    // Second run: nothing changes.
    expect(await seedDemo(ds, config)).toBe(false);
    expect(await counts()).toEqual(first);
  }, 180_000);

  it('is refused in production mode', async () => {
    await expect(seedDemo(ds, { ...config, production: true })).rejects.toThrow(/never loaded in production/);
  });
});
