import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { CreateActionRequest } from '@candor/contracts';
import { ACTION_DIMENSIONS } from '../actions.service';

export class CreateActionDto implements CreateActionRequest {
  @ApiProperty({ enum: ACTION_DIMENSIONS, example: 'psych_safety' })
  @IsIn(ACTION_DIMENSIONS, { message: `dimension must be one of ${ACTION_DIMENSIONS.join(', ')}` })
  dimension!: string;

  @ApiProperty({ example: 'Blameless review of every incident', maxLength: 500 })
  @IsString({ message: 'text must be text' })
  @MinLength(1, { message: 'text is required' })
  @MaxLength(500, { message: 'text must be at most 500 characters' })
  text!: string;

  @ApiProperty({ example: '2026-03-02', description: 'YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date' })
  date!: string;
}
