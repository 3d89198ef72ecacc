import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CommentAuthor } from '@candor/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CommentCycleRow {
  id: string;
  status: string;
  opens_at: Date;
  closes_at: Date;
  public_key_spki: string;
}

export interface ClosedCycleRow {
  id: string;
  closes_at: Date;
  k: number;
  k_comments: number;
  invited: number;
  /** Responses of the cycle. */
  n: number;
}

export interface CommentRecord {
  id: string;
  cycle_id: string;
  body: string;
  hidden: boolean;
  hidden_reason: string | null;
}

export interface ThreadRecord extends CommentRecord {
  team_id: string;
  team_name: string;
  closes_at: Date;
}

export interface MessageRecord {
  comment_id: string;
  seq: number;
  author: CommentAuthor;
  body: string;
  written_on: string;
}

const MESSAGE_COLUMNS = `comment_id, seq, author, body, to_char(written_on, 'YYYY-MM-DD') AS written_on`;

/** The SQL of comments: typed rows, no rules. */
@Injectable()
export class CommentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The cycle, locked FOR SHARE so a close and a comment serialise (a closed cycle takes none). */
  async lockCycleForComment(tx: EntityManager, cycleId: string): Promise<CommentCycleRow | null> {
    if (!UUID.test(cycleId)) return null;
    const rows: CommentCycleRow[] = await tx.query(
      'SELECT id, status, opens_at, closes_at, public_key_spki FROM cycle WHERE id = $1 FOR SHARE',
      [cycleId],
    );
    return rows[0] ?? null;
  }

  /** True when stored; false when this token already has a comment. */
  async insertSealed(
    tx: EntityManager,
    cycleId: string,
    tag: Buffer,
    digest: Buffer,
    sealed: Buffer,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO comment_sealed (cycle_id, token_tag, digest, sealed) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [cycleId, tag, digest, sealed],
    );
    return rows.length > 0;
  }

  async sealedDigest(tx: EntityManager, cycleId: string, tag: Buffer): Promise<Buffer | null> {
    const rows: { digest: Buffer }[] = await tx.query(
      'SELECT digest FROM comment_sealed WHERE cycle_id = $1 AND token_tag = $2',
      [cycleId, tag],
    );
    return rows[0]?.digest ?? null;
  }

  /** A team's closed cycles with their response count, newest first. */
  closedCycles(teamId: string): Promise<ClosedCycleRow[]> {
    return this.dataSource.query(
      `SELECT c.id, c.closes_at, c.k, c.k_comments, c.invited,
              (SELECT count(*)::int FROM response r WHERE r.cycle_id = c.id) AS n
         FROM cycle c WHERE c.team_id = $1 AND c.status = 'closed'
        ORDER BY c.closes_at DESC, c.id`,
      [teamId],
    );
  }

  /** How many comments each closed cycle of the team released (the value of the count cell). */
  async commentCounts(teamId: string): Promise<Map<string, number>> {
    const rows: { cycle_id: string; n: number }[] = await this.dataSource.query(
      `SELECT m.cycle_id, count(*)::int AS n FROM comment m JOIN cycle c ON c.id = m.cycle_id
        WHERE c.team_id = $1 GROUP BY m.cycle_id`,
      [teamId],
    );
    return new Map(rows.map((r) => [r.cycle_id, r.n]));
  }

  /** Released comments of a team, in their (random) release order. */
  commentsOfTeam(teamId: string): Promise<CommentRecord[]> {
    return this.dataSource.query(
      `SELECT m.id, m.cycle_id, m.body, m.hidden, m.hidden_reason
         FROM comment m JOIN cycle c ON c.id = m.cycle_id
        WHERE c.team_id = $1 ORDER BY m.cycle_id, m.position`,
      [teamId],
    );
  }

  messagesOfTeam(teamId: string): Promise<MessageRecord[]> {
    return this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM comment_message
        WHERE comment_id IN (SELECT m.id FROM comment m JOIN cycle c ON c.id = m.cycle_id WHERE c.team_id = $1)
        ORDER BY comment_id, seq`,
      [teamId],
    );
  }

  messagesOf(tx: EntityManager, commentId: string): Promise<MessageRecord[]> {
    return tx.query(`SELECT ${MESSAGE_COLUMNS} FROM comment_message WHERE comment_id = $1 ORDER BY seq`, [
      commentId,
    ]);
  }

  /** The comment, if it belongs to the team; locked for the change that follows. */
  async commentOfTeam(tx: EntityManager, teamId: string, commentId: string): Promise<CommentRecord | null> {
    const rows: CommentRecord[] = await tx.query(
      `SELECT m.id, m.cycle_id, m.body, m.hidden, m.hidden_reason
         FROM comment m JOIN cycle c ON c.id = m.cycle_id
        WHERE m.id = $1 AND c.team_id = $2 FOR UPDATE OF m`,
      [commentId, teamId],
    );
    return rows[0] ?? null;
  }

  async commentByReplyHash(
    tx: EntityManager,
    replyHash: Buffer,
    lock: boolean,
  ): Promise<ThreadRecord | null> {
    const rows: ThreadRecord[] = await tx.query(
      `SELECT m.id, m.cycle_id, m.body, m.hidden, m.hidden_reason, c.team_id, t.name AS team_name, c.closes_at
         FROM comment m JOIN cycle c ON c.id = m.cycle_id JOIN team t ON t.id = c.team_id
        WHERE m.reply_hash = $1 ${lock ? 'FOR UPDATE OF m' : ''}`,
      [replyHash],
    );
    return rows[0] ?? null;
  }

  /** Appends a message (the comment row is locked by the caller, so seq is taken in turn). */
  async addMessage(
    tx: EntityManager,
    commentId: string,
    author: CommentAuthor,
    body: string,
    now: Date,
  ): Promise<MessageRecord> {
    const rows: MessageRecord[] = await tx.query(
      `INSERT INTO comment_message (comment_id, seq, author, body, written_on)
       SELECT $1, COALESCE(max(seq), 0) + 1, $2, $3, $4::timestamptz::date FROM comment_message WHERE comment_id = $1
       RETURNING ${MESSAGE_COLUMNS}`,
      [commentId, author, body, now.toISOString()],
    );
    return rows[0] as MessageRecord;
  }
}
