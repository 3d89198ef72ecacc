import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { type AppConfig } from '../config/config';
import { type Metrics } from '../common/metrics';

/**
 * Structured logs: one JSON object per line (pino), one line per request (pino-http), and Nest's
 * own messages through the same logger. Each request gets an id — a sane incoming `X-Request-Id`
 * or a fresh UUID — echoed in the `X-Request-Id` response header and attached to every line
 * logged while the request runs.
 *
 * What is never logged: bodies (answers, comments, tokens, passwords), query strings (OIDC codes,
 * reset tokens), cookies and the Authorization header. Request lines carry the route *pattern*
 * (`/api/cycles/:cycleId/tokens`); a request that matched no route is logged as `(unmatched)`.
 */

/** `LOG_LEVEL` (Nest's names) → pino's. */
const LEVELS: Record<AppConfig['logLevel'], pino.Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
};

/** Redacted wherever they appear in a logged object, in case a future log call passes one. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body',
  'req.body',
  'password',
  'token',
  'signature',
  'answers',
  'comment',
  'accessToken',
];

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the request being handled, if any (for log lines and error reports). */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming `X-Request-Id` is kept if it is short and plain (no spaces, quotes or control characters). */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_ID.test(value) ? value : randomUUID();
}

/**
 * stdout, asynchronously: lines are written in batches of about 4 KB, and at least every half
 * second, instead of one system call per line; pino flushes what is pending when the process exits.
 */
function stdoutDestination(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Closed at exit: pino has flushed it already.
    }
  }, 500).unref();
  return stream;
}

export function createRootLogger(
  level: AppConfig['logLevel'] | 'silent',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: level === 'silent' ? 'silent' : LEVELS[level],
      base: { service: 'candor' },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination ?? (level === 'silent' ? pino.destination({ dest: 1, sync: true }) : stdoutDestination()),
  );
}

/** The route pattern Express matched, with the global prefix; `(unmatched)` for 404s and static files. */
export function routePattern(req: IncomingMessage): string {
  const route = (req as Request).route as { path?: unknown } | undefined;
  const base = (req as Request).baseUrl ?? '';
  // Nest answers unknown paths through a catch-all route (`/api*path`): that is no route either.
  return typeof route?.path === 'string' && !route.path.includes('*')
    ? `${base}${route.path}`
    : '(unmatched)';
}

/** Nest's `LoggerService` on top of pino: `context` becomes a field, levels map one to one. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes `(message, context)` or `(message, stack, context)` for errors. */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = level === 'error' && rest.length === 2 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      this.logger[level](
        { ...fields, err: { type: message.name, message: message.message } },
        message.message,
      );
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, data: message });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}

/** Responses refused on purpose while the instance shuts down (503 `shutting_down`). */
const plannedRefusals = new WeakSet<ServerResponse>();

/**
 * Marks a response as a planned refusal (the instance is draining): logged as a warning, not as
 * an error, since nothing failed and the client is told to retry.
 */
export function markPlannedRefusal(res: ServerResponse): void {
  plannedRefusals.add(res);
}

/**
 * Express middleware for the start of the chain: request id, one JSON log line per request,
 * request metrics, and the async context that tags every line logged during the request.
 */
export function requestLogging(logger: Logger, metrics: Metrics) {
  const http = pinoHttp({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // Only what is listed here is logged: never headers, query strings or bodies.
    serializers: {
      req: (req: { method?: string }) => ({ method: req.method }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
      err: (err: { type?: string; message?: string }) => ({ type: err.type, message: err.message }),
    },
    customProps: (req: IncomingMessage) => ({ method: req.method, route: routePattern(req) }),
    customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => {
      if (plannedRefusals.has(res)) return 'warn';
      if (err || res.statusCode >= 500) return 'error';
      // Probes every few seconds are noise at the default level.
      return req.url?.startsWith('/api/health') ? 'debug' : 'info';
    },
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${routePattern(req)} ${res.statusCode}`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${routePattern(req)} ${res.statusCode}`,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(req.method, routePattern(req), res.statusCode, seconds);
    });
    http(req, res, () => requestContext.run({ requestId: String(req.id) }, next));
  };
}
