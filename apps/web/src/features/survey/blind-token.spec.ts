import { base64urlToBytes } from '../../lib/base64';
import { NetworkError } from '../../lib/api-client';
import { FakeCandorApi, generateCycleKeys, suite, type CycleKeys } from '../../../test/fake-api';
import {
  AnswersAlreadyRecordedError,
  CycleClosedError,
  TokenTakenElsewhereError,
  answersFingerprint,
  blindNewToken,
  finalizeToken,
  importPublicKey,
  nextStep,
  submitAnonymously,
  verifyToken,
  type SubmissionRequest,
} from './blind-token';
import {
  loadAnswers,
  loadReceipt,
  loadTokenState,
  saveAnswers,
  storageKey,
  type SurveyScope,
} from '../../lib/survey-storage';

jest.setTimeout(30_000);

const scope: SurveyScope = { userId: 'user-1', cycleId: 'cycle-1' };
const answers = { ps1: 2, ps2: 6, ps3: 1, ps4: 5, ps5: 2, ps6: 6, ps7: 7 };

let keys: CycleKeys;
let api: FakeCandorApi;

beforeAll(async () => {
  keys = await generateCycleKeys();
});

beforeEach(() => {
  api = new FakeCandorApi(keys);
  globalThis.fetch = jest.fn(api.fetch);
});

function request(overrides: Partial<SubmissionRequest> = {}): SubmissionRequest {
  return {
    scope,
    instrument: 'psych-safety@1',
    publicKeySpki: keys.publicKeySpki,
    answers,
    storage: window.localStorage,
    ...overrides,
  };
}

/**
 * Simulates closing the tab while `pattern` is in flight: that request never settles, the run is
 * abandoned, and only localStorage survives.
 */
