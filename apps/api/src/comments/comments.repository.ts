import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CommentAuthor, CommentReportOutcome, InstrumentVersion } from '@candor/contracts';
import { isUuid } from '../common/ids';
import { groupsAbove, groupsBelow } from '../kernel/org-tree.sql';

export interface CommentCycleRow {
  id: string;
  status: string;
  opens_at: Date;
  closes_at: Date;
  public_key_spki: string;
}

/** What the comment rules (decideComments) need of a closed cycle. */
export interface CommentCycleFactsRow {
  k: number;
  k_comments: number;
  invited: number;
  /** Responses of the cycle. */
  n: number;
}

export interface ClosedCycleRow extends CommentCycleFactsRow {
  id: string;
  closes_at: Date;
}

/** A reported or hidden comment with its team, its cycle (closing day only) and the cycle's facts. */
export interface ModeratedCommentRow extends CommentCycleFactsRow {
  id: string;
  body: string;
  hidden: boolean;
  hidden_reason: string | null;
  cycle_id: string;
  cycle_status: string;
  closes_on: string;
  team_id: string;
  team_name: string;
  open_reports: string[];
}

/** A closed cycle's facts and how many comments its close released (the value of the count cell). */
export interface CycleCountFacts extends CommentCycleFactsRow {
  cycle_id: string;
  instrument_version: InstrumentVersion;
  closes_on: string;
  comments: number;
}

/** A team under a group with its latest closed cycle of one instrument, or none (nulls). */
export type LatestCycleCountRow = { team_id: string; team_name: string } & (
  CycleCountFacts | { cycle_id: null }
);

/** The facts of a cycle, its response count, and its closing day (UTC), for the comment rules. */
const CYCLE_FACTS = `c.k, c.k_comments, c.invited,
  (SELECT count(*)::int FROM response r WHERE r.cycle_id = c.id) AS n,
  to_char(c.closes_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS closes_on`;

const MODERATED_SELECT = `SELECT m.id, m.body, m.hidden, m.hidden_reason, c.id AS cycle_id, c.status AS cycle_status,
        ${CYCLE_FACTS}, t.id AS team_id, t.name AS team_name,
        COALESCE(array_agg(p.reason ORDER BY p.id) FILTER (WHERE p.id IS NOT NULL AND p.resolution IS NULL), '{}') AS open_reports
   FROM comment m JOIN cycle c ON c.id = m.cycle_id JOIN team t ON t.id = c.team_id
   LEFT JOIN comment_report p ON p.comment_id = m.id`;

/** A comment with a report no admin has resolved yet. */
const HAS_OPEN_REPORT =
  'EXISTS (SELECT 1 FROM comment_report o WHERE o.comment_id = m.id AND o.resolution IS NULL)';

export interface CommentRecord {
  id: string;
  cycle_id: string;
  body: string;
  hidden: boolean;
  hidden_reason: string | null;
}

export interface TeamCommentRecord extends CommentRecord {
  reported: boolean;
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
    if (!isUuid(cycleId)) return null;
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

