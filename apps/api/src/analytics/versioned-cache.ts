/**
 * A bounded, least-recently-used cache of computed analytics results, each stored with the
 * analytics data version (table `analytics_version`) read BEFORE it was computed. A lookup hits
 * only when the stored version equals the current one, so a result is never served once anything
 * it was computed from has changed — on this instance or any other, since the version lives in
 * PostgreSQL and is bumped inside the writing transaction.
 *
 * Values are shared between requests: callers must treat them as immutable.
 * Access checks are never cached: callers check access first, and cache only results that are
 * the same for every viewer allowed to see them.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: bigint; value: T }>();
  private readonly pending = new Map<string, { version: bigint; promise: Promise<T> }>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value cached for `key` at exactly `version`, computing (once per key and version) on a miss. */
  async through(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const v = BigInt(version);
    const hit = this.entries.get(key);
    if (hit && hit.version === v) {
      // Move to the most recently used end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const inFlight = this.pending.get(key);
    if (inFlight && inFlight.version === v) return inFlight.promise;
    const promise = compute();
    this.pending.set(key, { version: v, promise });
    try {
      const value = await promise;
      const current = this.entries.get(key);
      // Never replace a result of a newer version by an older one computed concurrently.
      if (!current || current.version <= v) {
        this.entries.delete(key);
        this.entries.set(key, { version: v, value });
        while (this.entries.size > this.capacity) {
          const oldest = this.entries.keys().next().value;
          if (oldest === undefined) break;
          this.entries.delete(oldest);
        }
      }
      return value;
    } finally {
      if (this.pending.get(key)?.promise === promise) this.pending.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
