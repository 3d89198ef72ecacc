import { type INestApplication, type LoggerService, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_RULE, PUBLIC_ROUTE } from './auth/auth.decorators';
import { AllExceptionsFilter, validationException } from './common/errors';
import { type Clock } from './common/clock';
import { InputGuard, verifyJsonShape } from './common/hostile-input';
import { type AppConfig } from './config/config';
import { apiControllers, AppModule } from './app.module';
import { createRootLogger, PinoNestLogger, requestLogging } from './observability/logging';
import { Metrics } from './common/metrics';
import { ShutdownState } from './health/shutdown-state';
import type { Logger as PinoLogger } from 'pino';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  /**
   * Nest's own messages. Default: through `pino` as JSON. Given one (or `false` for silence), the
   * request lines are not written unless `pino` is given as well.
   */
  logger?: LoggerService | false;
  /** The JSON logger for request lines (and Nest's messages by default). Default: stdout at LOG_LEVEL. */
  pino?: PinoLogger;
  /** The app's clock (default: the system's); tests replay histories with their own. */
  clock?: Clock;
}

/**
 * Every controller method that is a route must say who may call it: `@Authenticated(...)` or
 * `@Public()`. Checked at boot, so a route without a rule fails every test and every start.
 */
export function assertEveryRouteHasARule(): void {
  const missing: string[] = [];
  for (const controller of apiControllers()) {
    const proto = controller.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      if (Reflect.getMetadata('method', handler) === undefined) continue;
      const ruled =
        Reflect.getMetadata(PUBLIC_ROUTE, handler) === true ||
        Reflect.getMetadata(ACCESS_RULE, handler) !== undefined;
      if (!ruled) missing.push(`${controller.name}.${name}`);
    }
  }
  if (missing.length > 0) throw new Error(`Routes without an access rule: ${missing.join(', ')}`);
}

export async function createApp({
  config,
  databaseUrl,
  logger,
  pino,
  clock,
}: CreateAppOptions): Promise<INestApplication> {
  assertEveryRouteHasARule();
  // Given its own Nest logger (tests, benchmarks), the app writes no request lines unless given `pino` too.
  const root = pino ?? createRootLogger(logger === undefined ? config.logLevel : 'silent');
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl, clock),
    {
      bodyParser: false,
      logger: logger === undefined ? new PinoNestLogger(root) : logger,
    },
  );
  // First in the chain: request id, the request's log line and its metrics.
  app.use(requestLogging(root, app.get(Metrics)));
  // Shutting down: start nothing new (503), count what runs so the drain knows when it is done.
  app.use(app.get(ShutdownState).middleware);
  // TRUST_PROXY: whose X-Forwarded-For / -Proto count for req.ip and req.secure (docs/operations.md).
  app.set('trust proxy', config.network.trustProxy);
  app.disable('x-powered-by');
  // CORS only for configured origins (CORS_ORIGINS); without any, browsers allow same-origin only.
  if (config.auth.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.auth.corsOrigins,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-Requested-With'],
      maxAge: 600,
    });
  }
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Depth and key counts are checked on the raw bytes before parsing (hostile-input.ts).
  app.use(
    express.json({
      limit: '64kb',
      strict: true,
      type: ['application/json', 'application/*+json'],
      verify: verifyJsonShape,
    }),
  );
  app.use(cookieParser());
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      exceptionFactory: validationException,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  // Before every route's own guards: control characters in body, query or params → 400.
  app.useGlobalGuards(new InputGuard());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Candor API')
      .setDescription('Anonymous team-health pulse surveys. Every aggregate is subject to the threshold k.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth('candor_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    useGlobalPrefix: false,
  });

  // The web app: built files, and index.html for client-side routes. /api is never shadowed.
  const webDir = config.webDir;
  if (existsSync(join(webDir, 'index.html'))) {
    app.use(express.static(webDir, { index: false, maxAge: '1h' }));
    app.use((req: Request, res: Response, next: NextFunction) => {
      // HEAD answers like GET without the body (sendFile leaves it out): monitors probe with HEAD.
      if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(webDir, 'index.html'));
    });
  }
  return app;
}
