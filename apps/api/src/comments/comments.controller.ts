import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommentReceipt, TeamCommentsResponse, ThreadMessage, ThreadResponse } from '@candor/contracts';
import { Authenticated, CurrentUser, Public } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { CommentsService } from './comments.service';
import {
  CommentMessageDto,
  ModerateCommentDto,
  SubmitCommentDto,
  ThreadPostDto,
  ThreadReadDto,
} from './dto/comments.dto';

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

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
  async submit(
    @Body() body: SubmitCommentDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommentReceipt> {
    const receipt = await this.comments.submit(body);
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
    @Param('teamId') teamId: string,
  ): Promise<TeamCommentsResponse> {
    return this.comments.teamComments(user, teamId);
  }

  /** Admins see hidden text too, under the same rules (only released cycles have comments). */
  @Authenticated({ admin: true })
  @Get('admin/teams/:teamId/comments')
  adminTeamComments(
    @CurrentUser() user: AuthUser,
    @Param('teamId') teamId: string,
  ): Promise<TeamCommentsResponse> {
    return this.comments.teamComments(user, teamId, true);
  }

  @Authenticated({ team: 'lead' })
  @Post('teams/:teamId/comments/:commentId/messages')
  @ApiCreatedResponse({ description: 'The reply, added to the thread' })
  leadMessage(
    @CurrentUser() user: AuthUser,
    @Param('teamId') teamId: string,
    @Param('commentId') commentId: string,
    @Body() body: CommentMessageDto,
  ): Promise<ThreadMessage> {
    return this.comments.leadMessage(user, teamId, commentId, body.body);
  }

  @Authenticated({ team: 'lead' })
  @Post('teams/:teamId/comments/:commentId/hide')
  @HttpCode(204)
  async hide(
    @CurrentUser() user: AuthUser,
    @Param('teamId') teamId: string,
    @Param('commentId') commentId: string,
    @Body() body: ModerateCommentDto,
  ): Promise<void> {
    await this.comments.hide(user, teamId, commentId, body.reason);
  }

  @Authenticated({ team: 'lead' })
  @Post('teams/:teamId/comments/:commentId/report')
  @HttpCode(204)
  async report(
    @CurrentUser() user: AuthUser,
    @Param('teamId') teamId: string,
    @Param('commentId') commentId: string,
    @Body() body: ModerateCommentDto,
  ): Promise<void> {
    await this.comments.report(user, teamId, commentId, body.reason);
  }

  /** The writer reads their thread by proving the reply secret; no credentials. */
  @Public()
  @Post('threads/read')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: 'No released comment has this reply secret' })
  readThread(@Body() body: ThreadReadDto): Promise<ThreadResponse> {
    return this.comments.readThread(body.secret);
  }

  /** The writer answers back; no credentials. */
  @Public()
  @Post('threads/messages')
  @ApiNotFoundResponse({ description: 'No released comment has this reply secret' })
  writerMessage(@Body() body: ThreadPostDto): Promise<ThreadMessage> {
    return this.comments.writerMessage(body.secret, body.body);
  }
}
