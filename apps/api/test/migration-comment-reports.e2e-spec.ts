import { createDataSource } from '../src/database/data-source';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database';
import { makeTeam } from './factories';
import { testDatabaseUrl } from './test-app';

/**
 * Migration CommentReports on a populated database of its own: reports made before it (audit-log
 * rows `comment.reported` only) become open reports, so admins see them; other audit rows and
 * rows whose comment is gone are left alone.
 */
describe('migration CommentReports', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase('candor_test_comment_reports', testDatabaseUrl());
  });
  afterAll(() => db.dispose());

  it('turns earlier comment.reported audit rows into open reports', async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      await ds.runMigrations();
      const names = async () =>
        ((await ds.query('SELECT name FROM migrations ORDER BY id DESC')) as { name: string }[]).map(
          (m) => m.name,
        );
      while ((await names())[0] !== 'CommentReports1795795000000') await ds.undoLastMigration();
      await ds.undoLastMigration();

      const team = await makeTeam(ds, 1);
      const [{ id: cycleId }]: { id: string }[] = await ds.query(
        `INSERT INTO cycle (team_id, instrument_version, opens_at, closes_at, status, k, k_comments, invited, public_key_spki)
         VALUES ($1, 'psych-safety@1', '2025-01-01', '2025-01-04', 'closed', 3, 5, 10, 'test-key') RETURNING id`,
        [team.teamId],
      );
      const [{ id: commentId }]: { id: string }[] = await ds.query(
        `INSERT INTO comment (cycle_id, position, body, reply_hash) VALUES ($1, 1, 'text', '\\x01') RETURNING id`,
        [cycleId],
      );
      const audit = (action: string, target: string, reason: string) =>
        ds.query('INSERT INTO audit_log (actor_id, action, target, detail) VALUES ($1, $2, $3, $4)', [
          team.lead.id,
          action,
          target,
          JSON.stringify({ teamId: team.teamId, reason }),
        ]);
      await audit('comment.reported', commentId, 'abusive');
      await audit('comment.hidden', commentId, 'names someone');
      await audit('comment.reported', '00000000-0000-4000-8000-000000000000', 'gone since');

      await ds.runMigrations();
      expect(
        await ds.query('SELECT comment_id, reason, resolution FROM comment_report ORDER BY reason'),
      ).toEqual([{ comment_id: commentId, reason: 'abusive', resolution: null }]);
    } finally {
      await ds.destroy();
    }
  });
});
