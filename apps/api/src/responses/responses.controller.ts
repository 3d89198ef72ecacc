import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { SubmitReceipt, TokenIssueResponse } from '@candor/contracts';
import { Authenticated, CurrentUser, Public } from '../auth/auth.decorators';
import { type AuthUser } from '../auth/auth.types';
import { SubmitResponseDto, TokenIssueDto } from './dto/submit-response.dto';
import { ResponseService } from './response.service';

@ApiTags('responses')
@Controller()
export class ResponsesController {
  constructor(private readonly responses: ResponseService) {}

  @Authenticated()
  @Post('cycles/:cycleId/tokens')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The blind signature. Re-sending the same blinded message returns it again.',
  })
  @ApiConflictResponse({ description: 'A token with another blinded message was already issued to you' })
  @ApiGoneResponse({ description: 'The cycle has closed' })
  issueToken(
    @CurrentUser() user: AuthUser,
    @Param('cycleId') cycleId: string,
    @Body() body: TokenIssueDto,
  ): Promise<TokenIssueResponse> {
    return this.responses.issueToken(user, cycleId, body.blindedMessage);
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
  async submit(
    @Body() body: SubmitResponseDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmitReceipt> {
    const receipt = await this.responses.submit(body);
    res.status(receipt.replayed ? 200 : 201);
    return receipt;
  }
}
