/**
 * Sign-in configuration, read by `loadConfig` in config/config.ts:
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `LOGIN_MAX_FAILURES_PER_ACCOUNT` | 10 | failed sign-ins (and password-change guesses) per account per window, then 429; `LOGIN_MAX_FAILURES` is the older name |
 * | `LOGIN_MAX_FAILURES_PER_ADDRESS` | 100 | failed sign-ins per client address per window: a whole office behind one address |
 * | `LOGIN_WINDOW_SECONDS` | 60 | the throttling window |
 * | `CORS_ORIGINS` | (none) | comma-separated origins allowed to call the API from a browser |
 * | `PUBLIC_URL` | `http://localhost:<PORT>` | where people reach Candor: links in emails, OIDC redirect |
 * | `INVITE_TTL_HOURS` | 72 | how long an invitation link works |
 * | `RESET_TTL_MINUTES` | 60 | how long a password-reset link works |
 * | `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET` | (none) | single sign-on; all three or none |
 * | `OIDC_ALLOWED_DOMAINS` | (none: any) | comma-separated email domains allowed to sign in with SSO |
 * | `OIDC_JIT` | false | create a person on first SSO sign-in (otherwise an admin creates them first) |
 * | `OIDC_ALLOW_UNVERIFIED_EMAIL` | false | DANGEROUS: bind a first SSO sign-in by an email the provider does not call verified |
 */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomains: string[];
  jit: boolean;
  /** `${PUBLIC_URL}/api/auth/oidc/callback` */
  redirectUri: string;
  /** Plain-http issuer: only allowed on loopback (tests, local identity providers). */
  allowInsecure: boolean;
  /**
   * `OIDC_ALLOW_UNVERIFIED_EMAIL=true`: accept an ID token whose `email_verified` is not exactly
   * `true` when binding a first sign-in by email. Dangerous: anyone who can set an email address
   * at the provider can then take over the Candor person with that address (docs/security.md).
   */
  allowUnverifiedEmail: boolean;
}

export interface AuthConfig {
  /**
   * Failed sign-ins allowed per window: per account (and per account × known browser, and
   * wrong current passwords on a password change) and, separately, per client address — an
   * office behind one address must not lock itself out with everyone's typos.
   */
  login: { maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowSeconds: number };
  corsOrigins: string[];
  publicUrl: string;
  inviteTtlHours: number;
  resetTtlMinutes: number;
  oidc: OidcConfig | null;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function readAuthConfig(env: Env, port: number, problems: string[]): AuthConfig {
  const corsOrigins = list(env.CORS_ORIGINS);
  for (const origin of corsOrigins) {
    let ok = false;
    try {
      const u = new URL(origin);
      ok = ['http:', 'https:'].includes(u.protocol) && u.origin === origin.replace(/\/$/, '');
    } catch {
      ok = false;
    }
    if (!ok)
      problems.push(
        `CORS_ORIGINS entries must be origins such as https://candor.example.com (got "${origin}")`,
      );
  }

  let publicUrl = (env.PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  if (publicUrl === '') publicUrl = `http://localhost:${port}`;
  else {
    try {
      const u = new URL(publicUrl);
      if (!['http:', 'https:'].includes(u.protocol)) throw new Error('protocol');
    } catch {
      problems.push(
        `PUBLIC_URL must be an http(s) URL such as https://candor.example.com (got "${publicUrl}")`,
      );
    }
  }

  let oidc: OidcConfig | null = null;
  const issuer = (env.OIDC_ISSUER ?? '').trim();
  const clientId = (env.OIDC_CLIENT_ID ?? '').trim();
  const clientSecret = env.OIDC_CLIENT_SECRET ?? '';
  const given = [issuer, clientId, clientSecret].filter((v) => v !== '').length;
  if (given > 0 && given < 3) {
    problems.push(
      'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together (or none of them)',
    );
  } else if (given === 3) {
    let allowInsecure = false;
    try {
      const u = new URL(issuer);
      if (u.protocol === 'http:') {
        if (LOOPBACK.has(u.hostname)) allowInsecure = true;
        else
          problems.push('OIDC_ISSUER must use https:// (plain http is accepted on 127.0.0.1/localhost only)');
      } else if (u.protocol !== 'https:') problems.push('OIDC_ISSUER must be an https:// URL');
    } catch {
      problems.push(`OIDC_ISSUER is not a valid URL (got "${issuer}")`);
    }
    const jitRaw = (env.OIDC_JIT ?? 'false').trim().toLowerCase();
    if (!['true', 'false', '1', '0', ''].includes(jitRaw)) problems.push('OIDC_JIT must be true or false');
    const allowedDomains = list(env.OIDC_ALLOWED_DOMAINS).map((d) => d.toLowerCase().replace(/^@/, ''));
    const unverifiedRaw = (env.OIDC_ALLOW_UNVERIFIED_EMAIL ?? 'false').trim().toLowerCase();
    if (!['true', 'false', '1', '0', ''].includes(unverifiedRaw))
      problems.push('OIDC_ALLOW_UNVERIFIED_EMAIL must be true or false');
    oidc = {
      issuer,
      clientId,
      clientSecret,
      allowedDomains,
      jit: ['true', '1'].includes(jitRaw),
      redirectUri: `${publicUrl}/api/auth/oidc/callback`,
      allowInsecure,
      allowUnverifiedEmail: ['true', '1'].includes(unverifiedRaw),
    };
  }

  return {
    login: {
      maxFailuresPerAccount: int(
        env,
        env.LOGIN_MAX_FAILURES_PER_ACCOUNT === undefined
          ? 'LOGIN_MAX_FAILURES'
          : 'LOGIN_MAX_FAILURES_PER_ACCOUNT',
        10,
        1,
        10_000,
        problems,
      ),
      maxFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 1_000_000, problems),
      windowSeconds: int(env, 'LOGIN_WINDOW_SECONDS', 60, 1, 86_400, problems),
    },
    corsOrigins: corsOrigins.map((o) => o.replace(/\/$/, '')),
    publicUrl,
    inviteTtlHours: int(env, 'INVITE_TTL_HOURS', 72, 1, 24 * 30, problems),
    resetTtlMinutes: int(env, 'RESET_TTL_MINUTES', 60, 5, 24 * 60, problems),
    oidc,
  };
}
