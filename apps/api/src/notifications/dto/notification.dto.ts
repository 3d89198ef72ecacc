import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength, ValidateIf } from 'class-validator';
import type { TeamSlackRequest, UpdatePreferencesRequest } from '@candor/contracts';

export class UpdatePreferencesDto implements UpdatePreferencesRequest {
  @ApiProperty()
  @IsBoolean({ message: 'remindersEnabled must be true or false' })
  remindersEnabled!: boolean;
}

export class TeamSlackDto implements TeamSlackRequest {
  @ApiProperty({ nullable: true, example: 'https://hooks.slack.com/services/T000/B000/XXXX' })
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'webhookUrl must be a Slack incoming-webhook URL or null' })
  @MaxLength(500, { message: 'webhookUrl must be at most 500 characters' })
  webhookUrl!: string | null;
}
