import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type {
  ChangePasswordRequest,
  PasswordResetRequest,
  SetPasswordWithTokenRequest,
} from '@candor/contracts';

export class PasswordResetDto implements PasswordResetRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;
}

export class SetPasswordWithTokenDto implements SetPasswordWithTokenRequest {
  @ApiProperty({ description: 'The token from the emailed link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,200}$/, { message: 'token must be the token from the link' })
  token!: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'currentPassword is required' })
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}
