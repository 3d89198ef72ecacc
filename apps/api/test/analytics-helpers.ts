import request from 'supertest';
import type { App } from 'supertest/types';
import { type DataSource } from 'typeorm';
import type { InstrumentVersion } from '@candor/contracts';
import { type Answers } from '@candor/instruments';
import { CycleService } from '../src/surveys/cycle.service';
import { login } from './test-app';
import { PASSWORD } from './factories';

export const DAY = 86_400_000;

/** A psych-safety response whose item scores all equal `v` after reverse-scoring. */
export function psAnswers(v: number): Answers {
  return { ps1: 8 - v, ps2: v, ps3: 8 - v, ps4: v, ps5: 8 - v, ps6: v, ps7: v };
}

/** A psych-safety response with item-level spread: person `i` around `base`. */
export function psVaried(base: number, i: number): Answers {
  const score = (j: number) => Math.min(7, Math.max(1, base + (((i * 7 + j * 3) % 3) - 1)));
  const reverse = new Set([1, 3, 5]);
  const out: Answers = {};
  for (let j = 1; j <= 7; j++) out[`ps${j}`] = reverse.has(j) ? 8 - score(j) : score(j);
  return out;
}

/** A trust-equation response from per-component answers (3 items each). */
export function trustAnswers(c: number[], r: number[], i: number[], s: number[]): Answers {
  const out: Answers = {};
  c.forEach((v, j) => (out[`cr${j + 1}`] = v));
  r.forEach((v, j) => (out[`re${j + 1}`] = v));
  i.forEach((v, j) => (out[`in${j + 1}`] = v));
  s.forEach((v, j) => (out[`so${j + 1}`] = v));
  return out;
}

/** First instant of the UTC month `offset` months before now, plus `day` days. */
export function monthStart(offset: number, day = 2): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset, day, 9));
}

export function period(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * A cycle with these answers, stored as the submit endpoint stores them, then closed through the
 * real CycleService.close (so cycle_stats are written by production code). No signing key is
 * needed once responses are inserted directly.
 */
export async function closedCycle(
  ds: DataSource,
  cycles: CycleService,
  teamId: string,
  opensAt: Date,
  answers: Answers[],
  opts: { k?: number; invited?: number; version?: InstrumentVersion; open?: boolean } = {},
): Promise<string> {
  const version = opts.version ?? 'psych-safety@1';
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO cycle (team_id, instrument_version, trust_subject, opens_at, closes_at, status, k, k_comments, invited, public_key_spki)
     VALUES ($1, $2, $3, $4, $5, 'open', $6, $8, $7, 'test-key') RETURNING id`,
    [
      teamId,
      version,
      version.startsWith('trust') ? 'team' : null,
      opensAt,
      new Date(opensAt.getTime() + 5 * DAY),
      opts.k ?? 3,
      opts.invited ?? Math.max(answers.length, 1),
      Math.max(opts.k ?? 3, 5), // k_comments: the default max(k, 5)
    ],
  );
  const id = rows[0]!.id;
  for (const a of answers) {
    await ds.query('INSERT INTO response (cycle_id, instrument_version, answers) VALUES ($1, $2, $3)', [
      id,
      version,
      JSON.stringify(a),
    ]);
  }
  if (!opts.open) await cycles.close(id);
  return id;
}

export async function director(ds: DataSource, userId: string, groupId: string): Promise<void> {
  await ds.query('INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2)', [userId, groupId]);
}

/** GET as a signed-in person. */
export function getter(http: App) {
  const tokens = new Map<string, string>();
  return async (email: string, path: string) => {
    let token = tokens.get(email);
    if (!token) {
      token = await login(http, email, PASSWORD);
      tokens.set(email, token);
    }
    return request(http).get(path).set('Authorization', `Bearer ${token}`);
  };
}

/** Every number anywhere inside a value, with its JSON path. */
export function numbersIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  }
  return [];
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function variance(xs: number[]): number {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}
