import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  COMMENT_MAX_BYTES,
  type CommentModerationResponse,
  type CommentReceipt,
  type CommentReportOutcome,
  type CycleComments,
  type GroupCommentCountsResponse,
  type ModeratedComment,
  type TeamCommentCount,
  type TeamRosterNamesResponse,
  type LeadComment,
  type TeamCommentsResponse,
  type ThreadMessage,
  type ThreadResponse,
} from '@candor/contracts';
import { decideComments, releaseCell } from '@candor/disclosure';
import { AccessService } from '../auth/access.service';
import { type AuthUser } from '../auth/auth.types';
import { CLOCK, type Clock } from '../common/clock';
import { badRequest, conflict, forbidden, gone, notFound, unavailable } from '../common/errors';
import { audit } from '../common/audit-log';
import { isUuid } from '../common/ids';
import { SealingKeyUnavailableError } from '../sealing/sealing.service';
import { NotificationService } from '../notifications/notification.service';
import { fromBase64Url, sha256, TOKEN_BYTES, MODULUS_BYTES, verifyToken } from '../responses/blind-signing';
import { COMMENT_SEALER, type CommentSealer } from './comment-sealer';
import { encodeSealedComment } from './comment-payload';
import {
  CommentsRepository,
  type CommentCycleFactsRow,
  type CommentRecord,
  type MessageRecord,
  type ModeratedCommentRow,
  type TeamCommentRecord,
} from './comments.repository';
import { type SubmitCommentDto } from './dto/comments.dto';

/** The label that makes a comment's token tag differ from the spent-token hash of the same token. */
const TOKEN_TAG_LABEL = 'candor/comment-token\u0000';

function utf8Fits(text: string, field: string): void {
  if (Buffer.byteLength(text, 'utf8') > COMMENT_MAX_BYTES) {
    throw badRequest('too_long', `${field} is too long`, {
      [field]: [`must be at most ${COMMENT_MAX_BYTES} bytes of UTF-8`],
    });
  }
}

/** Most reported or hidden comments the admin list shows at once (open reports come first). */
export const MODERATION_PAGE = 200;

/** The comment rules (gate + k_comments) for a closed cycle's facts as the repository reads them. */
const closedCycleDecision = (id: string, c: CommentCycleFactsRow) =>
  decideComments({ id, closed: true, n: c.n, k: c.k, kComments: c.k_comments, invited: c.invited });

const toMessage = (m: MessageRecord): ThreadMessage => ({
  seq: m.seq,
  author: m.author,
  body: m.body,
  writtenOn: m.written_on,
});

const toModerated = (r: ModeratedCommentRow): ModeratedComment => ({
  id: r.id,
  team: { id: r.team_id, name: r.team_name },
  cycle: { id: r.cycle_id, closesOn: r.closes_on },
  text: r.body,
  hidden: r.hidden,
  hiddenReason: r.hidden_reason,
  openReports: r.open_reports,
});

