import request from 'supertest';
import { createDataSource } from '../src/database/data-source';
import { pendingSchemaChanges } from '../src/database/schema-diff';
import { createTestApp, testDatabaseUrl, type TestApp } from './test-app';

describe('health, docs and schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /api/health → 200 with app and database status', async () => {
    const res = await request(t.http).get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { status: 'up', mode: 'external' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('GET /api/health/live → 200 without touching the database; /api/health/ready mirrors health', async () => {
    await request(t.http).get('/api/health/live').expect(200, { status: 'ok' });
    const ready = await request(t.http).get('/api/health/ready').expect(200);
    expect(ready.body.database.status).toBe('up');
  });

  it('serves the OpenAPI document and UI', async () => {
    const json = await request(t.http).get('/api/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/responses',
        '/api/teams/{teamId}/trend',
        '/api/health',
      ]),
    );
    const ui = await request(t.http).get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await request(t.http).get('/api/nope').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
  });

  it('has entities and migrations in agreement (no pending schema change)', async () => {
    const ds = createDataSource(testDatabaseUrl());
    await ds.initialize();
    try {
      expect(await ds.showMigrations()).toBe(false);
      expect(await pendingSchemaChanges(ds)).toEqual({ up: [], down: [] });
    } finally {
      await ds.destroy();
    }
  });

  it('GET /api/health → 503 when the database is unreachable', async () => {
    const other = await createTestApp();
    await other.ds.destroy();
    const res = await request(other.http).get('/api/health').expect(503);
    expect(res.body).toMatchObject({ status: 'error', database: { status: 'down' } });
    await request(other.http).get('/api/health/ready').expect(503);
    await request(other.http).get('/api/health/live').expect(200);
    await other.app.close().catch(() => undefined);
  });
});
