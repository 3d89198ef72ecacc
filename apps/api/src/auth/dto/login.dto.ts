import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest } from '@candor/contracts';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'lead@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'candor-demo' })
  @IsString()
  @MinLength(1, { message: 'password is required' })
  @MaxLength(1024)
  password!: string;
}
