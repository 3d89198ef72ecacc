import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type {
  CreateGroupRequest,
  CreatePersonRequest,
  CreateTeamRequest,
  MembershipRole,
  SetMembershipRequest,
  UpdateGroupRequest,
  UpdatePersonRequest,
  UpdateTeamRequest,
} from '@candor/contracts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const NAME = { message: '$property must contain a visible character' };

class Named {
  @ApiProperty({ example: 'Payments', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(200)
  @Matches(/\S/, NAME)
  name!: string;
}

export class CreateGroupDto extends Named implements CreateGroupRequest {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'Parent group; omit or null for a root',
  })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a group id' })
  parentId?: string | null;
}

export class UpdateGroupDto implements UpdateGroupRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(200)
  @Matches(/\S/, NAME)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'New parent; null makes it a root' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: '$property must be a group id or null' })
  parentId?: string | null;
}

export class CreateTeamDto extends Named implements CreateTeamRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: '$property must be a group id' })
  groupId!: string;
}

export class UpdateTeamDto implements UpdateTeamRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(200)
  @Matches(/\S/, NAME)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a group id' })
  groupId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class CreatePersonDto extends Named implements CreatePersonRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: '$property must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isAdmin?: boolean;
}

export class UpdatePersonDto implements UpdatePersonRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(200)
  @Matches(/\S/, NAME)
  name?: string;

  @ApiPropertyOptional({ example: 'ada@example.com' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: '$property must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isAdmin?: boolean;
}

export class SetMembershipDto implements SetMembershipRequest {
  @ApiProperty({ enum: ['member', 'lead'] })
  @IsIn(['member', 'lead'], { message: '$property must be member or lead' })
  role!: MembershipRole;
}

export const MAX_PAGE = 100;

export class PeopleQueryDto {
  @ApiPropertyOptional({ description: 'Matches email or name (case-insensitive, literal text)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Include deactivated people (default true)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}

export class TeamsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a group id' })
  groupId?: string;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: '$property must be a cursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only this action, e.g. `person.update` or `access.denied`' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,64}$/, { message: '$property must be an action name' })
  action?: string;
}
