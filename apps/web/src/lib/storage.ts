/**
 * Small typed wrapper over Web Storage. Values are JSON; reads validate the shape with a guard
 * because anything in localStorage may be stale, edited or written by an older version.
 */

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export class StorageUnavailableError extends Error {
  constructor(cause?: unknown) {
    super(
      'This browser is blocking local storage. Candor needs it to keep your anonymous token safe until your answers are received.',
      { cause },
    );
    this.name = 'StorageUnavailableError';
  }
}

/** `window.localStorage`, or null where the browser refuses access (some privacy modes). */
export function browserStorage(): StorageLike | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function readJson<T>(
  storage: StorageLike | null,
  key: string,
  guard: (value: unknown) => value is T,
): T | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(key);
    if (raw === null) return null;
    const value: unknown = JSON.parse(raw);
    return guard(value) ? value : null;
  } catch {
    return null;
  }
}

/** Writes or throws `StorageUnavailableError`: callers that must not continue unsaved rely on the throw. */
export function writeJson(storage: StorageLike | null, key: string, value: unknown): void {
  if (!storage) throw new StorageUnavailableError();
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch (error) {
    throw new StorageUnavailableError(error);
  }
}

export function removeKey(storage: StorageLike | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Nothing to do: a storage that cannot remove cannot have been written either.
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
