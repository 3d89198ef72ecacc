import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { clientAddress } from '../common/client-address';
import { DomainError } from '../common/errors';

export const DEVICE_COOKIE = 'candor_device';
const DEVICE_TTL_MS = 365 * 24 * 3600 * 1000;
/** Expired rows are deleted on every this-many-th recorded failure (per instance). */
const SWEEP_EVERY = 50;

/** One counter an attempt is charged to, and how many failures it may hold per window. */
export interface ThrottleCharge {
  key: string;
  max: number;
}

/**
 * Throttles failed sign-ins: at most `LOGIN_MAX_FAILURES_PER_ACCOUNT` per window (default 10 a
 * minute) per account and `LOGIN_MAX_FAILURES_PER_ADDRESS` (default 100) per client address,
 * then 429 with Retry-After. The same counters, by other keys, throttle password-reset requests
 * and wrong current passwords on a password change.
 *
 * So that an attacker hammering an account cannot lock its owner out, a browser that has
 * signed in to that account before carries a signed "device" cookie: its attempts are counted
 * on their own (per account × device), not against the address or the account-wide counter.
 * (OWASP "device cookies"; a stolen device cookie still gets only 10 tries a minute.)
 *
 * Failures are rows in PostgreSQL (`login_failure`), timed by the database clock: every
 * instance behind a load balancer counts the same attempts, and a restart forgets nothing.
 * One INSERT per failed attempt and one indexed count per attempt. Counter keys are HMACs
 * (keyed by the JWT secret, which all instances share): the table holds no email or IP address.
 */
@Injectable()
export class LoginThrottle {
  private readonly key: Buffer;
  private readonly counterKey: Buffer;
  private failuresSinceSweep = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.key = createHmac('sha256', config.jwt.secret).update('candor:device-cookie').digest();
    this.counterKey = createHmac('sha256', config.jwt.secret).update('candor:login-throttle').digest();
  }

  private get windowSeconds(): number {
    return this.config.auth.login.windowSeconds;
  }

  private get perAccount(): number {
    return this.config.auth.login.maxFailuresPerAccount;
  }

  /** The counters a sign-in attempt is charged to. */
  keysFor(req: Request, email: string): ThrottleCharge[] {
    const device = this.readDevice(req, email);
    if (device) return [{ key: `device:${email}:${device}`, max: this.perAccount }];
    return [
      { key: `ip:${clientAddress(req)}`, max: this.config.auth.login.maxFailuresPerAddress },
      { key: `account:${email}`, max: this.perAccount },
    ];
  }

  /** The counters a password-reset request is charged to (every request counts). */
  resetKeys(req: Request, email: string): ThrottleCharge[] {
    return [
      { key: `reset-ip:${clientAddress(req)}`, max: this.config.auth.login.maxFailuresPerAddress },
      { key: `reset-account:${email}`, max: this.perAccount },
    ];
  }

  /** Wrong current passwords on `POST /api/auth/password`, per person (a stolen session guessing). */
  passwordChangeKeys(userId: string): ThrottleCharge[] {
    return [{ key: `password-change:${userId}`, max: this.perAccount }];
  }

  /** Seconds until another attempt is allowed, or 0. */
  async retryAfter(charges: ThrottleCharge[]): Promise<number> {
    const rows: { wait: number }[] = await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM min(f.failed_at) + make_interval(secs => $3) - now()))::int AS wait
         FROM login_failure f
         JOIN unnest($1::text[], $2::int[]) AS c(key, max) ON c.key = f.key
        WHERE f.failed_at > now() - make_interval(secs => $3)
        GROUP BY f.key, c.max
       HAVING count(*) >= c.max`,
      [charges.map((c) => this.hash(c.key)), charges.map((c) => c.max), this.windowSeconds],
    );
    return rows.reduce((wait, r) => Math.max(wait, r.wait, 1), 0);
  }

  /**
   * Refuses the attempt with 429 `too_many_attempts` and `Retry-After` when any of its counters is
   * full; `what` names what was tried too often ("failed sign-ins").
   */
  async assertAllowed(charges: ThrottleCharge[], res: Response, what: string): Promise<void> {
    const wait = await this.retryAfter(charges);
    if (wait === 0) return;
    res.setHeader('Retry-After', String(wait));
    throw new DomainError(
      'too_many_attempts',
      429,
      `Too many ${what}. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
    );
  }

  async fail(charges: ThrottleCharge[]): Promise<void> {
    await this.dataSource.query(`INSERT INTO login_failure (key) SELECT unnest($1::text[])`, [
      charges.map((c) => this.hash(c.key)),
    ]);
    if (++this.failuresSinceSweep >= SWEEP_EVERY) {
      this.failuresSinceSweep = 0;
      await this.dataSource.query(
        `DELETE FROM login_failure WHERE failed_at < now() - make_interval(secs => $1)`,
        [this.windowSeconds],
      );
    }
  }

  /** A successful sign-in clears the account's and the device's counters (not the address's). */
  async succeed(charges: ThrottleCharge[]): Promise<void> {
    const cleared = charges.filter((c) => !c.key.startsWith('ip:')).map((c) => this.hash(c.key));
    if (cleared.length > 0)
      await this.dataSource.query('DELETE FROM login_failure WHERE key = ANY($1::text[])', [cleared]);
  }

  private hash(key: string): string {
    return createHmac('sha256', this.counterKey).update(key).digest('base64url');
  }

  // ---------------------------------------------------------------- device cookie

  private mac(email: string, device: string): string {
    return createHmac('sha256', this.key).update(`${email}\u0000${device}`).digest('base64url');
  }

  private readDevice(req: Request, email: string): string | null {
    const raw = (req as Request & { cookies?: Record<string, string> }).cookies?.[DEVICE_COOKIE];
    if (typeof raw !== 'string' || raw.length > 4096) return null;
    for (const entry of raw.split('|')) {
      const [device, mac] = entry.split('.');
      if (!device || !mac) continue;
      const expected = Buffer.from(this.mac(email, device));
      const given = Buffer.from(mac);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return device;
    }
    return null;
  }

  /** After a successful sign-in: remember this browser for this account (several accounts per browser). */
  rememberDevice(req: Request, res: Response, email: string): void {
    if (this.readDevice(req, email)) return;
    const device = randomBytes(12).toString('base64url');
    const existing = ((req as Request & { cookies?: Record<string, string> }).cookies?.[DEVICE_COOKIE] ?? '')
      .split('|')
      .filter((e: string) => /^[\w-]+\.[\w-]+$/.test(e))
      .slice(-4);
    res.cookie(DEVICE_COOKIE, [...existing, `${device}.${this.mac(email, device)}`].join('|'), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/api/auth',
      maxAge: DEVICE_TTL_MS,
    });
  }
}
