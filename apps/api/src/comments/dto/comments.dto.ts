import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import {
  COMMENT_MAX_CHARS,
  type CommentMessageRequest,
  type CommentReportOutcome,
  type ModerateCommentRequest,
  type ResolveCommentReportRequest,
  type SubmitCommentRequest,
  type ThreadPostRequest,
  type ThreadReadRequest,
} from '@candor/contracts';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export class SubmitCommentDto implements SubmitCommentRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'cycleId must be a UUID' })
  cycleId!: string;

  @ApiProperty({ description: 'The same blind-signed token as the submission, base64url' })
  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'token must be base64url' })
  token!: string;

  @ApiProperty({ description: 'Unblinded RFC 9474 signature over the token, base64url' })
  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'signature must be base64url' })
  signature!: string;

  @ApiProperty({ maxLength: COMMENT_MAX_CHARS })
  @IsString({ message: 'text must be text' })
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(COMMENT_MAX_CHARS, { message: `text must be at most ${COMMENT_MAX_CHARS} characters` })
  text!: string;

  @ApiProperty({ description: 'SHA-256 of the reply secret, base64url (43 characters)' })
  @IsString()
  @Matches(SECRET, { message: 'replyHash must be 32 bytes of base64url (43 characters)' })
  replyHash!: string;
}

export class CommentMessageDto implements CommentMessageRequest {
  @ApiProperty({ maxLength: COMMENT_MAX_CHARS })
  @IsString({ message: 'body must be text' })
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(COMMENT_MAX_CHARS, { message: `body must be at most ${COMMENT_MAX_CHARS} characters` })
  body!: string;
}

export class ModerateCommentDto implements ModerateCommentRequest {
  @ApiProperty({ maxLength: 500 })
  @IsString({ message: 'reason must be text' })
  @MinLength(3, { message: 'reason must say why (at least 3 characters)' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason!: string;
}

const OUTCOMES: readonly CommentReportOutcome[] = ['keep-hidden', 'restore'];

export class ResolveCommentReportDto implements ResolveCommentReportRequest {
  @ApiProperty({ enum: OUTCOMES })
  @IsIn(OUTCOMES, { message: `outcome must be one of ${OUTCOMES.join(', ')}` })
  outcome!: CommentReportOutcome;

  @ApiProperty({ maxLength: 500, description: 'Why (audit log; the hidden reason when hidden now)' })
  @IsString({ message: 'note must be text' })
  @MinLength(3, { message: 'note must say why (at least 3 characters)' })
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  note!: string;
}

export class ThreadReadDto implements ThreadReadRequest {
  @ApiProperty({ description: 'The reply secret (reply code), 32 bytes of base64url' })
  @IsString()
  @Matches(SECRET, { message: 'secret must be a reply code of 43 characters' })
  secret!: string;
}

export class ThreadPostDto extends ThreadReadDto implements ThreadPostRequest {
  @ApiProperty({ maxLength: COMMENT_MAX_CHARS })
  @IsString({ message: 'body must be text' })
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(COMMENT_MAX_CHARS, { message: `body must be at most ${COMMENT_MAX_CHARS} characters` })
  body!: string;
}
