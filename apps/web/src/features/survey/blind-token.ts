/**
 * The anonymous submission, client side of RFC 9474 (RSABSSA-SHA384-PSS-Randomized).
 *
 *   1. blind:  msg = 32 random bytes; prepared = prepare(msg); (blinded, inv) = blind(pk, prepared)
 *   2. issue:  POST /api/cycles/:id/tokens {blindedMessage} (signed in) → blindSignature
 *              signature = finalize(pk, prepared, blindSignature, inv)
 *   3. submit: POST /api/responses {token: prepared, signature, answers} with no credentials
 *
 * The state is written to localStorage BEFORE each network step, so a reload, a closed tab or a
 * dropped connection at any point resumes with the same token: the same blinded message gets the
 * same signature, and the same token with the same answers replays the first receipt. Nothing is
 * ever counted twice and no token is lost. The state is removed only once a receipt is in hand.
 *
 * The cryptography is the library's; this module only sequences it and keeps the state.
 */
import type { InstrumentVersion } from '@candor/contracts';
import type { Answers } from '@candor/instruments';
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { isApiError } from '../../lib/api-client';
import { base64ToBytes, base64urlToBytes, bytesToBase64url } from '../../lib/base64';
import { browserStorage, type StorageLike } from '../../lib/storage';
import { issueToken, submitResponse } from './api';
import { submitComment } from '../../lib/comments-api';
import { clearPendingSecret, pendingSecret, saveThread, secretHash } from '../../lib/thread-storage';
import {
  clearAnswers,
  clearTokenState,
  loadTokenState,
  saveReceipt,
  saveTokenState,
  type BlindedTokenState,
  type SignedTokenState,
  type StoredReceipt,
  type SurveyScope,
  type TokenState,
} from '../../lib/survey-storage';

const suite = RSABSSA.SHA384.PSS.Randomized();

/** Length of the random message before RFC 9474's 32-byte randomizing prefix is added. */
export const MESSAGE_BYTES = 32;

// ------------------------------------------------------------------------------ pure steps

/** Imports a cycle's public key (SPKI DER, base64) for blinding, finalizing and verifying. */
export function importPublicKey(spkiBase64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'spki',
    base64ToBytes(spkiBase64),
    { name: 'RSA-PSS', hash: 'SHA-384' },
    true,
    ['verify'],
  );
}

/** Step 1: a fresh random token, blinded. Nothing here leaves the browser except `blindedMsg`. */
export async function blindNewToken(publicKey: CryptoKey): Promise<BlindedTokenState> {
  const msg = crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES));
  const prepared = suite.prepare(msg);
  const { blindedMsg, inv } = await suite.blind(publicKey, prepared);
  return {
    stage: 'blinded',
    preparedMsg: bytesToBase64url(prepared),
    blindedMsg: bytesToBase64url(blindedMsg),
    inv: bytesToBase64url(inv),
  };
}

export class InvalidSignatureError extends Error {
  constructor(cause?: unknown) {
    super('The signature from the server did not verify against this survey’s key. Try again later.', {
      cause,
    });
    this.name = 'InvalidSignatureError';
  }
}

/** Step 2b: unblinds the server's signature; the library verifies it against the public key. */
export async function finalizeToken(
  publicKey: CryptoKey,
  blinded: BlindedTokenState,
  blindSignature: string,
): Promise<SignedTokenState> {
  let signature: Uint8Array;
  try {
    signature = await suite.finalize(
      publicKey,
      base64urlToBytes(blinded.preparedMsg),
      base64urlToBytes(blindSignature),
      base64urlToBytes(blinded.inv),
    );
  } catch (error) {
    throw new InvalidSignatureError(error);
  }
  return {
    stage: 'signed',
    preparedMsg: blinded.preparedMsg,
    signature: bytesToBase64url(signature),
    attempted: [],
  };
}

/** RSASSA-PSS verification of a finished token, as the server does it. */
export function verifyToken(
  publicKey: CryptoKey,
  token: Pick<SignedTokenState, 'preparedMsg' | 'signature'>,
) {
  return suite.verify(publicKey, base64urlToBytes(token.signature), base64urlToBytes(token.preparedMsg));
}

export type SubmissionStep = 'blind' | 'issue' | 'submit';

/** The state machine: which network step comes next for a stored state. */
export function nextStep(state: TokenState | null): SubmissionStep {
  if (state === null) return 'blind';
  return state.stage === 'blinded' ? 'issue' : 'submit';
}

