import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';

export const DEVICE_COOKIE = 'candor_device';
const DEVICE_TTL_MS = 365 * 24 * 3600 * 1000;

/**
 * Throttles failed sign-ins: at most `LOGIN_MAX_FAILURES` per window (default 10 a minute)
 * per address and per account, then 429 with Retry-After.
 *
 * So that an attacker hammering an account cannot lock its owner out, a browser that has
 * signed in to that account before carries a signed "device" cookie: its attempts are counted
 * on their own (per account × device), not against the address or the account-wide counter.
 * (OWASP "device cookies"; a stolen device cookie still gets only 10 tries a minute.)
 *
 * Counters live in memory, per instance: behind N instances the effective limit is N × the
 * configured one, which still blocks online guessing; a restart clears them.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = createHmac('sha256', config.jwt.secret).update('candor:device-cookie').digest();
  }

  private get windowMs(): number {
    return this.config.auth.login.windowSeconds * 1000;
  }

  /** The counters this attempt is charged to. */
  keysFor(req: Request, email: string): string[] {
    const device = this.readDevice(req, email);
    if (device) return [`device:${email}:${device}`];
    return [`ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`, `account:${email}`];
  }

  /** Seconds until another attempt is allowed, or 0. */
  retryAfter(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.config.auth.login.maxFailures) {
        wait = Math.max(wait, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
      }
    }
    return wait;
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.sweep(now);
  }

  succeed(keys: string[]): void {
    for (const key of keys) if (!key.startsWith('ip:')) this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const kept = list.filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else if (kept.length !== list.length) this.failures.set(key, kept);
    return kept;
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
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
