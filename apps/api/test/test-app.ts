import { type INestApplication, type LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import request from 'supertest';
import type { App } from 'supertest/types';
import { type Clock } from '../src/common/clock';
import { loadConfig, type AppConfig, type RateLimits } from '../src/config/config';
import { createApp } from '../src/create-app';

export interface TestApp {
  app: INestApplication;
  http: App;
  ds: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.CANDOR_TEST_DATABASE_URL;
  if (!url)
    throw new Error('CANDOR_TEST_DATABASE_URL is not set: run the API tests through jest (global setup)');
  return url;
}

/**
 * A real app on the real test database, with config overrides (`rateLimits` overrides only the
 * limits it names). `logger` receives everything the app logs (silent by default).
 */
export async function createTestApp(
  overrides: Omit<Partial<AppConfig>, 'rateLimits'> & { rateLimits?: Partial<RateLimits> } = {},
  options: { logger?: LoggerService; databaseUrl?: string; clock?: Clock } = {},
): Promise<TestApp> {
  const base = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl ?? testDatabaseUrl(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    CANDOR_WEB_DIR: '/nonexistent',
  });
  const config: AppConfig = {
    ...base,
    ...overrides,
    rateLimits: { ...base.rateLimits, ...overrides.rateLimits },
  };
  const app = await createApp({
    config,
    databaseUrl: options.databaseUrl ?? testDatabaseUrl(),
    logger: options.logger ?? false,
    clock: options.clock,
  });
  await app.init();
  const ds = app.get(DataSource);
  return {
    app,
    http: app.getHttpServer() as App,
    ds,
    config,
    close: () => app.close(),
  };
}

export async function login(http: App, email: string, password: string): Promise<string> {
  const res = await request(http).post('/api/auth/login').send({ email, password }).expect(200);
  return (res.body as { accessToken: string }).accessToken;
}