/**
 * Anonymous comments (docs/adr/0012-anonymous-comments.md): written with the blind token and no
 * credentials, sealed while the cycle is open, released to the team's leads at close where
 * k_comments and the gate allow, answered through a thread that only the reply secret opens.
 * Nothing here logs comment text, tokens or secrets.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: CommentsRepository,
    private readonly notifications: NotificationService,
    private readonly access: AccessService,
    @Inject(COMMENT_SEALER) private readonly sealer: CommentSealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Stores a comment sealed, apart from the answers. The token is the one of the submission:
   * it proves an invitation without saying whose; its tag (not the spent-token hash) makes it one
   * comment per token. The same token with the same comment replays (200); with another, 409.
   */
  async submit(dto: SubmitCommentDto): Promise<CommentReceipt> {
    utf8Fits(dto.text, 'text');
    const token = fromBase64Url(dto.token);
    const signature = fromBase64Url(dto.signature);
    const replyHash = fromBase64Url(dto.replyHash);
    const fields: Record<string, string[]> = {};
    if (!token || token.length !== TOKEN_BYTES) fields.token = [`must be ${TOKEN_BYTES} bytes of base64url`];
    if (!signature || signature.length !== MODULUS_BYTES)
      fields.signature = [`must be ${MODULUS_BYTES} bytes of base64url`];
    if (!replyHash || replyHash.length !== 32) fields.replyHash = ['must be 32 bytes of base64url'];
    if (!token || !signature || !replyHash || Object.keys(fields).length > 0)
      throw badRequest('malformed_token', 'The survey token or reply hash is malformed', fields);
    const now = this.clock.now();
    return this.dataSource.transaction(async (tx) => {
      const cycle = await this.repo.lockCycleForComment(tx, dto.cycleId);
      if (!cycle) throw notFound('Cycle');
      if (cycle.status !== 'open' || now >= new Date(cycle.closes_at))
        throw gone('cycle_closed', 'This survey has closed; comments are no longer accepted');
      if (now < new Date(cycle.opens_at)) throw forbidden('cycle_not_open', 'This survey has not opened yet');
      if (!verifyToken(cycle.public_key_spki, token, signature)) {
        throw badRequest('invalid_signature', 'The token was not signed for this survey', {
          signature: ['does not verify for this survey'],
        });
      }
      const tag = sha256(TOKEN_TAG_LABEL, token);
      const digest = sha256(token, '\u0000', replyHash, '\u0000', dto.text);
      const sealed = await this.sealer
        .seal(tx, cycle.id, encodeSealedComment({ replyHash, text: dto.text }))
        .catch((err: unknown) => {
          if (err instanceof SealingKeyUnavailableError) {
            throw unavailable(
              'sealing_key_unavailable',
              'Comments cannot be stored safely right now (the sealing key is unavailable); try again later',
            );
          }
          throw err;
        });
      const stored = await this.repo.insertSealed(tx, cycle.id, tag, digest, sealed);
      if (stored) return { cycleId: cycle.id, replayed: false };
      const first = await this.repo.sealedDigest(tx, cycle.id, tag);
      if (first?.equals(digest)) return { cycleId: cycle.id, replayed: true };
      throw conflict('comment_already_sent', 'A different comment was already sent with this token');
    });
  }

  /**
   * A team's comments by closed cycle, newest first. Counts go through the gate and k_comments for
   * everyone who may see the team's results; the text only to the team's leads (and admins, who
   * also see hidden text). Never joined with any score.
   */
  async teamComments(user: AuthUser, teamId: string, asAdmin = false): Promise<TeamCommentsResponse> {
    // The team rule of the guard checked that the team exists; the admin route has none.
    if (asAdmin && !(await this.access.teamExists(teamId))) throw notFound('Team');
    const leads = asAdmin || user.teams.get(teamId)?.role === 'lead';
    const cycles = await this.repo.closedCycles(teamId);
    const counts = await this.repo.commentCounts(teamId);
    const comments = leads ? await this.repo.commentsOfTeam(teamId) : [];
    const messages = leads ? await this.repo.messagesOfTeam(teamId) : [];
    const out: CycleComments[] = cycles.map((c) => {
      const decision = closedCycleDecision(c.id, c);
      const own = comments.filter((r) => r.cycle_id === c.id);
      const count = releaseCell(decision, () => ({ count: counts.get(c.id) ?? 0 }));
      const item: CycleComments = {
        cycleId: c.id,
        closesAt: new Date(c.closes_at).toISOString(),
        kComments: c.k_comments,
        count,
      };
      if (leads && count.status === 'released')
        item.comments = own.map((r) => this.leadComment(r, messages, asAdmin));
      return item;
    });
    return { teamId, cycles: out };
  }

  private leadComment(r: TeamCommentRecord, messages: MessageRecord[], asAdmin: boolean): LeadComment {
    return {
      id: r.id,
      text: r.hidden && !asAdmin ? null : r.body,
      hidden: r.hidden,
      hiddenReason: r.hidden_reason,
      reported: r.reported,
      messages: messages.filter((m) => m.comment_id === r.id).map(toMessage),
    };
  }

  private async ownComment(tx: EntityManager, teamId: string, commentId: string): Promise<CommentRecord> {
    if (!isUuid(commentId)) throw notFound('Comment');
    const row = await this.repo.commentOfTeam(tx, teamId, commentId);
    if (!row) throw notFound('Comment');
    return row;
  }

  /** A lead's reply in the thread. */
  async leadMessage(user: AuthUser, teamId: string, commentId: string, body: string): Promise<ThreadMessage> {
    utf8Fits(body, 'body');
    return this.dataSource.transaction(async (tx) => {
      const comment = await this.ownComment(tx, teamId, commentId);
      if (comment.hidden) throw conflict('comment_hidden', 'This comment is hidden; it takes no replies');
      const m = await this.repo.addMessage(tx, comment.id, 'lead', body, this.clock.now());
      await audit(tx, user.id, 'comment.replied', comment.id, {});
      return toMessage(m);
    });
  }

  /** Hides a comment from the team's view, with the reason (audit log). The text is kept for admins. */
  async hide(user: AuthUser, teamId: string, commentId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const comment = await this.ownComment(tx, teamId, commentId);
      await this.repo.setHidden(tx, comment.id, reason);
      await audit(tx, user.id, 'comment.hidden', comment.id, { teamId, reason });
    });
  }

  /**
   * Reports a comment as abusive: an open report for the admins (GET /api/admin/comments) and an
   * audit-log entry, with the reason.
   */
  async report(user: AuthUser, teamId: string, commentId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const comment = await this.ownComment(tx, teamId, commentId);
      await this.repo.addReport(tx, comment.id, reason);
      await audit(tx, user.id, 'comment.reported', comment.id, { teamId, reason });
    });
  }

  /**
   * Admins: reported and hidden comments across teams, with the team, the cycle (its closing day)
   * and the reasons — nothing about the writer. Only comments of cycles the comment rules release
   * (released comments exist for no other cycle; checked again here).
   */
  async moderation(): Promise<CommentModerationResponse> {
    const [rows, openReports] = await Promise.all([
      this.repo.moderatedComments(MODERATION_PAGE + 1),
      this.repo.openReportCount(),
    ]);
    const comments = rows
      .slice(0, MODERATION_PAGE)
      .filter((r) => this.releasedToAdmins(r))
      .map(toModerated);
    return { openReports, comments, truncated: rows.length > MODERATION_PAGE };
  }

  /**
   * Admins settle a reported or hidden comment: keep it hidden (a comment that was only reported is
   * hidden now, with the note as its reason) or restore it to the team's view. The open reports are
   * closed with that outcome; one audit-log row says who, what and why.
   */
  async resolveReport(
    user: AuthUser,
    commentId: string,
    outcome: CommentReportOutcome,
    note: string,
  ): Promise<ModeratedComment> {
    if (!isUuid(commentId)) throw notFound('Comment');
    return this.dataSource.transaction(async (tx) => {
      const row = await this.repo.moderatedComment(tx, commentId);
      if (!row || !this.releasedToAdmins(row)) throw notFound('Comment');
      if (!row.hidden && row.open_reports.length === 0)
        throw conflict('nothing_to_resolve', 'This comment has no open report and is not hidden');
      const hiddenReason = outcome === 'restore' ? null : (row.hidden_reason ?? note);
      await this.repo.setHidden(tx, row.id, hiddenReason);
      const reports = await this.repo.resolveReports(tx, row.id, outcome);
      await audit(tx, user.id, 'comment.report_resolved', row.id, {
        teamId: row.team_id,
        outcome,
        note,
        reports,
      });
      return toModerated({
        ...row,
        hidden: hiddenReason !== null,
        hidden_reason: hiddenReason,
        open_reports: [],
      });
    });
  }

  private releasedToAdmins(r: ModeratedCommentRow): boolean {
    return r.cycle_status === 'closed' && closedCycleDecision(r.cycle_id, r).released;
  }

  /**
   * A director's comment counts: per team under the group, the latest closed cycle of each
   * instrument and its count cell — the same single-cycle cell the team's page shows, decided by
   * the gate and k_comments. Never text. Access as the group views (directors of the group or of a
   * group above it; a refusal is audited).
   */
  async groupCommentCounts(user: AuthUser, groupId: string): Promise<GroupCommentCountsResponse> {
    const access = await this.repo.groupAccess(groupId, user.id);
    if (!access.exists) throw notFound('Group');
    if (!access.directs) {
      await this.access.recordDenial(user, 'GET /api/groups/:groupId/comment-counts', groupId);
      throw forbidden('group_access_denied', 'Only directors of this group or a group above it can see it');
    }
    const teams: GroupCommentCountsResponse['teams'] = [];
    for (const r of await this.repo.latestClosedCyclesUnder(groupId)) {
      let team = teams.at(-1);
      if (team?.id !== r.team_id) {
        team = { id: r.team_id, name: r.team_name, cycles: [] };
        teams.push(team);
      }
      if (r.cycle_id === null) continue;
      const cell: TeamCommentCount = {
        instrument: r.instrument_version,
        cycleId: r.cycle_id,
        closesOn: r.closes_on,
        kComments: r.k_comments,
        count: releaseCell(closedCycleDecision(r.cycle_id, r), () => ({ count: r.comments })),
      };
      team.cycles.push(cell);
    }
    return { groupId, teams };
  }

  /**
   * The names on the team's roster, for the comment box of its members (and leads): a person on a
   * team already knows who is on it; names only, no e-mail or role. Refused (and audited) for
   * anyone else, directors and admins included.
   */
  async rosterNames(user: AuthUser, teamId: string): Promise<TeamRosterNamesResponse> {
    if (!this.access.isMember(user, teamId)) {
      if (!(await this.access.teamExists(teamId))) throw notFound('Team');
      await this.access.recordDenial(user, 'GET /api/teams/:teamId/roster-names', teamId);
      throw forbidden('team_access_denied', 'Only the members of this team can see its names');
    }
    return { teamId, names: await this.repo.rosterNames(teamId) };
  }

  private async byReplySecret(tx: EntityManager, secret: string, lock: boolean) {
    const raw = fromBase64Url(secret);
    if (!raw || raw.length !== 32)
      throw badRequest('invalid_secret', 'The reply code is malformed', {
        secret: ['must be 32 bytes of base64url'],
      });
    const row = await this.repo.commentByReplyHash(tx, sha256(raw), lock);
    if (!row) throw notFound('Thread');
    return row;
  }

  /** The writer's view of their thread, proven by the secret alone (no credentials). */
  async readThread(secret: string): Promise<ThreadResponse> {
    const row = await this.byReplySecret(this.dataSource.manager, secret, false);
    const messages = await this.repo.messagesOf(this.dataSource.manager, row.id);
    return {
      teamName: row.team_name,
      closesAt: new Date(row.closes_at).toISOString().slice(0, 10),
      text: row.body,
      hidden: row.hidden,
      messages: messages.map(toMessage),
    };
  }

  /** The writer answers back in their thread; the team's leads are told, without content. */
  async writerMessage(secret: string, body: string): Promise<ThreadMessage> {
    utf8Fits(body, 'body');
    const { message, teamId } = await this.dataSource.transaction(async (tx) => {
      const row = await this.byReplySecret(tx, secret, true);
      if (row.hidden)
        throw conflict('comment_hidden', 'This comment was hidden by the team lead; it takes no replies');
      const m = await this.repo.addMessage(tx, row.id, 'writer', body, this.clock.now());
      return { message: toMessage(m), teamId: row.team_id };
    });
    await this.notifications.commentActivity(teamId);
    return message;
  }
}
