import { randomInt } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { decideComments } from '@candor/disclosure';
import { type CommentSealer } from './comment-sealer';
import { decodeSealedComment } from './comment-payload';

interface CloseFacts {
  id: string;
  k: number;
  k_comments: number;
  invited: number;
  n: number;
}

/** Fisher–Yates with the crypto random source: the order the comments are written in at close. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * Releases the comments of cycles being closed, inside the close transaction (CycleService
 * closeMany). It must run while the cycles' data keys still exist and before their spent tokens
 * are deleted. For each cycle whose comments the rules allow (closed, n ≥ k, n ≥ k_comments, see
 * decideComments) the sealed comments are opened and written to `comment` in a random order
 * (`position` is that order; the ids are random), with no time; the others are never opened.
 * Then every sealed copy is deleted; the caller erases the cycles' data keys right after, so no
 * copy of an unreleased comment left in pages, WAL or backups can ever be opened. Returns how many comments were released (for the tests and logs;
 * never which).
 */
export async function releaseComments(
  tx: EntityManager,
  cycleIds: string[],
  sealer: CommentSealer,
): Promise<number> {
  if (cycleIds.length === 0) return 0;
  const facts: CloseFacts[] = await tx.query(
    `SELECT c.id, c.k, c.k_comments, c.invited,
            (SELECT count(*)::int FROM response r WHERE r.cycle_id = c.id) AS n
       FROM cycle c
      WHERE c.id = ANY($1::uuid[]) AND EXISTS (SELECT 1 FROM comment_sealed s WHERE s.cycle_id = c.id)
      ORDER BY c.id`,
    [cycleIds],
  );
  let released = 0;
  for (const f of facts) {
    const decision = decideComments({
      id: f.id,
      closed: true,
      n: f.n,
      k: f.k,
      kComments: f.k_comments,
      invited: f.invited,
    });
    if (!decision.released) continue;
    const blobs: { sealed: Buffer }[] = await tx.query(
      'SELECT sealed FROM comment_sealed WHERE cycle_id = $1',
      [f.id],
    );
    const open = await sealer.openerFor(tx, f.id);
    const comments = shuffle(
      blobs.flatMap((b) => {
        try {
          return [decodeSealedComment(open(b.sealed))];
        } catch {
          return []; // a blob that does not open for this cycle (tampered) is dropped, not released
        }
      }),
    );
    if (comments.length === 0) continue;
    const rows: unknown[] = await tx.query(
      `INSERT INTO comment (cycle_id, position, body, reply_hash)
       SELECT $1, p, b, h FROM unnest($2::int[], $3::text[], $4::bytea[]) WITH ORDINALITY AS u(p, b, h, o)
        ORDER BY o
       ON CONFLICT (reply_hash) DO NOTHING
       RETURNING 1`,
      [f.id, comments.map((_, i) => i + 1), comments.map((c) => c.text), comments.map((c) => c.replyHash)],
    );
    released += rows.length;
  }
  await tx.query('DELETE FROM comment_sealed WHERE cycle_id = ANY($1::uuid[])', [cycleIds]);
  return released;
}
