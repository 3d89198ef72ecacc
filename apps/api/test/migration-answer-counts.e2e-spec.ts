import { createDataSource } from '../src/database/data-source';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database';
import { CycleService } from '../src/surveys/cycle.service';
import { makeTeam } from './factories';
import { createTestApp, testDatabaseUrl } from './test-app';

/**
 * Migration CycleStatsAnswerCounts on a database of its own: a cycle closed by the current code
 * stores its answer counts on the item rows; undoing the migration turns them back into the
 * former `dist:<item>:<answer>` rows (n = count, Σ = n·answer, Σ² = n·answer², only n > 0), and
 * running it again turns those into the same arrays and removes them.
 */
describe('migration CycleStatsAnswerCounts', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase('candor_test_counts', testDatabaseUrl());
  });
  afterAll(() => db.dispose());

  it('moves the answer distribution between dist: rows and item counts, both ways, losing nothing', async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      await ds.runMigrations();
      const team = await makeTeam(ds, 1);
      const [{ id: cycleId }]: { id: string }[] = await ds.query(
        `INSERT INTO cycle (team_id, instrument_version, opens_at, closes_at, status, k, k_comments, invited, public_key_spki, private_key_pkcs8)
         VALUES ($1, 'psych-safety@1', '2025-01-01', '2025-01-04', 'open', 3, 5, 10, 'test-key', 'secret') RETURNING id`,
        [team.teamId],
      );
      // ps1 answered 1, 1, 7; every other item 4, 4, 4.
      for (const ps1 of [1, 1, 7]) {
        const answers = { ps1, ps2: 4, ps3: 4, ps4: 4, ps5: 4, ps6: 4, ps7: 4 };
        await ds.query(
          `INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, 'psych-safety@1', $2)`,
          [cycleId, JSON.stringify(answers)],
        );
      }
      const app = await createTestApp({}, { databaseUrl: db.url });
      try {
        await app.app.get(CycleService).closeMany([cycleId]);
      } finally {
        await app.close();
      }
      const countsOf = async () =>
        (
          (await ds.query(
            `SELECT dimension, counts FROM cycle_stats WHERE cycle_id = $1 AND counts IS NOT NULL ORDER BY dimension`,
            [cycleId],
          )) as { dimension: string; counts: number[] }[]
        ).map((r) => [r.dimension, r.counts]);
      const before = await countsOf();
      expect(before).toHaveLength(7);
      expect(before[0]).toEqual(['item:ps1', [2, 0, 0, 0, 0, 0, 1]]);
      expect(before[1]).toEqual(['item:ps2', [0, 0, 0, 3, 0, 0, 0]]);

      // The later migrations first, then this one.
      const names = async () =>
        ((await ds.query('SELECT name FROM migrations ORDER BY id DESC')) as { name: string }[]).map(
          (m) => m.name,
        );
      while ((await names())[0] !== 'CycleStatsAnswerCounts1795752000000') await ds.undoLastMigration();
      await ds.undoLastMigration();
      const dist: { dimension: string; n: number; sum: number; sum_sq: number }[] = await ds.query(
        `SELECT dimension, n, sum, sum_sq FROM cycle_stats
          WHERE cycle_id = $1 AND starts_with(dimension, 'dist:') ORDER BY dimension`,
        [cycleId],
      );
      expect(dist).toHaveLength(8);
      expect(dist.slice(0, 2)).toEqual([
        { dimension: 'dist:ps1:1', n: 2, sum: 2, sum_sq: 2 },
        { dimension: 'dist:ps1:7', n: 1, sum: 7, sum_sq: 49 },
      ]);
      expect(dist[2]).toEqual({ dimension: 'dist:ps2:4', n: 3, sum: 12, sum_sq: 48 });

      await ds.runMigrations();
      expect(await countsOf()).toEqual(before);
      const [{ left }]: { left: number }[] = await ds.query(
        `SELECT count(*)::int AS left FROM cycle_stats WHERE starts_with(dimension, 'dist:')`,
      );
      expect(left).toBe(0);
    } finally {
      await ds.destroy();
    }
  });
});
