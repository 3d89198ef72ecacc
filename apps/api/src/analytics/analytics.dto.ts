import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { INSTRUMENT_IDS, type InstrumentId } from '@candor/contracts';
import { MAX_POOL_SIZE, MIN_POOL_SIZE } from '@candor/disclosure';

const INSTRUMENT_MESSAGE = 'instrument must be psych-safety or trust-equation';

export class TrendQuery {
  @ApiPropertyOptional({ enum: INSTRUMENT_IDS })
  @IsOptional()
  @IsIn(INSTRUMENT_IDS, { message: INSTRUMENT_MESSAGE })
  instrument?: InstrumentId;
}

export class PooledTrendQuery extends TrendQuery {
  /**
   * Accepted (and validated) for clients written when the size was chosen per request, but not
   * used: a team's block size is fixed (`poolSize` in the response), because pools of two sizes
   * over the same cycles could be differenced to reveal a suppressed cycle.
   */
  @ApiPropertyOptional({
    minimum: MIN_POOL_SIZE,
    maximum: MAX_POOL_SIZE,
    deprecated: true,
    description: 'Ignored: the block size is fixed per team and returned as poolSize',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'cycles must be a whole number' })
  @Min(MIN_POOL_SIZE, { message: `cycles must be at least ${MIN_POOL_SIZE}` })
  @Max(MAX_POOL_SIZE, { message: `cycles must be at most ${MAX_POOL_SIZE}` })
  cycles?: number;
}

export class PeriodQuery {
  @ApiProperty({ example: '2026-03', description: 'Calendar month (UTC), YYYY-MM' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be a month as YYYY-MM' })
  period!: string;
}

export class ComparisonQuery extends PeriodQuery {
  @ApiPropertyOptional({ enum: INSTRUMENT_IDS })
  @IsOptional()
  @IsIn(INSTRUMENT_IDS, { message: INSTRUMENT_MESSAGE })
  instrument?: InstrumentId;
}

export class MonthsQuery extends TrendQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 12, description: 'Calendar months back from now' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'months must be a whole number' })
  @Min(1, { message: 'months must be at least 1' })
  @Max(60, { message: 'months must be at most 60' })
  months?: number;
}
