// Compiles the API and the libraries it imports to CommonJS under dist/api with SWC, keeping
// the source layout (dist/api/apps/api/src/main.js, dist/api/libs/stats/src/index.js) and
// rewriting the `@candor/*` aliases to relative paths (options in scripts/swc-options.cjs). Type
// checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { swcOptions } from './swc-options.cjs';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'api');
const sources = [
  'apps/api/src',
  'libs/contracts/src',
  'libs/instruments/src',
  'libs/stats/src',
  'libs/disclosure/src',
];

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.ts$/.test(entry.name) && !/\.(spec|e2e-spec|d)\.ts$/.test(entry.name)) yield path;
  }
}

const options = { ...swcOptions(root), sourceMaps: true };

const started = Date.now();
await rm(out, { recursive: true, force: true });
let count = 0;
for (const dir of sources) {
  for await (const file of walk(join(root, dir))) {
    const { code, map } = await transformFile(file, { ...options, filename: file });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
    count++;
  }
}
await writeFile(join(out, 'package.json'), JSON.stringify({ type: 'commonjs' }));
console.log(`build:api: ${count} files → ${relative(root, out)} in ${Date.now() - started} ms`);
