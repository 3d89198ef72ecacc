import { type EntityManager } from 'typeorm';
import { type SealingService } from '../sealing/sealing.service';

/** Every sealed comment has the same size: text and reply hash are padded to this many bytes. */
export const COMMENT_PAD_TO = 4096;
export const COMMENT_PURPOSE = 'comment';

/**
 * What comments need from sealing (issue 12): seal a comment while its cycle is open, open a
 * cycle's comments once at close, before the cycle's data key is erased.
 */
export interface CommentSealer {
  seal(manager: EntityManager, cycleId: string, plaintext: Buffer): Promise<Buffer>;
  openerFor(manager: EntityManager, cycleId: string): Promise<(blob: Buffer) => Buffer>;
}

export const COMMENT_SEALER = Symbol('CommentSealer');

/**
 * Comments sealed by the SealingService, under the cycle's data key (the one that seals its
 * answers; kept wrapped by a key-encryption key outside the database, erased at close), with
 * purpose 'comment' (so an answer blob never opens as a comment, nor the reverse) and padded to
 * COMMENT_PAD_TO bytes (so a blob's size says nothing of the comment's length).
 */
export function sealedComments(sealing: SealingService): CommentSealer {
  return {
    seal: (manager, cycleId, plaintext) =>
      sealing.seal(manager, cycleId, COMMENT_PURPOSE, plaintext, COMMENT_PAD_TO),
    openerFor: (manager, cycleId) => sealing.openerFor(manager, cycleId, COMMENT_PURPOSE),
  };
}
