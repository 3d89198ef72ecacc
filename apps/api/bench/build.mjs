// Compiles apps/api/bench/*.ts next to the API build (dist/api/apps/api/bench), with the SWC options
// of scripts/build-api.mjs (scripts/swc-options.cjs). Run after `npm run build:api`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { swcOptions } from '../../../scripts/swc-options.cjs';

const root = resolve(import.meta.dirname, '../../..');
const out = join(root, 'dist', 'api');
const dir = join(root, 'apps/api/bench');
const options = swcOptions(root);
for (const name of await readdir(dir)) {
  if (!name.endsWith('.ts')) continue;
  const file = join(dir, name);
  const { code } = await transformFile(file, { ...options, filename: file });
  const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, code);
}
