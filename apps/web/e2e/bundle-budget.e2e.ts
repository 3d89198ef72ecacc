import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './harness';

/**
 * The initial JavaScript budget: every script index.html loads (the entry chunk and early.js)
 * plus every chunk they import statically (and any modulepreload link), gzipped, stays at or
 * under 170 KB. Chart routes are lazy-loaded so that Recharts is not part of it; early.js
 * preloads the team page's chunks on /teams/… only, so they are not part of it either.
 */
const BUDGET_BYTES = 170 * 1024;
const WEB = join(ROOT, 'dist/web');

/** Static `import … from "./x.js"` / `import "./x.js"` / `export … from "./x.js"`; not `import("./x.js")`. */
export function staticImports(source: string): string[] {
  const found = new Set<string>();
  const pattern = /\b(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
  for (const match of source.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

export function initialChunks(indexHtml: string, read: (file: string) => string): string[] {
  const entries = [
    // Module and classic scripts alike (public/early.js is a classic one).
    ...indexHtml.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g),
    ...indexHtml.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const spec of staticImports(read(file))) {
      queue.push(new URL(spec, `http://x/${dir}`).pathname.slice(1));
    }
  }
  return [...seen];
}

describe('initial JavaScript budget', () => {
  it('finds static imports but not dynamic ones', () => {
    const source =
      'import{a as b}from"./vendor-1.js";import"./side.js";export{c}from"./re.js";const T=()=>import("./Team-2.js");';
    expect(staticImports(source)).toEqual(['./vendor-1.js', './side.js', './re.js']);
  });

  it('keeps the entry chunk and its static imports at or under 170 KB gzip', () => {
    const indexPath = join(WEB, 'index.html');
    if (!existsSync(indexPath)) throw new Error('Build first: npm run build (npm run test:browser does it)');
    const read = (file: string) => readFileSync(join(WEB, file), 'utf8');
    const chunks = initialChunks(read('index.html'), read);
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    const sizes = chunks.map((file) => ({ file, gzip: gzipSync(read(file), { level: 9 }).length }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(
      `initial JS: ${(total / 1024).toFixed(1)} KB gzip (budget 170 KB)\n` +
        sizes.map((s) => `  ${s.file}: ${(s.gzip / 1024).toFixed(1)} KB`).join('\n'),
    );
    // Recharts must not be in the initial load.
    for (const { file } of sizes) expect(read(file)).not.toMatch(/recharts-surface/);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
