import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { type ValidationError } from 'class-validator';
import type { ErrorResponse } from '@candor/contracts';
import type { Response } from 'express';

/**
 * Errors the domain raises on purpose. Each carries a stable code; the one filter below maps
 * them to HTTP. Messages never contain answers, tokens or signatures.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    message: string,
    public readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, fields?: Record<string, string[]>) =>
  new DomainError(code, HttpStatus.BAD_REQUEST, message, fields);
export const unauthorized = (message = 'Sign in to continue') =>
  new DomainError('unauthenticated', HttpStatus.UNAUTHORIZED, message);
export const forbidden = (code: string, message: string) =>
  new DomainError(code, HttpStatus.FORBIDDEN, message);
export const notFound = (what: string) =>
  new DomainError('not_found', HttpStatus.NOT_FOUND, `${what} not found`);
export const conflict = (code: string, message: string) =>
  new DomainError(code, HttpStatus.CONFLICT, message);
export const gone = (code: string, message: string) => new DomainError(code, HttpStatus.GONE, message);
export const unavailable = (code: string, message: string) =>
  new DomainError(code, HttpStatus.SERVICE_UNAVAILABLE, message);

/** class-validator errors → `{ fields: { 'a.b': ['must be …'] } }` */
export function fieldsFromValidation(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.entries(error.constraints).map(([rule, text]) =>
        rule === 'whitelistValidation' ? 'is not an accepted field' : text.replace(/^\S+ /, ''),
      );
    }
    if (error.children && error.children.length > 0)
      Object.assign(fields, fieldsFromValidation(error.children, path));
  }
  return fields;
}

export function validationException(errors: ValidationError[]): BadRequestException {
  return new BadRequestException({ code: 'validation_failed', fields: fieldsFromValidation(errors) });
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function body(
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string[]>,
): ErrorResponse {
  return {
    statusCode: status,
    error: REASON[status] ?? 'Error',
    code,
    message,
    ...(fields ? { fields } : {}),
  };
}

/** Errors thrown by body-parser before Nest sees the request (bad JSON, too large, bad charset). */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const payload = this.toBody(exception);
    if (payload.statusCode >= 500 && payload.code !== 'database_unavailable') {
      // Log the error class and message only: request bodies (answers, tokens) are never logged.
      const err = exception instanceof Error ? `${exception.name}: ${exception.message}` : 'non-error thrown';
      this.logger.error(`${payload.statusCode} ${err}`);
    }
    if (res.headersSent) return;
    res.status(payload.statusCode).json(payload);
  }

  private toBody(exception: unknown): ErrorResponse {
    if (exception instanceof DomainError) {
      return body(exception.status, exception.code, exception.message, exception.fields);
    }
    if (exception instanceof HttpException && exception.cause) {
      // Errors from body-parser / Express that Nest wrapped. Their messages can quote the body
      // (JSON.parse does), so they are never echoed.
      const mapped = this.fromHttpLike(exception.cause as HttpLikeError, exception.getStatus());
      if (mapped) return mapped;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null) {
        const r = response as { code?: string; fields?: Record<string, string[]>; message?: unknown };
        if (r.fields)
          return body(status, r.code ?? 'validation_failed', 'Some fields are not valid', r.fields);
        const message = Array.isArray(r.message)
          ? r.message.join('; ')
          : String(r.message ?? exception.message);
        return body(status, r.code ?? defaultCode(status), message);
      }
      return body(status, defaultCode(status), String(response));
    }
    if (isDatabaseUnavailable(exception)) {
      return body(
        503,
        'database_unavailable',
        'The database is unavailable; nothing was stored. Try again shortly.',
      );
    }
    return (
      this.fromHttpLike(exception as HttpLikeError | null) ??
      body(500, 'internal_error', 'Something went wrong on our side. The error has been logged.')
    );
  }

  private fromHttpLike(httpLike: HttpLikeError | null, fallbackStatus?: number): ErrorResponse | null {
    const status = httpLike?.status ?? httpLike?.statusCode ?? fallbackStatus;
    if (httpLike instanceof SyntaxError && status === 400) {
      return body(400, 'invalid_json', 'The request body is not valid JSON', { body: ['is not valid JSON'] });
    }
    if (httpLike instanceof URIError) {
      return body(400, 'bad_request', 'The request path is not valid');
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      if (httpLike?.type === 'entity.parse.failed') {
        return body(400, 'invalid_json', 'The request body is not valid JSON', {
          body: ['is not valid JSON'],
        });
      }
      if (httpLike?.type === 'entity.too.complex') {
        // Our own message from hostile-input.ts ("is nested more than 32 levels deep"): no body text.
        return body(400, 'body_too_complex', 'The request body is too deeply nested or too large to accept', {
          body: [httpLike.message ?? 'is too complex'],
        });
      }
      if (httpLike?.type === 'entity.too.large') {
        return body(413, 'payload_too_large', 'The request body is too large');
      }
      if (httpLike?.type === 'charset.unsupported' || httpLike?.type === 'encoding.unsupported') {
        return body(415, 'unsupported_encoding', 'The request body must be UTF-8 JSON');
      }
      return body(status, defaultCode(status), 'The request could not be processed');
    }
    return null;
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '08000',
  '08001',
  '08003',
  '08006',
]);

/**
 * A lost or refused database connection: the request did not commit, and a retry after the
 * database is back is safe (submissions are idempotent by token). Answered with 503, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|connection timeout|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return true;
    }
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

function defaultCode(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 429:
      return 'rate_limited';
    default:
      return `http_${status}`;
  }
}
