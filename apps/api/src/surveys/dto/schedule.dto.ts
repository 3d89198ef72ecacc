import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  INSTRUMENT_IDS,
  type Cadence,
  type CreateScheduleRequest,
  type InstrumentId,
  type TrustSubject,
  type UpdateCycleRequest,
} from '@candor/contracts';

export const CADENCES: Cadence[] = ['weekly', 'biweekly', 'monthly', 'quarterly'];

/**
 * Shape and ranges here; the rules between fields (one scope, window within the cadence, a real
 * time zone, k ≥ 3, access) in ScheduleAdminService, which answers with the same field-keyed 400.
 */
export class CreateScheduleDto implements CreateScheduleRequest {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A team, or …' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: 'teamId must be a UUID' })
  teamId?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: '… a group: every active team under it',
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: 'groupId must be a UUID' })
  groupId?: string | null;

  @ApiProperty({ enum: INSTRUMENT_IDS })
  @IsIn(INSTRUMENT_IDS, { message: `instrument must be one of ${INSTRUMENT_IDS.join(', ')}` })
  instrument!: InstrumentId;

  @ApiPropertyOptional({ enum: ['team', 'lead'], nullable: true })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsIn(['team', 'lead'], { message: 'trustSubject must be team or lead' })
  trustSubject?: TrustSubject | null;

  @ApiProperty({ enum: CADENCES })
  @IsIn(CADENCES, { message: `cadence must be one of ${CADENCES.join(', ')}` })
  cadence!: Cadence;

  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' })
  @IsInt({ message: 'weekday must be a whole number from 1 (Monday) to 7 (Sunday)' })
  @Min(1, { message: 'weekday must be a whole number from 1 (Monday) to 7 (Sunday)' })
  @Max(7, { message: 'weekday must be a whole number from 1 (Monday) to 7 (Sunday)' })
  weekday!: number;

  @ApiProperty({ minimum: 0, maximum: 23 })
  @IsInt({ message: 'hour must be a whole number from 0 to 23' })
  @Min(0, { message: 'hour must be a whole number from 0 to 23' })
  @Max(23, { message: 'hour must be a whole number from 0 to 23' })
  hour!: number;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptional()
  @IsString({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  @MaxLength(64, { message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone?: string;

  @ApiProperty({ minimum: 1, maximum: 14 })
  @IsInt({ message: 'windowDays must be a whole number of days from 1 to 14' })
  @Min(1, { message: 'windowDays must be a whole number of days from 1 to 14' })
  @Max(14, { message: 'windowDays must be a whole number of days from 1 to 14' })
  windowDays!: number;

  @ApiPropertyOptional({ minimum: 3, default: 5 })
  @IsOptional()
  k?: number;

  @ApiPropertyOptional({
    minimum: 3,
    nullable: true,
    description: 'Comment threshold for future cycles; null = max(k, 5); never below k',
  })
  @IsOptional()
  kComments?: number | null;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Local date of the first possible opening' })
  @IsOptional()
  @IsString({ message: 'startsOn must be a date YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date YYYY-MM-DD' })
  startsOn?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class UpdateScheduleDto extends PartialType(CreateScheduleDto) {}

/** The preview takes the same form as create; only the timing fields are needed. */
export class PreviewScheduleDto extends PartialType(CreateScheduleDto) {}

export class UpdateCycleDto implements UpdateCycleRequest {
  @ApiProperty({ minimum: 3 })
  @IsOptional()
  k!: number;
}
