/**
 * What the browser keeps per person and cycle, in localStorage:
 *  - answers in progress (until the submission is received),
 *  - the pending blind token (until the submission is received),
 *  - the receipt (kept, so "answered" survives reloads; it holds no answers).
 *
 * Kept apart from blind-token.ts so that pages which only read these (home) do not load the
 * cryptography.
 */
import type { SubmitReceipt } from '@candor/contracts';
import { SCALE_MAX, SCALE_MIN, type Answers } from '@candor/instruments';
import { isRecord, readJson, removeKey, writeJson, type StorageLike } from './storage';

export interface SurveyScope {
  userId: string;
  cycleId: string;
}

export type StoredKind = 'answers' | 'token' | 'receipt';

export function storageKey(scope: SurveyScope, kind: StoredKind): string {
  return `candor:v1:${scope.userId}:${scope.cycleId}:${kind}`;
}

/** After a blinded message was created and before it is sent to be signed. */
export interface BlindedTokenState {
  stage: 'blinded';
  /** The prepared (randomized) message, base64url: becomes the token. */
  preparedMsg: string;
  blindedMsg: string;
  /** The unblinding factor, base64url. Secret: never leaves this browser. */
  inv: string;
}

/** After the signature was unblinded and before the submission is acknowledged. */
export interface SignedTokenState {
  stage: 'signed';
  preparedMsg: string;
  signature: string;
  /**
   * Answers sent with this token whose outcome is unknown (the connection dropped). If one of them
   * reached the server, sending different answers is refused (409) and the first is kept.
   */
  attempted: Answers[];
}

export type TokenState = BlindedTokenState | SignedTokenState;

export interface StoredReceipt {
  receipt: SubmitReceipt;
  /** True when earlier answers, sent before a dropped connection, were the ones recorded. */
  keptEarlierAnswers: boolean;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function isAnswers(value: unknown): value is Answers {
  return (
    isRecord(value) &&
    Object.values(value).every(
      (answer) =>
        typeof answer === 'number' && Number.isInteger(answer) && answer >= SCALE_MIN && answer <= SCALE_MAX,
    )
  );
}

export function isTokenState(value: unknown): value is TokenState {
  if (!isRecord(value)) return false;
  if (value.stage === 'blinded') {
    return isString(value.preparedMsg) && isString(value.blindedMsg) && isString(value.inv);
  }
  if (value.stage === 'signed') {
    return (
      isString(value.preparedMsg) &&
      isString(value.signature) &&
      Array.isArray(value.attempted) &&
      value.attempted.every(isAnswers)
    );
  }
  return false;
}

function isStoredReceipt(value: unknown): value is StoredReceipt {
  return (
    isRecord(value) &&
    typeof value.keptEarlierAnswers === 'boolean' &&
    isRecord(value.receipt) &&
    isString(value.receipt.receiptId) &&
    isString(value.receipt.cycleId) &&
    isString(value.receipt.teamId)
  );
}

export const loadAnswers = (storage: StorageLike | null, scope: SurveyScope): Answers =>
  readJson(storage, storageKey(scope, 'answers'), isAnswers) ?? {};

/** Best effort: losing answers in progress is an inconvenience, not a safety problem. */
export function saveAnswers(storage: StorageLike | null, scope: SurveyScope, answers: Answers): void {
  try {
    writeJson(storage, storageKey(scope, 'answers'), answers);
  } catch {
    // The form still works; progress just won't survive a reload.
  }
}

export const clearAnswers = (storage: StorageLike | null, scope: SurveyScope): void =>
  removeKey(storage, storageKey(scope, 'answers'));

export const loadTokenState = (storage: StorageLike | null, scope: SurveyScope): TokenState | null =>
  readJson(storage, storageKey(scope, 'token'), isTokenState);

/** Throws when the state cannot be saved: the caller must not take the next network step unsaved. */
export const saveTokenState = (storage: StorageLike | null, scope: SurveyScope, state: TokenState): void =>
  writeJson(storage, storageKey(scope, 'token'), state);

export const clearTokenState = (storage: StorageLike | null, scope: SurveyScope): void =>
  removeKey(storage, storageKey(scope, 'token'));

export const loadReceipt = (storage: StorageLike | null, scope: SurveyScope): StoredReceipt | null =>
  readJson(storage, storageKey(scope, 'receipt'), isStoredReceipt);

export function saveReceipt(storage: StorageLike | null, scope: SurveyScope, receipt: StoredReceipt): void {
  try {
    writeJson(storage, storageKey(scope, 'receipt'), receipt);
  } catch {
    // The server has the response; only the local "answered" marker is lost.
  }
}

export type LocalSurveyStatus = 'answered' | 'in-progress' | 'not-started';

/** What this browser knows about a person's survey, for the home list. */
export function localSurveyStatus(storage: StorageLike | null, scope: SurveyScope): LocalSurveyStatus {
  if (loadReceipt(storage, scope)) return 'answered';
  if (loadTokenState(storage, scope)) return 'in-progress';
  return Object.keys(loadAnswers(storage, scope)).length > 0 ? 'in-progress' : 'not-started';
}