/** Answers as a canonical string, so that key order never makes equal answers differ. */
export function answersFingerprint(answers: Answers): string {
  return JSON.stringify(
    Object.keys(answers)
      .sort()
      .map((key) => [key, answers[key]]),
  );
}

export function sameAnswers(a: Answers, b: Answers): boolean {
  return answersFingerprint(a) === answersFingerprint(b);
}

// ------------------------------------------------------------------------------ errors

/** The server already signed a different token for this person: they took it in another browser. */
export class TokenTakenElsewhereError extends Error {
  constructor() {
    super(
      'You already collected your anonymous token for this survey in another browser or device (or this browser’s data was cleared). One person gets one token, so please answer from where you started.',
    );
    this.name = 'TokenTakenElsewhereError';
  }
}

export class CycleClosedError extends Error {
  constructor() {
    super('This survey closed before your answers arrived, so they were not recorded.');
    this.name = 'CycleClosedError';
  }
}

/** The token was spent with answers this browser no longer has. */
export class AnswersAlreadyRecordedError extends Error {
  constructor() {
    super(
      'Answers were already recorded with your token, and they cannot be changed after they are received.',
    );
    this.name = 'AnswersAlreadyRecordedError';
  }
}

// ------------------------------------------------------------------------------ the run

export interface SubmissionRequest {
  scope: SurveyScope;
  instrument: InstrumentVersion;
  publicKeySpki: string;
  answers: Answers;
  /** Defaults to window.localStorage. */
  storage?: StorageLike | null;
  /** Called as each step starts, for progress text. */
  onStep?: (step: SubmissionStep) => void;
  /** An optional comment, sent with the same token in its own anonymous request (no credentials). */
  comment?: { text: string; teamName: string };
}

/**
 * Runs (or resumes) the anonymous submission to a receipt. Safe to call again after any failure
 * or interruption: it continues from the stored state.
 */
export async function submitAnonymously(request: SubmissionRequest): Promise<StoredReceipt> {
  const storage = request.storage === undefined ? browserStorage() : request.storage;
  const { scope } = request;
  // A token taken ahead (prepareToken) may still be on its way: continue from where it ends.
  await preparing.get(scopeKey(scope))?.catch(() => undefined);
  const publicKey = await importPublicKey(request.publicKeySpki);
  let state = loadTokenState(storage, scope);

  try {
    for (;;) {
      const step = nextStep(state);
      request.onStep?.(step);
      if (step === 'blind') {
        const blinded = await blindNewToken(publicKey);
        saveTokenState(storage, scope, blinded); // before the blinded message goes out
        state = blinded;
      } else if (step === 'issue') {
        const blinded = state as BlindedTokenState;
        const blindSignature = await requestSignature(scope.cycleId, blinded.blindedMsg, storage, scope);
        const signed = await finalizeToken(publicKey, blinded, blindSignature);
        saveTokenState(storage, scope, signed); // before the token is spent
        state = signed;
      } else {
        if (request.comment) await sendComment(request, storage, state as SignedTokenState);
        const stored = await submitSigned(request, storage, state as SignedTokenState);
        saveReceipt(storage, scope, stored);
        clearTokenState(storage, scope);
        clearAnswers(storage, scope);
        return stored;
      }
    }
  } catch (error) {
    if (isApiError(error, 410)) {
      // The cycle closed: the token can no longer be used for anything.
      clearTokenState(storage, scope);
      clearAnswers(storage, scope);
      throw new CycleClosedError();
    }
    throw error;
  }
}

/**
 * Takes the blind-signed token ahead of the answers (issue 12): run when the form opens, so the
 * token request and the later submission are separated by the time spent answering. Stops once a
 * signed token is stored (or at once if one is); the submission later resumes from it. Failures
 * are left for the submission to meet again and report.
 */
export function prepareToken(
  request: Pick<SubmissionRequest, 'scope' | 'publicKeySpki' | 'storage'>,
): Promise<void> {
  const key = scopeKey(request.scope);
  let running = preparing.get(key);
  if (!running) {
    running = takeToken(request).finally(() => preparing.delete(key));
    preparing.set(key, running);
  }
  return running;
}

/** Token preparations under way, by scope: one at a time, and a submission waits for it. */
const preparing = new Map<string, Promise<void>>();

