import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { Strategy } from 'passport-local';
import { DomainError, fieldsFromValidation } from '../common/errors';
import { User } from '../kernel/org.entities';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { LoginThrottle } from './login-throttle';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  async validate(email: string, password: string): Promise<User> {
    const user = await this.auth.checkCredentials(email, password);
    if (!user) throw new DomainError('invalid_credentials', 401, 'Email or password is incorrect');
    return user;
  }
}

/**
 * Validates the body first (field-level 400s), refuses throttled attempts (429), then lets
 * Passport check the credentials and counts a failure against the attempt's counters.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(private readonly throttle: LoginThrottle) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DomainError('validation_failed', 400, 'Some fields are not valid', {
        body: ['must be a JSON object with email and password'],
      });
    }
    const dto = plainToInstance(LoginDto, body);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw new DomainError(
        'validation_failed',
        400,
        'Some fields are not valid',
        fieldsFromValidation(errors),
      );
    }
    const keys = this.throttle.keysFor(req, dto.email.trim().toLowerCase());
    await this.throttle.assertAllowed(
      keys,
      context.switchToHttp().getResponse<Response>(),
      'failed sign-ins',
    );
    try {
      const ok = (await super.canActivate(context)) as boolean;
      await this.throttle.succeed(keys);
      return ok;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'invalid_credentials') await this.throttle.fail(keys);
      throw err;
    }
  }
}
