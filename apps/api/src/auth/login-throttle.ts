import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';

export const DEVICE_COOKIE = 'candor_device';
const DEVICE_TTL_MS = 365 * 24 * 3600 * 1000;
/** Expired rows are deleted on every this-many-th recorded failure (per instance). */
const SWEEP_EVERY = 50;

/**
 * Throttles failed sign-ins: at most `LOGIN_MAX_FAILURES` per window (default 10 a minute)
 * per address and per account, then 429 with Retry-After.
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

  /** The counters this attempt is charged to. */
  keysFor(req: Request, email: string): string[] {
    const device = this.readDevice(req, email);
    if (device) return [`device:${email}:${device}`];
    return [`ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`, `account:${email}`];
  }

  /** Seconds until another attempt is allowed, or 0. */
  async retryAfter(keys: string[]): Promise<number> {
    const rows: { wait: number }[] = await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM min(failed_at) + make_interval(secs => $2) - now()))::int AS wait
         FROM login_failure
        WHERE key = ANY($1::text[]) AND failed_at > now() - make_interval(secs => $2)
        GROUP BY key
       HAVING count(*) >= $3`,
      [keys.map((k) => this.hash(k)), this.windowSeconds, this.config.auth.login.maxFailures],
    );
    return rows.reduce((wait, r) => Math.max(wait, r.wait, 1), 0);
  }

  async fail(keys: string[]): Promise<void> {
    await this.dataSource.query(`INSERT INTO login_failure (key) SELECT unnest($1::text[])`, [
      keys.map((k) => this.hash(k)),
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
  async succeed(keys: string[]): Promise<void> {
    const cleared = keys.filter((k) => !k.startsWith('ip:')).map((k) => this.hash(k));
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
