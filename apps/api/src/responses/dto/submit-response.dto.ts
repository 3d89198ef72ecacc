import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { InstrumentVersion, SubmitResponseRequest, TokenIssueRequest } from '@candor/contracts';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class SubmitResponseDto implements SubmitResponseRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'cycleId must be a UUID' })
  cycleId!: string;

  @ApiProperty({ example: 'psych-safety@1' })
  @IsString()
  @MaxLength(64)
  instrument!: InstrumentVersion;

  @ApiProperty({ description: 'The prepared message that was blind-signed, base64url' })
  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'token must be base64url' })
  token!: string;

  @ApiProperty({ description: 'Unblinded RFC 9474 signature over the token, base64url' })
  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'signature must be base64url' })
  signature!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1, maximum: 7 },
    example: { ps1: 5 },
  })
  @IsObject({ message: 'answers must be an object of item id → answer' })
  answers!: Record<string, number>;
}

export class TokenIssueDto implements TokenIssueRequest {
  @ApiProperty({ description: 'RFC 9474 blinded message, base64url' })
  @IsString()
  @MaxLength(1024)
  @Matches(BASE64URL, { message: 'blindedMessage must be base64url' })
  blindedMessage!: string;
}