  /** Released comments of a team, in their (random) release order, and whether a report is open. */
  commentsOfTeam(teamId: string): Promise<TeamCommentRecord[]> {
    return this.dataSource.query(
      `SELECT m.id, m.cycle_id, m.body, m.hidden, m.hidden_reason, ${HAS_OPEN_REPORT} AS reported
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

  async setHidden(tx: EntityManager, commentId: string, reason: string | null): Promise<void> {
    await tx.query('UPDATE comment SET hidden = $2, hidden_reason = $3 WHERE id = $1', [
      commentId,
      reason !== null,
      reason,
    ]);
  }

  async addReport(tx: EntityManager, commentId: string, reason: string): Promise<void> {
    await tx.query('INSERT INTO comment_report (comment_id, reason) VALUES ($1, $2)', [commentId, reason]);
  }

  /** Closes the comment's open reports with the admin's outcome; how many there were. */
  async resolveReports(tx: EntityManager, commentId: string, outcome: CommentReportOutcome): Promise<number> {
    // Counted in SQL: TypeORM answers an UPDATE with [rows, affected], not the rows alone.
    const rows: { n: number }[] = await tx.query(
      `WITH closed AS (
         UPDATE comment_report SET resolution = $2 WHERE comment_id = $1 AND resolution IS NULL RETURNING 1
       )
       SELECT count(*)::int AS n FROM closed`,
      [commentId, outcome],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Comments with an open report or hidden, across teams: open reports first, then by team name and
   * newest cycle, in each cycle in the (random) release order. At most `limit` rows.
   */
  moderatedComments(limit: number): Promise<ModeratedCommentRow[]> {
    return this.dataSource.query(
      `${MODERATED_SELECT}
        WHERE m.hidden OR ${HAS_OPEN_REPORT}
        GROUP BY m.id, c.id, t.id
        ORDER BY ${HAS_OPEN_REPORT} DESC, lower(t.name), t.id, c.closes_at DESC, c.id, m.position
        LIMIT $1`,
      [limit],
    );
  }

  /** How many comments have an open report. */
  async openReportCount(): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM comment m WHERE ${HAS_OPEN_REPORT}`,
    );
    return rows[0]?.n ?? 0;
  }

  /** One comment as admins moderate it, locked for the change that follows. */
  async moderatedComment(tx: EntityManager, commentId: string): Promise<ModeratedCommentRow | null> {
    await tx.query('SELECT 1 FROM comment WHERE id = $1 FOR UPDATE', [commentId]);
    const rows: ModeratedCommentRow[] = await tx.query(
      `${MODERATED_SELECT} WHERE m.id = $1 GROUP BY m.id, c.id, t.id`,
      [commentId],
    );
    return rows[0] ?? null;
  }

  /** The group exists, and whether the person directs it or a group above it. */
  async groupAccess(groupId: string, userId: string): Promise<{ exists: boolean; directs: boolean }> {
    const rows: { exists: boolean; directs: boolean }[] = await this.dataSource.query(
      `WITH RECURSIVE ${groupsAbove('up', '(SELECT id FROM org_group WHERE id = $1)')}
       SELECT EXISTS (SELECT 1 FROM org_group WHERE id = $1) AS exists,
              EXISTS (SELECT 1 FROM director_scope d JOIN up ON up.id = d.group_id WHERE d.user_id = $2) AS directs`,
      [groupId, userId],
    );
    return rows[0] ?? { exists: false, directs: false };
  }

  /**
   * Every team under the group (today's tree) with its latest closed cycle of each instrument, that
   * cycle's facts and how many comments its close released; a team without a closed cycle has one
   * row of nulls.
   */
  latestClosedCyclesUnder(groupId: string): Promise<LatestCycleCountRow[]> {
    return this.dataSource.query(
      `WITH RECURSIVE ${groupsBelow('sub', '$1::uuid')}
       SELECT t.id AS team_id, t.name AS team_name, l.id AS cycle_id, l.instrument_version, l.closes_on,
              l.k, l.k_comments, l.invited, l.n, l.comments
         FROM sub JOIN team t ON t.group_id = sub.id
         LEFT JOIN LATERAL (
           SELECT DISTINCT ON (split_part(c.instrument_version, '@', 1))
                  c.id, c.instrument_version, ${CYCLE_FACTS},
                  (SELECT count(*)::int FROM comment m WHERE m.cycle_id = c.id) AS comments
             FROM cycle c WHERE c.team_id = t.id AND c.status = 'closed'
            ORDER BY split_part(c.instrument_version, '@', 1), c.closes_at DESC, c.id
         ) l ON true
        ORDER BY lower(t.name), t.id, l.instrument_version`,
      [groupId],
    );
  }

  /** The names of the team's active members and leads, for its members' comment warnings. */
  async rosterNames(teamId: string): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT DISTINCT u.name FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.team_id = $1 AND u.active ORDER BY u.name`,
      [teamId],
    );
    return rows.map((r) => r.name);
  }
}
