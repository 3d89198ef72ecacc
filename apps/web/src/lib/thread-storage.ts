/**
 * Reply secrets, kept only in this browser (localStorage), per signed-in person: the secret of a
 * comment being sent (per cycle, reused on every retry so the same comment is sent), and the
 * threads of comments sent, with how many lead replies were already seen (the "new reply" badge).
 * The server never learns which secrets a browser holds, except by being asked with one.
 */
import { bytesToBase64url, base64urlToBytes } from './base64';
import { isRecord, readJson, removeKey, writeJson, type StorageLike } from './storage';

export interface StoredThread {
  secret: string;
  teamName: string;
  /** Lead messages already seen. */
  seenReplies: number;
}

const threadsKey = (userId: string) => `candor:v1:${userId}:threads`;
const pendingKey = (userId: string, cycleId: string) => `candor:v1:${userId}:${cycleId}:comment-secret`;

const isThread = (v: unknown): v is StoredThread =>
  isRecord(v) &&
  typeof v.secret === 'string' &&
  typeof v.teamName === 'string' &&
  typeof v.seenReplies === 'number';
const isThreads = (v: unknown): v is StoredThread[] => Array.isArray(v) && v.every(isThread);

export function loadThreads(storage: StorageLike | null, userId: string): StoredThread[] {
  return readJson(storage, threadsKey(userId), isThreads) ?? [];
}

export function saveThread(storage: StorageLike | null, userId: string, thread: StoredThread): void {
  const others = loadThreads(storage, userId).filter((t) => t.secret !== thread.secret);
  writeJson(storage, threadsKey(userId), [...others, thread]);
}

export function newSecret(): string {
  return bytesToBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function secretHash(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', base64urlToBytes(secret));
  return bytesToBase64url(new Uint8Array(digest));
}

/** The secret of the comment being sent for this cycle: made once, reused on retries. */
export function pendingSecret(storage: StorageLike | null, userId: string, cycleId: string): string {
  const stored = readJson(storage, pendingKey(userId, cycleId), (v): v is string => typeof v === 'string');
  if (stored) return stored;
  const secret = newSecret();
  writeJson(storage, pendingKey(userId, cycleId), secret);
  return secret;
}

export function clearPendingSecret(storage: StorageLike | null, userId: string, cycleId: string): void {
  removeKey(storage, pendingKey(userId, cycleId));
}

/** A reply code pasted from another device: 43 characters of base64url. */
export function isReplyCode(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text.trim());
}
