import {
  isRecord,
  readJson,
  removeKey,
  StorageUnavailableError,
  writeJson,
  type StorageLike,
} from './storage';
import {
  clearAnswers,
  isAnswers,
  isTokenState,
  loadAnswers,
  loadReceipt,
  loadTokenState,
  saveAnswers,
  saveTokenState,
  storageKey,
} from './survey-storage';

/** An in-memory Storage; `failWrites` makes setItem throw like a full or blocked storage. */
function memoryStorage(failWrites = false): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      if (failWrites) throw new Error('QuotaExceededError');
      data.set(key, value);
    },
    removeItem: (key) => void data.delete(key),
  };
}

const isNumberList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'number');

describe('storage', () => {
  it('reads back what it wrote when the guard accepts it', () => {
    const storage = memoryStorage();
    writeJson(storage, 'k', [1, 2, 3]);
    expect(storage.data.get('k')).toBe('[1,2,3]');
    expect(readJson(storage, 'k', isNumberList)).toEqual([1, 2, 3]);
  });

  it('reads null for a missing key, broken JSON, a shape the guard refuses, or no storage', () => {
    const storage = memoryStorage();
    expect(readJson(storage, 'missing', isNumberList)).toBeNull();
    storage.data.set('broken', '{"a":');
    expect(readJson(storage, 'broken', isNumberList)).toBeNull();
    storage.data.set('other', '{"a":1}');
    expect(readJson(storage, 'other', isNumberList)).toBeNull();
    expect(readJson(null, 'k', isNumberList)).toBeNull();
  });

  it('throws StorageUnavailableError when it cannot write, keeping the cause', () => {
    expect(() => writeJson(null, 'k', 1)).toThrow(StorageUnavailableError);
    try {
      writeJson(memoryStorage(true), 'k', 1);
      throw new Error('no throw');
    } catch (error) {
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect((error as Error).cause).toEqual(new Error('QuotaExceededError'));
    }
  });

  it('removes quietly, even without storage', () => {
    const storage = memoryStorage();
    storage.data.set('k', '1');
    removeKey(storage, 'k');
    expect(storage.data.has('k')).toBe(false);
    expect(() => removeKey(null, 'k')).not.toThrow();
  });

  it('tells records from arrays and null', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord('x')).toBe(false);
  });
});

describe('survey storage', () => {
  const scope = { userId: 'u1', cycleId: 'c1' };

  it('keys each person, cycle and kind apart', () => {
    expect(storageKey(scope, 'answers')).toBe('candor:v1:u1:c1:answers');
    expect(storageKey({ userId: 'u2', cycleId: 'c1' }, 'token')).toBe('candor:v1:u2:c1:token');
  });

  it('accepts answers only as whole numbers on the 1–7 scale', () => {
    expect(isAnswers({ ps1: 1, ps2: 7 })).toBe(true);
    expect(isAnswers({})).toBe(true);
    expect(isAnswers({ ps1: 0 })).toBe(false);
    expect(isAnswers({ ps1: 8 })).toBe(false);
    expect(isAnswers({ ps1: 3.5 })).toBe(false);
    expect(isAnswers({ ps1: '4' })).toBe(false);
    expect(isAnswers([4])).toBe(false);
  });

  it('accepts a token state only with every field of its stage', () => {
    expect(isTokenState({ stage: 'blinded', preparedMsg: 'p', blindedMsg: 'b', inv: 'i' })).toBe(true);
    expect(isTokenState({ stage: 'blinded', preparedMsg: 'p', blindedMsg: '', inv: 'i' })).toBe(false);
    expect(isTokenState({ stage: 'signed', preparedMsg: 'p', signature: 's', attempted: [{ a: 2 }] })).toBe(
      true,
    );
    expect(isTokenState({ stage: 'signed', preparedMsg: 'p', signature: 's', attempted: [{ a: 9 }] })).toBe(
      false,
    );
    expect(isTokenState({ stage: 'signed', preparedMsg: 'p', signature: 's' })).toBe(false);
    expect(isTokenState({ stage: 'spent' })).toBe(false);
  });

  it('keeps answers in progress, and starts empty when they are missing or tampered with', () => {
    const storage = memoryStorage();
    expect(loadAnswers(storage, scope)).toEqual({});
    saveAnswers(storage, scope, { ps1: 5 });
    expect(loadAnswers(storage, scope)).toEqual({ ps1: 5 });
    storage.data.set(storageKey(scope, 'answers'), '{"ps1":99}');
    expect(loadAnswers(storage, scope)).toEqual({});
    clearAnswers(storage, scope);
    expect(storage.data.size).toBe(0);
  });

  it('loses answers quietly when storage is blocked, but refuses to go on with an unsaved token', () => {
    expect(() => saveAnswers(memoryStorage(true), scope, { ps1: 5 })).not.toThrow();
    expect(() =>
      saveTokenState(memoryStorage(true), scope, {
        stage: 'blinded',
        preparedMsg: 'p',
        blindedMsg: 'b',
        inv: 'i',
      }),
    ).toThrow(StorageUnavailableError);
  });

  it('reads back a token state and a receipt only in their own shape', () => {
    const storage = memoryStorage();
    saveTokenState(storage, scope, { stage: 'signed', preparedMsg: 'p', signature: 's', attempted: [] });
    expect(loadTokenState(storage, scope)).toEqual({
      stage: 'signed',
      preparedMsg: 'p',
      signature: 's',
      attempted: [],
    });
    storage.data.set(
      storageKey(scope, 'receipt'),
      JSON.stringify({ keptEarlierAnswers: false, receipt: { receiptId: 'r', cycleId: 'c1', teamId: 't' } }),
    );
    expect(loadReceipt(storage, scope)?.receipt.receiptId).toBe('r');
    storage.data.set(storageKey(scope, 'receipt'), JSON.stringify({ receipt: { receiptId: 'r' } }));
    expect(loadReceipt(storage, scope)).toBeNull();
  });
});
