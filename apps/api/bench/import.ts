import 'reflect-metadata';
import { type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../src/auth/passwords';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { createDataSource } from '../src/database/data-source';
import { arg, recreateDatabase } from './bench-db';

/**
 * `npm run bench:import [-- --rows 10000]`: preview + apply of an HR export over HTTP against
 * a fresh database (candor_bench_import on the DATABASE_URL server, or BENCH_IMPORT_DATABASE_URL).
 */
function importUrl(): string {
  if (process.env.BENCH_IMPORT_DATABASE_URL) return process.env.BENCH_IMPORT_DATABASE_URL;
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/candor_bench_import';
  return url.toString();
}

function makeCsv(rows: number, variant: 0 | 1): string {
  const lines = ['email,name,team,role,group'];
  const perTeam = 8;
  for (let i = 0; i < rows; i++) {
    const team = Math.floor(i / perTeam);
    // In variant 1, every 10th person is renamed and every 20th moves to the next team.
    const moved = variant === 1 && i % 20 === 5 ? team + 1 : team;
    const division = moved % 5;
    const department = moved % 40;
    const name = variant === 1 && i % 10 === 3 ? `Person ${i} (renamed)` : `Person ${i}`;
    lines.push(
      `person${i}@bench.example,${name},Team ${moved},${i % perTeam === 0 ? 'lead' : 'member'},Bench Corp/Division ${division}/Department ${department}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const rows = arg('rows', 10_000);
  const url = importUrl();
  await recreateDatabase(url);
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations();
  await ds.query('INSERT INTO app_user (email, name, password_hash, is_admin) VALUES ($1, $2, $3, true)', [
    'admin@bench.example',
    'Bench Admin',
    await hashPassword('bench-password'),
  ]);
  await ds.destroy();

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CANDOR_WEB_DIR: '/nonexistent',
  });
  const app = await createApp({ config, databaseUrl: url, logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@bench.example', password: 'bench-password' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };

  const send = async (what: 'preview' | 'apply', csv: string) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/admin/import/${what}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const body = (await res.json()) as { summary?: unknown; ok?: boolean; message?: string };
    const ms = performance.now() - t0;
    if (res.status !== 200 || body.ok === false)
      throw new Error(`${what} → ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    return { ms, summary: body.summary };
  };

  const first = makeCsv(rows, 0);
  const changed = makeCsv(rows, 1);
  const results: [string, number, unknown][] = [];
  for (const [label, csv] of [
    ['new org', first],
    ['same file again', first],
    ['changed file (10% renamed, 5% moved)', changed],
  ] as const) {
    const p = await send('preview', csv);
    const a = await send('apply', csv);
    results.push([`${label}: preview`, p.ms, p.summary], [`${label}: apply`, a.ms, a.summary]);
    console.log(
      `${label.padEnd(40)} preview ${(p.ms / 1000).toFixed(2)} s  apply ${(a.ms / 1000).toFixed(2)} s  total ${((p.ms + a.ms) / 1000).toFixed(2)} s`,
    );
  }
  console.log(`rows: ${rows}, file: ${(Buffer.byteLength(first) / 1024).toFixed(0)} KiB`);
  console.log(
    JSON.stringify(
      results.map(([l, , s]) => [l, s]),
      null,
      1,
    ),
  );
  await app.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
