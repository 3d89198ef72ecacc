// Compiles apps/api/bench/*.ts next to the API build (dist/api/apps/api/bench), with the same SWC
// options and @candor/* alias rewriting as scripts/build-api.mjs. Run after `npm run build:api`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const out = join(root, 'dist', 'api');
const dir = join(root, 'apps/api/bench');
const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: root,
    paths: {
      '@candor/contracts': ['libs/contracts/src/index.ts'],
      '@candor/instruments': ['libs/instruments/src/index.ts'],
      '@candor/stats': ['libs/stats/src/index.ts'],
      '@candor/disclosure': ['libs/disclosure/src/index.ts'],
    },
    keepClassNames: true,
  },
  module: { type: 'commonjs', strict: true },
};
for (const name of await readdir(dir)) {
  if (!name.endsWith('.ts')) continue;
  const file = join(dir, name);
  const { code } = await transformFile(file, { ...options, filename: file });
  const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, code);
}
