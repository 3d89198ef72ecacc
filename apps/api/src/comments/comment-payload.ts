import { COMMENT_MAX_BYTES } from '@candor/contracts';

/** SHA-256 of the reply secret. */
export const REPLY_HASH_BYTES = 32;

export interface CommentPayload {
  replyHash: Buffer;
  text: string;
}

/** What is sealed: the reply-secret hash (32 bytes), then the text as UTF-8. */
export function encodeSealedComment(p: CommentPayload): Buffer {
  return Buffer.concat([p.replyHash, Buffer.from(p.text, 'utf8')]);
}

export function decodeSealedComment(plain: Buffer): CommentPayload {
  if (plain.length < REPLY_HASH_BYTES || plain.length > REPLY_HASH_BYTES + COMMENT_MAX_BYTES)
    throw new RangeError('not a sealed comment');
  return {
    replyHash: Buffer.from(plain.subarray(0, REPLY_HASH_BYTES)),
    text: plain.subarray(REPLY_HASH_BYTES).toString('utf8'),
  };
}
