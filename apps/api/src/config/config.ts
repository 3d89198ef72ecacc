import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_K, validateK } from '@candor/disclosure';
import { type AuthConfig, readAuthConfig } from './auth.config';
import { loadOrCreateSealingKeys, parseSealingKeys, type SealingKey } from './sealing-keys';
import { IANAZone } from 'luxon';
import ipaddr from 'ipaddr.js';

/** Typed configuration, read once from the environment and validated at boot. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  port: number;
  /** Where embedded mode keeps its database, secrets and lock (`./.data`). */
  dataDir: string;
  database: { url: string | null; embedded: boolean };
  jwt: { secret: string; issuer: string; audience: string; ttlSeconds: number };
  smtp: { url: string | null; from: string };
  defaultK: number;
  /** The organisation's IANA time zone: the default for schedules (`CANDOR_TIMEZONE`, default UTC). */
  timezone: string;
  /** The minute tick that opens, closes and reminds (`SCHEDULER_ENABLED`; off by default in tests). */
  scheduler: { enabled: boolean };
  demo: { password: string; autoSeed: boolean };
  webDir: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** Sign-in hardening, CORS, invitation links and single sign-on (see config/auth.config.ts). */
  auth: AuthConfig;
  /** `/api/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`; without a token it answers 404. */
  metrics: { token: string | null };
  /**
   * Per-minute limits on token issue and submission (0 turns one off). Per address they must
   * allow a whole office behind one NAT answering at once; per token they stop retry storms.
   */
  rateLimits: RateLimits;
  /** Issue 14: reverse proxies and outbound webhooks (see `readNetworkConfig`). */
  network: NetworkConfig;
  /**
   * Issue 12: key-encryption keys that wrap each cycle's data key (first = current, the others
   * only unwrap, for rotation). `CANDOR_SEALING_KEYS`; outside production generated once in
   * `<dataDir>/sealing-keys`; required in production.
   */
  sealing: { keys: SealingKey[] };
}

export interface NetworkConfig {
  /**
   * `TRUST_PROXY`, handed to Express's `trust proxy` as it understands it: `false`, `true`
   * (every hop — only when the app is unreachable except through the proxy), a number of hops,
   * or a list of addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`.
   * Only a trusted proxy's `X-Forwarded-For` and `X-Forwarded-Proto` count: they decide the
   * client address (rate limits, sign-in throttle) and whether cookies get `Secure`.
   * Default `loopback`: a proxy on the same host.
   */
  trustProxy: boolean | number | string[];
  /**
   * `SLACK_ALLOW_LOCAL=true`: Slack webhooks may point at loopback and private addresses (a
   * local receiver in development and tests). Off by default in every environment: a webhook
   * must be Slack's and resolve to a public address, checked again at every delivery.
   */
  slackAllowLocal: boolean;
}

export interface RateLimits {
  /** `RATE_LIMIT_SUBMIT_PER_ADDRESS`: submissions per minute from one IP address (default 600). */
  submitPerAddress: number;
  /** `RATE_LIMIT_SUBMIT_PER_TOKEN`: submissions per minute with one survey token (default 10). */
  submitPerToken: number;
  /** `RATE_LIMIT_TOKEN_PER_ADDRESS`: token requests per minute from one IP address (default 600). */
  tokenPerAddress: number;
  /** `RATE_LIMIT_TOKEN_PER_USER`: token requests per minute by one signed-in person (default 20). */
  tokenPerUser: number;
  /** `RATE_LIMIT_COMMENT_PER_ADDRESS`: comments per minute from one IP address (default 600). */
  commentPerAddress: number;
  /** `RATE_LIMIT_COMMENT_PER_TOKEN`: comment attempts per minute with one survey token (default 10). */
  commentPerToken: number;
  /**
   * `RATE_LIMIT_THREAD_PER_ADDRESS`: thread reads and writer messages per minute from one IP
   * address, together (default 600).
   */
  threadPerAddress: number;
  /**
   * `RATE_LIMIT_THREAD_READ_PER_SECRET`: thread reads per minute with one reply code (default 30;
   * a browser asks at most about twice a minute per tab, see docs/operations.md).
   */
  threadReadPerSecret: number;
  /** `RATE_LIMIT_THREAD_MESSAGE_PER_SECRET`: writer messages per minute with one reply code (default 10). */
  threadMessagePerSecret: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function readBoolean(env: Env, name: string, problems: string[]): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (!['', 'true', 'false', '1', '0'].includes(raw))
    problems.push(`${name} must be true or false (got "${raw}")`);
  return raw === 'true' || raw === '1';
}

