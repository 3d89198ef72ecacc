import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type { ActionStatus, CreateActionRequest, UpdateActionRequest } from '@candor/contracts';
import { ACTION_STATUSES } from '../action.entity';
import { ACTION_DIMENSIONS } from '../actions.service';

const TEXT = { message: 'text must be text' };
const isSet = (_o: unknown, v: unknown) => v !== null && v !== undefined;

/**
 * Shape here; the rules between fields and against the team (the play's dimension, an owner on the
 * team, a due date not before the start) in ActionsService, with the same field-keyed 400.
 */
export class CreateActionDto implements CreateActionRequest {
  @ApiProperty({ enum: ACTION_DIMENSIONS, example: 'psych_safety' })
  @IsIn(ACTION_DIMENSIONS, { message: `dimension must be one of ${ACTION_DIMENSIONS.join(', ')}` })
  dimension!: string;

  @ApiProperty({ example: 'Blameless review of every incident', maxLength: 500 })
  @IsString(TEXT)
  @MinLength(1, { message: 'text is required' })
  @MaxLength(500, { message: 'text must be at most 500 characters' })
  text!: string;

  @ApiProperty({ example: '2026-03-02', description: 'YYYY-MM-DD: when the team started (or starts) it' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date' })
  date!: string;

  @ApiPropertyOptional({ nullable: true, example: 'psych_safety/frame-as-learning@1' })
  @ValidateIf(isSet)
  @IsString({ message: 'playKey must be a play key' })
  @MaxLength(200, { message: 'playKey must be a play key' })
  playKey?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    format: 'uuid',
    description: 'An active member or lead of the team',
  })
  @ValidateIf(isSet)
  @IsUUID('all', { message: 'ownerId must be the id of a person on the team' })
  ownerId?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '2026-03-30', description: 'YYYY-MM-DD, on or after date' })
  @ValidateIf(isSet)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a real calendar date' })
  dueDate?: string | null;

  @ApiPropertyOptional({ enum: ACTION_STATUSES, default: 'doing' })
  @IsOptional()
  @IsIn(ACTION_STATUSES, { message: `status must be one of ${ACTION_STATUSES.join(', ')}` })
  status?: ActionStatus;
}

/** Only the fields sent change; null clears the owner or the due date. */
export class UpdateActionDto implements UpdateActionRequest {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString(TEXT)
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(500, { message: 'text must be at most 500 characters' })
  text?: string;

  @ApiPropertyOptional({ example: '2026-03-02' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date' })
  date?: string;

  @ApiPropertyOptional({ nullable: true, format: 'uuid' })
  @ValidateIf(isSet)
  @IsUUID('all', { message: 'ownerId must be the id of a person on the team' })
  ownerId?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '2026-03-30' })
  @ValidateIf(isSet)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a real calendar date' })
  dueDate?: string | null;

  @ApiPropertyOptional({ enum: ACTION_STATUSES })
  @IsOptional()
  @IsIn(ACTION_STATUSES, { message: `status must be one of ${ACTION_STATUSES.join(', ')}` })
  status?: ActionStatus;
}
