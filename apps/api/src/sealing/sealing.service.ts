import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { type SealingKey } from '../config/sealing-keys';

/**
 * The data key of a cycle cannot be used: its wrapping key-encryption key (KEK) is not configured,
 * the wrapped key does not authenticate under it, or the cycle has no data key (it was erased at
 * close). Callers turn it into 503 `sealing_key_unavailable` (submission) or a refused close.
 */
export class SealingKeyUnavailableError extends Error {
  constructor(
    public readonly cycleId: string,
    public readonly reason: string,
  ) {
    super(`The sealing key of cycle ${cycleId} is unavailable: ${reason}`);
    this.name = 'SealingKeyUnavailableError';
  }
}

/** A sealed blob is not a well-formed seal of this cycle and purpose (tampered or misplaced). */
export class SealedBlobError extends Error {}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const LENGTH_BYTES = 4;
/** Blob layout: version (1) | iv (12) | tag (16) | AES-256-GCM(length (4, BE) | plaintext | zeros). */
const BLOB_VERSION = 1;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** Data keys of open cycles kept in memory, so a submission does not read and unwrap its key. */
const KEY_CACHE_SIZE = 1000;
const KEY_CACHE_TTL_MS = 5 * 60_000;

interface CycleKeyRow {
  cycle_id: string;
  kek_id: string;
  wrapped_key: Buffer;
  iv: Buffer;
  tag: Buffer;
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; data: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

/** Throws when the tag does not verify. */
function decrypt(key: Buffer, iv: Buffer, tag: Buffer, data: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

const wrapAad = (cycleId: string) => Buffer.from(`candor/cycle-key/${cycleId}`);
const sealAad = (cycleId: string, purpose: string) => Buffer.from(`candor/sealed/${cycleId}/${purpose}`);

/**
 * Sealing while a cycle is open (issue 12, ADR 0011). Each cycle gets a random 32-byte data key at
 * open, stored only wrapped (AES-256-GCM) by the current key-encryption key, which lives outside
 * the database (`CANDOR_SEALING_KEYS` or `<dataDir>/sealing-keys`). Submissions are padded to a
 * fixed length and sealed under the data key (AAD = cycle id + purpose). At close the data key
 * is unwrapped once, the blobs are opened, and the data key is erased with the signing key, so
 * any copy of a blob left in pages, WAL or backups can never be opened again.
 */
@Injectable()
export class SealingService {
  private readonly keks: Map<string, Buffer>;
  private readonly current: SealingKey;
  private readonly dataKeys = new Map<string, { key: Buffer; at: number }>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const keys = config.sealing.keys;
    if (!keys[0]) throw new Error('No sealing key-encryption key configured (CANDOR_SEALING_KEYS)');
    this.current = keys[0];
    this.keks = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** At cycle open: a fresh data key, stored only wrapped by the current KEK. Idempotent. */
  async createCycleKey(manager: EntityManager, cycleId: string): Promise<void> {
    await this.createCycleKeys(manager, [cycleId]);
  }

  async createCycleKeys(manager: EntityManager, cycleIds: string[]): Promise<void> {
    if (cycleIds.length === 0) return;
    const rows = cycleIds.map((id) => {
      const { iv, tag, data } = encrypt(this.current.key, randomBytes(32), wrapAad(id));
      return { id, iv, tag, data };
    });
    await manager.query(
      `INSERT INTO cycle_key (cycle_id, kek_id, wrapped_key, iv, tag)
       SELECT id, $2, w, i, t FROM unnest($1::uuid[], $3::bytea[], $4::bytea[], $5::bytea[]) AS u(id, w, i, t)
       ON CONFLICT (cycle_id) DO NOTHING`,
      [
        rows.map((r) => r.id),
        this.current.id,
        rows.map((r) => r.data),
        rows.map((r) => r.iv),
        rows.map((r) => r.tag),
      ],
    );
  }

  private unwrap(row: CycleKeyRow): Buffer {
    const kek = this.keks.get(row.kek_id);
    if (!kek)
      throw new SealingKeyUnavailableError(
        row.cycle_id,
        `key-encryption key "${row.kek_id}" is not configured (CANDOR_SEALING_KEYS)`,
      );
    try {
      return decrypt(kek, row.iv, row.tag, row.wrapped_key, wrapAad(row.cycle_id));
    } catch {
      throw new SealingKeyUnavailableError(
        row.cycle_id,
        `the wrapped key does not authenticate under key-encryption key "${row.kek_id}"`,
      );
    }
  }

  private async readKeys(manager: EntityManager, cycleIds: string[]): Promise<Map<string, CycleKeyRow>> {
    const rows: CycleKeyRow[] = await manager.query(
      'SELECT cycle_id, kek_id, wrapped_key, iv, tag FROM cycle_key WHERE cycle_id = ANY($1::uuid[])',
      [cycleIds],
    );
    return new Map(rows.map((r) => [r.cycle_id, r]));
  }

  /**
   * The data key of an open cycle, from memory or unwrapped from its row. A cycle opened before
   * sealing existed (or inserted by hand) gets its key here, once.
   */
  private async dataKey(manager: EntityManager, cycleId: string): Promise<Buffer> {
    const cached = this.dataKeys.get(cycleId);
    if (cached && Date.now() - cached.at < KEY_CACHE_TTL_MS) return cached.key;
    let row = (await this.readKeys(manager, [cycleId])).get(cycleId);
    if (!row) {
      await this.createCycleKey(manager, cycleId);
      row = (await this.readKeys(manager, [cycleId])).get(cycleId);
      if (!row) throw new SealingKeyUnavailableError(cycleId, 'the cycle has no data key');
    }
    const key = this.unwrap(row);
    if (this.dataKeys.size >= KEY_CACHE_SIZE)
      this.dataKeys.delete(this.dataKeys.keys().next().value as string);
    this.dataKeys.set(cycleId, { key, at: Date.now() });
    return key;
  }

  /**
   * Pads `plaintext` to `padTo` bytes (length-prefixed, so every seal of a purpose has the same
   * size) and seals it under the cycle's data key with AAD = cycle id + purpose.
   */
  async seal(
    manager: EntityManager,
    cycleId: string,
    purpose: string,
    plaintext: Buffer,
    padTo: number,
  ): Promise<Buffer> {
    if (plaintext.length > padTo)
      throw new RangeError(`plaintext of ${plaintext.length} bytes does not fit the padded ${padTo}`);
    const key = await this.dataKey(manager, cycleId);
    const padded = Buffer.alloc(LENGTH_BYTES + padTo);
    padded.writeUInt32BE(plaintext.length, 0);
    plaintext.copy(padded, LENGTH_BYTES);
    const { iv, tag, data } = encrypt(key, padded, sealAad(cycleId, purpose));
    return Buffer.concat([Buffer.from([BLOB_VERSION]), iv, tag, data]);
  }

  /** An opener for one cycle and purpose: the data key is unwrapped once. */
  async openerFor(
    manager: EntityManager,
    cycleId: string,
    purpose: string,
  ): Promise<(blob: Buffer) => Buffer> {
    const openers = await this.openersFor(manager, [cycleId], purpose);
    return openers.get(cycleId) as (blob: Buffer) => Buffer;
  }

  /**
   * Openers for many cycles (one read). Throws SealingKeyUnavailableError if any cycle's key
   * cannot be unwrapped; a cycle without a data key gets an opener that throws it when used.
   */
  async openersFor(
    manager: EntityManager,
    cycleIds: string[],
    purpose: string,
  ): Promise<Map<string, (blob: Buffer) => Buffer>> {
    const rows = await this.readKeys(manager, cycleIds);
    const openers = new Map<string, (blob: Buffer) => Buffer>();
    for (const cycleId of cycleIds) {
      const row = rows.get(cycleId);
      if (!row) {
        openers.set(cycleId, () => {
          throw new SealingKeyUnavailableError(cycleId, 'the cycle has no data key');
        });
        continue;
      }
      const key = this.unwrap(row);
      const aad = sealAad(cycleId, purpose);
      openers.set(cycleId, (blob: Buffer) => {
        if (blob.length < HEADER_BYTES + LENGTH_BYTES || blob[0] !== BLOB_VERSION)
          throw new SealedBlobError('not a sealed blob');
        let padded: Buffer;
        try {
          padded = decrypt(
            key,
            blob.subarray(1, 1 + IV_BYTES),
            blob.subarray(1 + IV_BYTES, HEADER_BYTES),
            blob.subarray(HEADER_BYTES),
            aad,
          );
        } catch {
          throw new SealedBlobError('the sealed blob does not authenticate for this cycle and purpose');
        }
        const length = padded.readUInt32BE(0);
        if (length > padded.length - LENGTH_BYTES) throw new SealedBlobError('bad padded length');
        return Buffer.from(padded.subarray(LENGTH_BYTES, LENGTH_BYTES + length));
      });
    }
    return openers;
  }

  /** At close, together with the signing key: the data key is gone, so no blob opens again. */
  async eraseCycleKey(manager: EntityManager, cycleId: string): Promise<void> {
    await this.eraseCycleKeys(manager, [cycleId]);
  }

  async eraseCycleKeys(manager: EntityManager, cycleIds: string[]): Promise<void> {
    if (cycleIds.length === 0) return;
    await manager.query('DELETE FROM cycle_key WHERE cycle_id = ANY($1::uuid[])', [cycleIds]);
    for (const id of cycleIds) this.dataKeys.delete(id);
  }
}
