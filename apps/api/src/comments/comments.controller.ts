import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type {
  CommentModerationResponse,
  CommentReceipt,
  GroupCommentCountsResponse,
  ModeratedComment,
  TeamCommentsResponse,
  TeamRosterNamesResponse,
  ThreadMessage,
  ThreadResponse,
} from '@candor/contracts';
import { Authenticated, CurrentUser, Public } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { commentId as commentIdPipe, groupId as groupIdPipe, teamId as teamIdPipe } from '../common/ids';
import { clientAddress, RATE_LIMITED, refundOnServerError, RouteLimits } from '../common/route-limits';
import { CommentsService } from './comments.service';
import {
  CommentMessageDto,
  ModerateCommentDto,
  ResolveCommentReportDto,
  SubmitCommentDto,
  ThreadPostDto,
  ThreadReadDto,
} from './dto/comments.dto';

/**
 * The limit subject of a reply code: the hash the comment row is found by (the DTO has checked
 * the format). SharedLimits stores only a keyed hash of it.
 */
const threadKey = (secret: string) =>
  createHash('sha256').update(Buffer.from(secret, 'base64url')).digest('base64url');

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(
    private readonly comments: CommentsService,
    private readonly limits: RouteLimits,
  ) {}

  /**
   * Anonymous: no credentials are read (a cookie or Authorization header sent along is ignored).
   * The comment is proven by the blind token of the submission and stored apart from the answers.
   */
  @Public()
  @Post('comments')
  @ApiCreatedResponse({ description: 'Stored, sealed until the cycle closes' })
  @ApiOkResponse({ description: 'Identical retry (replayed: true)' })
  @ApiConflictResponse({ description: 'Another comment was already sent with this token' })
  @ApiGoneResponse({ description: 'The cycle has closed' })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  async submit(
    @Body() body: SubmitCommentDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommentReceipt> {
    // Like the submission: per address generously, per token tightly (one comment per token is
    // enforced by the service; this bounds its retries). Counted as keyed hashes.
    const refund = await this.limits.check(res, [
      ['commentPerAddress', clientAddress(req)],
      ['commentPerToken', body.token],
    ]);
    const receipt = await refundOnServerError(() => this.comments.submit(body), refund);
    res.status(receipt.replayed ? 200 : 201);
    return receipt;
  }

  @Authenticated({ team: 'results' })
  @Get('teams/:teamId/comments')
  @ApiOkResponse({
    description: "Comment counts per closed cycle (gate + k_comments); the text for the team's leads",
  })
  teamComments(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
  ): Promise<TeamCommentsResponse> {
    return this.comments.teamComments(user, teamId);
  }

  /** Admins see hidden text too, under the same rules (only released cycles have comments). */
  @Authenticated({ admin: true })
  @Get('admin/teams/:teamId/comments')
  adminTeamComments(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
  ): Promise<TeamCommentsResponse> {
    return this.comments.teamComments(user, teamId, true);
  }

  /** Admins: reported and hidden comments across teams (no writer, no time finer than the cycle). */
  @Authenticated({ admin: true })
  @Get('admin/comments')
  @ApiOkResponse({
    description: 'Reported or hidden comments, open reports first, with team, cycle and reasons',
  })
  moderation(): Promise<CommentModerationResponse> {
    return this.comments.moderation();
  }

  /** Admins settle a report: keep the comment hidden, or restore it to the team's view (audited). */
  @Authenticated({ admin: true })
  @Post('admin/comments/:commentId/resolve')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The comment after the decision; its open reports are closed' })
  @ApiNotFoundResponse({ description: 'No released comment has this id' })
  @ApiConflictResponse({ description: 'The comment has no open report and is not hidden' })
  resolveReport(
    @CurrentUser() user: AuthUser,
    @Param('commentId', commentIdPipe) commentId: string,
    @Body() body: ResolveCommentReportDto,
  ): Promise<ModeratedComment> {
    return this.comments.resolveReport(user, commentId, body.outcome, body.note);
  }

  /** Directors: per team under the group, the comment count of its latest closed cycles (gated). */
  @Authenticated()
  @Get('groups/:groupId/comment-counts')
  @ApiOkResponse({ description: "Per team, the latest closed cycles' comment counts through the gate" })
  groupCommentCounts(
    @CurrentUser() user: AuthUser,
    @Param('groupId', groupIdPipe) groupId: string,
  ): Promise<GroupCommentCountsResponse> {
    return this.comments.groupCommentCounts(user, groupId);
  }

  /** The team's members: the names on its roster, flagged in a comment before it is sent. */
  @Authenticated()
  @Get('teams/:teamId/roster-names')
  @ApiOkResponse({ description: "Names of the team's active members and leads (members of the team only)" })
  rosterNames(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
  ): Promise<TeamRosterNamesResponse> {
    return this.comments.rosterNames(user, teamId);
  }

  @Authenticated({ team: 'lead' })
  @Post('teams/:teamId/comments/:commentId/messages')
  @ApiCreatedResponse({ description: 'The reply, added to the thread' })
  leadMessage(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
    @Param('commentId', commentIdPipe) commentId: string,
    @Body() body: CommentMessageDto,
  ): Promise<ThreadMessage> {
    return this.comments.leadMessage(user, teamId, commentId, body.body);
  }

  @Authenticated({ team: 'lead' })
  @Post('teams/:teamId/comments/:commentId/hide')
  @HttpCode(204)
  async hide(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
    @Param('commentId', commentIdPipe) commentId: string,
    @Body() body: ModerateCommentDto,
  ): Promise<void> {
    await this.comments.hide(user, teamId, commentId, body.reason);
  }

  @Authenticated({ team: 'lead' })
  @Post('teams/:teamId/comments/:commentId/report')
  @HttpCode(204)
  async report(
    @CurrentUser() user: AuthUser,
    @Param('teamId', teamIdPipe) teamId: string,
    @Param('commentId', commentIdPipe) commentId: string,
    @Body() body: ModerateCommentDto,
  ): Promise<void> {
    await this.comments.report(user, teamId, commentId, body.reason);
  }

  /** The writer reads their thread by proving the reply secret; no credentials. */
  @Public()
  @Post('threads/read')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No released comment has this reply secret' })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  async readThread(
    @Body() body: ThreadReadDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ThreadResponse> {
    // The home page asks once per reply code when it mounts and on focus after 30 s (staleTime):
    // about twice a minute per tab, far below RATE_LIMIT_THREAD_READ_PER_SECRET (30).
    const refund = await this.limits.check(res, [
      ['threadPerAddress', clientAddress(req)],
      ['threadReadPerSecret', threadKey(body.secret)],
    ]);
    return refundOnServerError(() => this.comments.readThread(body.secret), refund);
  }

  /** The writer answers back; no credentials. */
  @Public()
  @Post('threads/messages')
  @ApiNotFoundResponse({ description: 'No released comment has this reply secret' })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  async writerMessage(
    @Body() body: ThreadPostDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ThreadMessage> {
    const refund = await this.limits.check(res, [
      ['threadPerAddress', clientAddress(req)],
      ['threadMessagePerSecret', threadKey(body.secret)],
    ]);
    return refundOnServerError(() => this.comments.writerMessage(body.secret, body.body), refund);
  }
}
