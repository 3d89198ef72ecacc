import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to port 3000, embedded database, k 5, and a JWT secret generated once into the data folder', () => {
    const a = loadConfig({ CANDOR_DATA_DIR: dir });
    const b = loadConfig({ CANDOR_DATA_DIR: dir });
    expect(a).toMatchObject({
      port: 3000,
      defaultK: 5,
      production: false,
      database: { url: null, embedded: true },
    });
    expect(a.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(b.jwt.secret).toBe(a.jwt.secret);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).jwtSecret).toBe(a.jwt.secret);
  });

  it('lists every problem with a clear message', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        CANDOR_DEFAULT_K: '2',
        SMTP_URL: 'http://x',
        JWT_SECRET: 'short',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      expect.stringMatching(/^PORT must be a whole number from 1 to 65535/),
      expect.stringMatching(/^DATABASE_URL must start with postgres:\/\//),
      expect.stringMatching(/^JWT_SECRET must be at least 32 characters/),
      expect.stringMatching(/^SMTP_URL must start with smtp:\/\//),
      expect.stringMatching(/^CANDOR_DEFAULT_K /),
    ]);
  });

  it('reads the metrics token and the per-minute rate limits (0 turns one off)', () => {
    const env = { CANDOR_DATA_DIR: dir };
    expect(loadConfig(env)).toMatchObject({
      metrics: { token: null },
      rateLimits: {
        submitPerAddress: 600,
        submitPerToken: 10,
        tokenPerAddress: 600,
        tokenPerUser: 20,
        commentPerAddress: 600,
        commentPerToken: 10,
        threadPerAddress: 600,
        threadReadPerSecret: 30,
        threadMessagePerSecret: 10,
      },
    });
    expect(
      loadConfig({
        ...env,
        METRICS_TOKEN: 'a-long-enough-metrics-token',
        RATE_LIMIT_SUBMIT_PER_ADDRESS: '0',
        RATE_LIMIT_TOKEN_PER_USER: '5',
        RATE_LIMIT_THREAD_READ_PER_SECRET: '4',
      }),
    ).toMatchObject({
      metrics: { token: 'a-long-enough-metrics-token' },
      rateLimits: { submitPerAddress: 0, tokenPerUser: 5, threadReadPerSecret: 4 },
    });
    expect(() => loadConfig({ ...env, METRICS_TOKEN: 'short', RATE_LIMIT_SUBMIT_PER_TOKEN: '-1' })).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^METRICS_TOKEN must be at least 16 characters/),
          expect.stringMatching(/^RATE_LIMIT_SUBMIT_PER_TOKEN must be a whole number from 0/),
        ],
      }) as Error,
    );
  });

  it('requires DATABASE_URL, JWT_SECRET and CANDOR_SEALING_KEYS in production and never auto-loads the demo there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CANDOR_DATA_DIR: dir })).toThrow(
      /DATABASE_URL is required[\s\S]*JWT_SECRET is required[\s\S]*CANDOR_SEALING_KEYS is required/,
    );
    const prod = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@h/db',
      JWT_SECRET: 'x'.repeat(40),
      CANDOR_SEALING_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    });
    expect(prod.demo.autoSeed).toBe(false);
    expect(existsSync(join(dir, 'sealing-keys'))).toBe(false); // production never generates one
  });

  it('reads sealing keys (first = current, others for rotation) and generates one key file once outside production', () => {
    const [k2, k1] = [randomBytes(32), randomBytes(32)];
    const config = loadConfig({
      CANDOR_DATA_DIR: dir,
      CANDOR_SEALING_KEYS: `k2:${k2.toString('base64')}, k1:${k1.toString('base64')}`,
    });
    expect(config.sealing.keys).toEqual([
      { id: 'k2', key: k2 },
      { id: 'k1', key: k1 },
    ]);
    expect(() => loadConfig({ CANDOR_DATA_DIR: dir, CANDOR_SEALING_KEYS: 'k1:c2hvcnQ=,k1' })).toThrow(
      /CANDOR_SEALING_KEYS: key "k1" must be 32 bytes of base64[\s\S]*entry 2 needs an id/,
    );
    const a = loadConfig({ CANDOR_DATA_DIR: dir });
    const b = loadConfig({ CANDOR_DATA_DIR: dir });
    expect(a.sealing.keys).toHaveLength(1);
    expect(a.sealing.keys[0]!.key).toHaveLength(32);
    expect(b.sealing.keys).toEqual(a.sealing.keys);
    expect(statSync(join(dir, 'sealing-keys')).mode & 0o777).toBe(0o600);
  });
});
