import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { SubmitReceipt, TokenIssueResponse } from '@candor/contracts';
import { Authenticated, CurrentUser, Public } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { SubmitResponseDto, TokenIssueDto } from './dto/submit-response.dto';
import { ResponseService } from './response.service';
import { clientAddress, RATE_LIMITED, refundOnServerError, RouteLimits } from '../common/route-limits';
import { cycleId as cycleIdPipe } from '../common/ids';

@ApiTags('responses')
@Controller()
export class ResponsesController {
  constructor(
    private readonly responses: ResponseService,
    private readonly limits: RouteLimits,
  ) {}

  @Authenticated()
  @Post('cycles/:cycleId/tokens')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The blind signature. Re-sending the same blinded message returns it again.',
  })
  @ApiConflictResponse({ description: 'A token with another blinded message was already issued to you' })
  @ApiGoneResponse({ description: 'The cycle has closed' })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  async issueToken(
    @CurrentUser() user: AuthUser,
    @Param('cycleId', cycleIdPipe) cycleId: string,
    @Body() body: TokenIssueDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenIssueResponse> {
    const refund = await this.limits.check(res, [
      ['tokenPerAddress', clientAddress(req)],
      ['tokenPerUser', user.id],
    ]);
    return refundOnServerError(() => this.responses.issueToken(user, cycleId, body.blindedMessage), refund);
  }

  /**
   * Anonymous: takes no credentials. No guard runs and no user is read, so a cookie or an
   * Authorization header sent along is ignored; nothing about the caller is stored.
   */
  @Public()
  @Post('responses')
  @ApiCreatedResponse({ description: 'Stored; the receipt' })
  @ApiOkResponse({ description: 'Identical retry; the first receipt again (replayed: true)' })
  @ApiConflictResponse({ description: 'This token was already used with different answers' })
  @ApiGoneResponse({ description: 'The cycle has closed' })
  @ApiTooManyRequestsResponse({ description: RATE_LIMITED })
  async submit(
    @Body() body: SubmitResponseDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmitReceipt> {
    // Per address generously (an office behind one NAT answers at once), counted before the work
    // in a statement of its own: an address counter must not share the stored answer's transaction
    // id (docs/anonymity.md). Per token tightly (one person's retries), counted by the submission's
    // own statement. Both in PostgreSQL, as keyed hashes: no address or token is stored.
    const refundAddress = await this.limits.check(res, [['submitPerAddress', clientAddress(req)]]);
    const receipt = await refundOnServerError(
      () => this.responses.submit(body, this.limits.defer(res, [['submitPerToken', body.token]])),
      refundAddress,
    );
    res.status(receipt.replayed ? 200 : 201);
    return receipt;
  }
}