/** TRUST_PROXY and SLACK_ALLOW_LOCAL (issue 14). */
export function readNetworkConfig(env: Env, problems: string[]): NetworkConfig {
  const raw = (env.TRUST_PROXY ?? '').trim();
  let trustProxy: NetworkConfig['trustProxy'] = ['loopback'];
  if (raw === 'false') trustProxy = false;
  else if (raw === 'true') trustProxy = true;
  else if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) problems.push(`TRUST_PROXY as a number of proxy hops must be 0 to 10 (got "${raw}")`);
    else trustProxy = hops;
  } else if (raw !== '') {
    const entries = raw
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    const bad = entries.filter((e) => !PROXY_NAMES.has(e) && !ipaddr.isValid(e) && !ipaddr.isValidCIDR(e));
    if (bad.length > 0 || entries.length === 0)
      problems.push(
        `TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of addresses, CIDR ranges and loopback/linklocal/uniquelocal (cannot read "${bad.join('", "') || raw}")`,
      );
    else trustProxy = entries;
  }
  return { trustProxy, slackAllowLocal: readBoolean(env, 'SLACK_ALLOW_LOCAL', problems) };
}

function readInt(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

/**
 * Embedded mode keeps generated secrets (JWT secret, embedded database password) in
 * `<dataDir>/secrets.json`, created once with mode 0600 so restarts keep sessions valid.
 */
export function loadOrCreateSecrets(dataDir: string): { jwtSecret: string; dbPassword: string } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret?: string; dbPassword?: string };
    if (parsed.jwtSecret && parsed.dbPassword)
      return { jwtSecret: parsed.jwtSecret, dbPassword: parsed.dbPassword };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const secrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    dbPassword: randomBytes(24).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = (
    ['development', 'production', 'test'].includes(nodeEnvRaw) ? nodeEnvRaw : 'development'
  ) as AppConfig['nodeEnv'];
  const production = nodeEnv === 'production';
  const port = readInt(env, 'PORT', 3000, 1, 65535, problems);
  const dataDir = resolve(env.CANDOR_DATA_DIR ?? '.data');

  const url = env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL.trim() : null;
  if (url !== null) {
    try {
      const parsed = new URL(url);
      if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
        problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
    }
  } else if (production) {
    problems.push(
      'DATABASE_URL is required when NODE_ENV=production (the embedded database is for laptops and demos)',
    );
  }

  let jwtSecret = env.JWT_SECRET ?? '';
  if (jwtSecret === '') {
    if (production) problems.push('JWT_SECRET is required when NODE_ENV=production (at least 32 characters)');
    else if (url === null) jwtSecret = loadOrCreateSecrets(dataDir).jwtSecret;
    else jwtSecret = randomBytes(48).toString('base64url');
  } else if (jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters long');
  }

  const smtpUrl = env.SMTP_URL && env.SMTP_URL.trim() !== '' ? env.SMTP_URL.trim() : null;
  if (smtpUrl !== null && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push('SMTP_URL must start with smtp:// or smtps://');
  }

  let defaultK = DEFAULT_K;
  if (env.CANDOR_DEFAULT_K !== undefined && env.CANDOR_DEFAULT_K !== '') {
    const k = Number(env.CANDOR_DEFAULT_K);
    const problem = validateK(k);
    if (problem) problems.push(`CANDOR_DEFAULT_K ${problem}`);
    else defaultK = k;
  }

  const timezone =
    env.CANDOR_TIMEZONE && env.CANDOR_TIMEZONE.trim() !== '' ? env.CANDOR_TIMEZONE.trim() : 'UTC';
  if (!IANAZone.isValidZone(timezone)) {
    problems.push(`CANDOR_TIMEZONE must be an IANA time zone such as Europe/Berlin (got "${timezone}")`);
  }
  const schedulerRaw = env.SCHEDULER_ENABLED ?? '';
  if (!['', 'true', 'false', '1', '0'].includes(schedulerRaw)) {
    problems.push(`SCHEDULER_ENABLED must be true or false (got "${schedulerRaw}")`);
  }
  const schedulerEnabled = schedulerRaw === '' ? nodeEnv !== 'test' : ['true', '1'].includes(schedulerRaw);

  const logLevel = (env.LOG_LEVEL ?? 'log') as AppConfig['logLevel'];
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel))
    problems.push('LOG_LEVEL must be error, warn, log or debug');

  const auth = readAuthConfig(env, port, problems);

  const metricsToken = env.METRICS_TOKEN && env.METRICS_TOKEN.trim() !== '' ? env.METRICS_TOKEN.trim() : null;
  if (metricsToken !== null && metricsToken.length < 16)
    problems.push('METRICS_TOKEN must be at least 16 characters long (or unset to turn /api/metrics off)');
  const rateLimits: RateLimits = {
    submitPerAddress: readInt(env, 'RATE_LIMIT_SUBMIT_PER_ADDRESS', 600, 0, 1_000_000, problems),
    submitPerToken: readInt(env, 'RATE_LIMIT_SUBMIT_PER_TOKEN', 10, 0, 1_000_000, problems),
    tokenPerAddress: readInt(env, 'RATE_LIMIT_TOKEN_PER_ADDRESS', 600, 0, 1_000_000, problems),
    tokenPerUser: readInt(env, 'RATE_LIMIT_TOKEN_PER_USER', 20, 0, 1_000_000, problems),
    commentPerAddress: readInt(env, 'RATE_LIMIT_COMMENT_PER_ADDRESS', 600, 0, 1_000_000, problems),
    commentPerToken: readInt(env, 'RATE_LIMIT_COMMENT_PER_TOKEN', 10, 0, 1_000_000, problems),
    threadPerAddress: readInt(env, 'RATE_LIMIT_THREAD_PER_ADDRESS', 600, 0, 1_000_000, problems),
    threadReadPerSecret: readInt(env, 'RATE_LIMIT_THREAD_READ_PER_SECRET', 30, 0, 1_000_000, problems),
    threadMessagePerSecret: readInt(env, 'RATE_LIMIT_THREAD_MESSAGE_PER_SECRET', 10, 0, 1_000_000, problems),
  };

  const network = readNetworkConfig(env, problems);

  const sealingRaw = (env.CANDOR_SEALING_KEYS ?? '').trim();
  let sealingKeys: SealingKey[] = [];
  if (sealingRaw !== '') sealingKeys = parseSealingKeys(sealingRaw, 'CANDOR_SEALING_KEYS', problems);
  else if (production)
    problems.push(
      'CANDOR_SEALING_KEYS is required when NODE_ENV=production: id:base64 of 32 random bytes, e.g. k1:$(openssl rand -base64 32). It seals the answers of open cycles; keep it out of the database and its backups (see docs/operations.md)',
    );
  else sealingKeys = loadOrCreateSealingKeys(dataDir, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv,
    production,
    port,
    dataDir,
    database: { url, embedded: url === null },
    jwt: {
      secret: jwtSecret,
      issuer: 'candor',
      audience: 'candor-web',
      ttlSeconds: readInt(env, 'SESSION_TTL_SECONDS', 8 * 3600, 300, 30 * 24 * 3600, []),
    },
    smtp: { url: smtpUrl, from: env.SMTP_FROM ?? 'Candor <candor@localhost>' },
    defaultK,
    timezone,
    scheduler: { enabled: schedulerEnabled },
    demo: {
      password: env.DEMO_PASSWORD && env.DEMO_PASSWORD !== '' ? env.DEMO_PASSWORD : 'candor-demo',
      autoSeed: !production && env.CANDOR_DEMO !== 'off',
    },
    webDir: resolve(env.CANDOR_WEB_DIR ?? 'dist/web'),
    auth,
    logLevel,
    metrics: { token: metricsToken },
    rateLimits,
    network,
    sealing: { keys: sealingKeys },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