async function crashDuring(pattern: RegExp, run: () => Promise<unknown>): Promise<void> {
  api.failNext(pattern, 'hang');
  run().catch(() => {});
  const started = Date.now();
  while (!api.requests.some((r) => pattern.test(`${r.method} ${r.path}`))) {
    if (Date.now() - started > 20_000) throw new Error(`no request matching ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('blind token cryptography (RFC 9474 round trip)', () => {
  it('blinds, is signed by the real library acting as server, finalizes and verifies', async () => {
    const publicKey = await importPublicKey(keys.publicKeySpki);
    const blinded = await blindNewToken(publicKey);

    // The token is the 32-byte randomizer prefix + 32 random bytes; the blinded message is unrelated to it.
    expect(base64urlToBytes(blinded.preparedMsg)).toHaveLength(64);
    expect(blinded.blindedMsg).not.toContain(blinded.preparedMsg);
    expect(base64urlToBytes(blinded.inv)).toHaveLength(256);

    const blindSig = await suite.blindSign(keys.privateKey, base64urlToBytes(blinded.blindedMsg));
    const signed = await finalizeToken(publicKey, blinded, Buffer.from(blindSig).toString('base64url'));

    expect(signed.preparedMsg).toBe(blinded.preparedMsg);
    await expect(verifyToken(publicKey, signed)).resolves.toBe(true);
    await expect(
      suite.verify(keys.publicKey, base64urlToBytes(signed.signature), base64urlToBytes(signed.preparedMsg)),
    ).resolves.toBe(true);
  });

  it('rejects a signature made with a different key', async () => {
    const other = await generateCycleKeys();
    const publicKey = await importPublicKey(keys.publicKeySpki);
    // The other key can only sign a blinded message smaller than its own modulus (about half of
    // them): blind afresh until it can, as a client talking to the wrong signer would see.
    let blinded = await blindNewToken(publicKey);
    let wrongSig: Uint8Array | null = null;
    for (let attempt = 0; wrongSig === null && attempt < 40; attempt++) {
      try {
        wrongSig = await suite.blindSign(other.privateKey, base64urlToBytes(blinded.blindedMsg));
      } catch (err) {
        if (!(err instanceof Error) || !/out of range/.test(err.message)) throw err;
        blinded = await blindNewToken(publicKey);
      }
    }
    if (wrongSig === null) throw new Error('no blinded message the other key could sign in 40 tries');
    await expect(
      finalizeToken(publicKey, blinded, Buffer.from(wrongSig).toString('base64url')),
    ).rejects.toThrow(/did not verify/);
    // A second RSA-2048 key pair and a blind signature in JavaScript: seconds on a busy 2-core machine.
  }, 30_000);

  it('makes a different token every time', async () => {
    const publicKey = await importPublicKey(keys.publicKeySpki);
    const [a, b] = await Promise.all([blindNewToken(publicKey), blindNewToken(publicKey)]);
    expect(a.preparedMsg).not.toBe(b.preparedMsg);
    expect(a.blindedMsg).not.toBe(b.blindedMsg);
  });
});

describe('state machine', () => {
  it('goes blind → issue → submit', () => {
    expect(nextStep(null)).toBe('blind');
    expect(nextStep({ stage: 'blinded', preparedMsg: 'a', blindedMsg: 'b', inv: 'c' })).toBe('issue');
    expect(nextStep({ stage: 'signed', preparedMsg: 'a', signature: 's', attempted: [] })).toBe('submit');
  });

  it('fingerprints answers independently of key order', () => {
    expect(answersFingerprint({ a: 1, b: 2 })).toBe(answersFingerprint({ b: 2, a: 1 }));
    expect(answersFingerprint({ a: 1, b: 2 })).not.toBe(answersFingerprint({ a: 2, b: 1 }));
  });
});

describe('submitAnonymously', () => {
  it('submits without credentials and keeps only the receipt', async () => {
    saveAnswers(window.localStorage, scope, answers);
    const steps: string[] = [];
    const stored = await submitAnonymously(request({ onStep: (step) => steps.push(step) }));

    expect(steps).toEqual(['blind', 'issue', 'submit']);
    expect(stored.receipt).toMatchObject({ cycleId: 'cycle-1', replayed: false });
    expect(api.responses).toEqual([answers]);

    const tokenCall = api.requests.find((r) => r.path === '/api/cycles/cycle-1/tokens')!;
    expect(tokenCall.init.credentials).toBe('same-origin');
    const submitCall = api.requests.find((r) => r.path === '/api/responses')!;
    expect(submitCall.init.credentials).toBe('omit');
    expect(submitCall.init.referrerPolicy).toBe('no-referrer');
    expect(
      Object.keys(submitCall.init.headers as Record<string, string>).map((h) => h.toLowerCase()),
    ).not.toContain('authorization');
    // The submission carries the token, never the blinded message or the unblinding factor.
    expect(JSON.stringify(submitCall.body)).not.toContain(
      (tokenCall.body as { blindedMessage: string }).blindedMessage,
    );

    expect(loadTokenState(window.localStorage, scope)).toBeNull();
    expect(loadAnswers(window.localStorage, scope)).toEqual({});
    expect(loadReceipt(window.localStorage, scope)).toEqual(stored);
  });

  it('persists each state before the network step that needs it', async () => {
    const seen: unknown[] = [];
    globalThis.fetch = jest.fn((input: RequestInfo | URL, init?: RequestInit) => {
      seen.push({ path: String(input), state: loadTokenState(window.localStorage, scope) });
      return api.fetch(input, init);
    });
    await submitAnonymously(request());

    const [issue, submit] = seen as { path: string; state: Record<string, unknown> }[];
    expect(issue!.path).toBe('/api/cycles/cycle-1/tokens');
    expect(issue!.state).toMatchObject({ stage: 'blinded' });
    expect(issue!.state).toHaveProperty('preparedMsg');
    expect(issue!.state).toHaveProperty('inv');
    expect(submit!.path).toBe('/api/responses');
    expect(submit!.state).toMatchObject({ stage: 'signed', attempted: [answers] });
  });

  describe.each([
    ['the token request never reached the server', /tokens/, 'drop-before'],
    ['the token was signed but the answer was lost', /tokens/, 'drop-after'],
    ['the submission never reached the server', /responses/, 'drop-before'],
    ['the submission was stored but the receipt was lost', /responses/, 'drop-after'],
  ] as const)('after a dropped connection: %s', (_label, pattern, fault) => {
    it('resumes with the same token and counts the response once', async () => {
      api.failNext(pattern, fault);
      await expect(submitAnonymously(request())).rejects.toBeInstanceOf(NetworkError);
      const pending = loadTokenState(window.localStorage, scope);
      expect(pending).not.toBeNull();

      const stored = await submitAnonymously(request());
      expect(stored.receipt.cycleId).toBe('cycle-1');
      expect(stored.keptEarlierAnswers).toBe(false);
      expect(api.responses).toHaveLength(1);
      expect(api.signedMessages).toBe(1);

      const submitted = api.requests.filter((r) => r.path === '/api/responses').at(-1)!.body as {
        token: string;
      };
      expect(submitted.token).toBe(pending!.preparedMsg);
      expect(loadTokenState(window.localStorage, scope)).toBeNull();
    });
  });

  describe.each([
    ['while the token request is in flight', /tokens/, 'blinded'],
    ['while the submission is in flight', /responses/, 'signed'],
  ] as const)('after the tab is closed %s', (_label, pattern, stage) => {
    it('a fresh run picks up the stored state and sends the same token', async () => {
      await crashDuring(pattern, () => submitAnonymously(request()));
      const pending = loadTokenState(window.localStorage, scope);
      expect(pending?.stage).toBe(stage);

      // A new page load: nothing in memory, only localStorage.
      const stored = await submitAnonymously(request());
      expect(stored.receipt.replayed).toBe(false);
      expect(api.responses).toHaveLength(1);
      expect(api.signedMessages).toBe(1);
      const blinded = api.requests
        .filter((r) => r.path.endsWith('/tokens'))
        .map((r) => JSON.stringify(r.body));
      expect(new Set(blinded).size).toBe(1);
      const submitted = api.requests.filter((r) => r.path === '/api/responses').at(-1)!.body as {
        token: string;
      };
      expect(submitted.token).toBe(pending!.preparedMsg);
    });
  });

  it('a replayed receipt after a lost answer is accepted as success', async () => {
    api.failNext(/responses/, 'drop-after');
    await expect(submitAnonymously(request())).rejects.toThrow();
    const stored = await submitAnonymously(request());
    expect(stored.receipt.replayed).toBe(true);
    expect(api.responses).toHaveLength(1);
  });

  it('recovers the receipt when earlier answers arrived and the person then changed them', async () => {
    api.failNext(/responses/, 'drop-after');
    await expect(submitAnonymously(request())).rejects.toThrow();

    const changed = { ...answers, ps4: 1 };
    const stored = await submitAnonymously(request({ answers: changed }));
    expect(stored.keptEarlierAnswers).toBe(true);
    expect(api.responses).toEqual([answers]);
  });

  it('reports a spent token it cannot recover', async () => {
    api.respondNext(/responses/, 409, {
      statusCode: 409,
      error: 'Conflict',
      code: 'TOKEN_SPENT',
      message: 'x',
    });
    await expect(submitAnonymously(request())).rejects.toBeInstanceOf(AnswersAlreadyRecordedError);
  });

  it('reports a token taken in another browser and forgets the useless local one', async () => {
    api.respondNext(/tokens/, 409, {
      statusCode: 409,
      error: 'Conflict',
      code: 'TOKEN_ISSUED',
      message: 'x',
    });
    await expect(submitAnonymously(request())).rejects.toBeInstanceOf(TokenTakenElsewhereError);
    expect(loadTokenState(window.localStorage, scope)).toBeNull();
  });

  it('reports a closed cycle and clears what can no longer be used', async () => {
    saveAnswers(window.localStorage, scope, answers);
    api.failNext(/responses/, 'drop-before');
    await expect(submitAnonymously(request())).rejects.toThrow();
    api.closeCycle('cycle-1');
    await expect(submitAnonymously(request())).rejects.toBeInstanceOf(CycleClosedError);
    expect(window.localStorage.getItem(storageKey(scope, 'token'))).toBeNull();
    expect(window.localStorage.getItem(storageKey(scope, 'answers'))).toBeNull();
  });

  it('passes field errors through and does not count invalid answers as attempted', async () => {
    api.respondNext(/responses/, 400, {
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION',
      message: 'Invalid answers',
      fields: { 'answers.ps3': ['must be a whole number from 1 to 7'] },
    });
    await expect(submitAnonymously(request())).rejects.toMatchObject({
      status: 400,
      fields: { 'answers.ps3': ['must be a whole number from 1 to 7'] },
    });
    expect(loadTokenState(window.localStorage, scope)).toMatchObject({ stage: 'signed', attempted: [] });
  });

  it('will not take a network step when the state cannot be saved', async () => {
    const setItem = jest.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await expect(submitAnonymously(request())).rejects.toThrow(/local storage/);
    expect(api.requests).toHaveLength(0);
    setItem.mockRestore();
  });
});
