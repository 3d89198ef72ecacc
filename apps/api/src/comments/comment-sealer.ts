import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';

/** Every sealed comment has the same size: text and reply hash are padded to this many bytes. */
export const COMMENT_PAD_TO = 4096;
export const COMMENT_PURPOSE = 'comment';

/**
 * What comments need from sealing (issue 12): seal a comment while its cycle is open, open a
 * cycle's comments once at close (before the cycle's data key is erased). Purpose 'comment',
 * padded to COMMENT_PAD_TO bytes.
 */
export interface CommentSealer {
  seal(manager: EntityManager, cycleId: string, plaintext: Buffer): Promise<Buffer>;
  openerFor(manager: EntityManager, cycleId: string): Promise<(blob: Buffer) => Buffer>;
  /** Called at close after the comments were released; a no-op where the cycle key is erased elsewhere. */
  erase(manager: EntityManager, cycleIds: string[]): Promise<void>;
}

export const COMMENT_SEALER = Symbol('CommentSealer');

const aad = (cycleId: string, what: string) => Buffer.from(`candor/${what}/${cycleId}`);

function encrypt(key: Buffer, plaintext: Buffer, data: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(data);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, blob: Buffer, data: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
  decipher.setAAD(data);
  decipher.setAuthTag(blob.subarray(12, 28));
  return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
}

/**
 * TEMPORARY sealer, until the SealingService of issue 12 (branch issue-seal) is merged and backs
 * CommentSealer (the lead wires it; see the report of issue 16). It is real encryption, not a
 * padding-only stand-in: each cycle gets a random AES-256-GCM data key on its first comment,
 * stored only wrapped under a key-encryption key derived (HKDF) from JWT_SECRET, which is not in
 * the database; the key row is deleted at close. Its weakness, and why it is temporary: the KEK
 * is the session secret (one secret, two jobs; rotating one rotates the other).
 */
@Injectable()
export class TemporaryCommentSealer implements CommentSealer {
  private readonly kek: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.kek = Buffer.from(
      hkdfSync('sha256', config.jwt.secret, 'candor', 'candor/comment-kek', 32) as ArrayBuffer,
    );
  }

  private async dataKey(manager: EntityManager, cycleId: string, create: boolean): Promise<Buffer | null> {
    if (create) {
      await manager.query(
        'INSERT INTO comment_cycle_key (cycle_id, wrapped) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [cycleId, encrypt(this.kek, randomBytes(32), aad(cycleId, 'comment-key'))],
      );
    }
    const rows: { wrapped: Buffer }[] = await manager.query(
      'SELECT wrapped FROM comment_cycle_key WHERE cycle_id = $1',
      [cycleId],
    );
    return rows[0] ? decrypt(this.kek, rows[0].wrapped, aad(cycleId, 'comment-key')) : null;
  }

  async seal(manager: EntityManager, cycleId: string, plaintext: Buffer): Promise<Buffer> {
    if (plaintext.length > COMMENT_PAD_TO) throw new RangeError('comment does not fit its padding');
    const key = (await this.dataKey(manager, cycleId, true)) as Buffer;
    const padded = Buffer.alloc(4 + COMMENT_PAD_TO);
    padded.writeUInt32BE(plaintext.length, 0);
    plaintext.copy(padded, 4);
    return encrypt(key, padded, aad(cycleId, COMMENT_PURPOSE));
  }

  async openerFor(manager: EntityManager, cycleId: string): Promise<(blob: Buffer) => Buffer> {
    const key = await this.dataKey(manager, cycleId, false);
    return (blob) => {
      if (!key) throw new Error('the cycle has no comment key');
      const padded = decrypt(key, blob, aad(cycleId, COMMENT_PURPOSE));
      return Buffer.from(padded.subarray(4, 4 + padded.readUInt32BE(0)));
    };
  }

  async erase(manager: EntityManager, cycleIds: string[]): Promise<void> {
    await manager.query('DELETE FROM comment_cycle_key WHERE cycle_id = ANY($1::uuid[])', [cycleIds]);
  }
}