/**
 * Resolves once every token preparation under way has ended, whichever way. A preparation outlives
 * the form that started it (the token is kept for later); whoever clears this browser's storage
 * waits for this first, or a late preparation writes its token into the cleared storage.
 */
export async function tokenPreparationsSettled(): Promise<void> {
  await Promise.allSettled([...preparing.values()]);
}
const scopeKey = (scope: SurveyScope) => `${scope.userId}\u0000${scope.cycleId}`;

async function takeToken(
  request: Pick<SubmissionRequest, 'scope' | 'publicKeySpki' | 'storage'>,
): Promise<void> {
  const storage = request.storage === undefined ? browserStorage() : request.storage;
  const { scope } = request;
  const publicKey = await importPublicKey(request.publicKeySpki);
  let state = loadTokenState(storage, scope);
  for (let step = nextStep(state); step !== 'submit'; step = nextStep(state)) {
    if (step === 'blind') {
      const blinded = await blindNewToken(publicKey);
      saveTokenState(storage, scope, blinded); // before the blinded message goes out
      state = blinded;
    } else {
      const blinded = state as BlindedTokenState;
      const blindSignature = await requestSignature(scope.cycleId, blinded.blindedMsg, storage, scope);
      const signed = await finalizeToken(publicKey, blinded, blindSignature);
      saveTokenState(storage, scope, signed); // before the token is spent
      state = signed;
    }
  }
}

async function requestSignature(
  cycleId: string,
  blindedMessage: string,
  storage: StorageLike | null,
  scope: SurveyScope,
): Promise<string> {
  try {
    return await issueToken(cycleId, blindedMessage);
  } catch (error) {
    if (isApiError(error, 409)) {
      // A different blinded message was signed for this person; ours never will be.
      clearTokenState(storage, scope);
      throw new TokenTakenElsewhereError();
    }
    throw error;
  }
}

/**
 * The comment, sent before the answers while the token is still kept (a retry sends it again: the
 * same text and reply secret replay; edited text after it arrived is refused and the first kept).
 * Its reply secret is made once per cycle and kept in this browser; only its hash is sent.
 */
async function sendComment(
  request: SubmissionRequest,
  storage: StorageLike | null,
  signed: SignedTokenState,
): Promise<void> {
  const { scope, comment } = request;
  if (!comment) return;
  const secret = pendingSecret(storage, scope.userId, scope.cycleId);
  try {
    await submitComment({
      cycleId: scope.cycleId,
      token: signed.preparedMsg,
      signature: signed.signature,
      text: comment.text,
      replyHash: await secretHash(secret),
    });
  } catch (error) {
    if (!isApiError(error, 409)) throw error;
  }
  saveThread(storage, scope.userId, { secret, teamName: comment.teamName, seenReplies: 0 });
  clearPendingSecret(storage, scope.userId, scope.cycleId);
}

async function submitSigned(
  request: SubmissionRequest,
  storage: StorageLike | null,
  signed: SignedTokenState,
): Promise<StoredReceipt> {
  const { scope, answers } = request;
  const attempted = signed.attempted.some((earlier) => sameAnswers(earlier, answers))
    ? signed.attempted
    : [...signed.attempted, answers];
  const state: SignedTokenState = { ...signed, attempted };
  saveTokenState(storage, scope, state); // record the attempt before it goes out

  const send = (body: Answers) =>
    submitResponse({
      cycleId: scope.cycleId,
      instrument: request.instrument,
      token: state.preparedMsg,
      signature: state.signature,
      answers: body,
    });

  try {
    return { receipt: await send(answers), keptEarlierAnswers: false };
  } catch (error) {
    if (isApiError(error, 409)) {
      // An earlier attempt whose answer we never saw did arrive. Recover its receipt.
      const earlier = attempted.filter((previous) => !sameAnswers(previous, answers)).reverse();
      for (const previous of earlier) {
        try {
          return { receipt: await send(previous), keptEarlierAnswers: true };
        } catch (retryError) {
          if (!isApiError(retryError, 409)) throw retryError;
        }
      }
      throw new AnswersAlreadyRecordedError();
    }
    if (isApiError(error, 400)) {
      // Refused as invalid, so not stored: these answers can never be the recorded ones.
      saveTokenState(storage, scope, {
        ...state,
        attempted: signed.attempted.filter((a) => !sameAnswers(a, answers)),
      });
    }
    throw error;
  }
}
