import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * Writes into index.html, at build time, the chunks that the team page needs beyond the entry
 * (`data-team-chunks` on the script tag), and loads public/early.js first: on a team page it
 * starts those chunks and the trend requests before the entry has even downloaded. Other pages
 * fetch nothing more, so the initial JavaScript is unchanged (docs/benchmarks.md, "Dashboard").
 */
function teamPageEarlyStart(): Plugin {
  return {
    name: 'candor-team-page-early-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((o) => o.type === 'chunk');
        const team = chunks.find((c) => c.facadeModuleId?.endsWith('/features/team-trends/TeamPage.tsx'));
        if (!team) throw new Error('team page chunk not found: update teamPageEarlyStart in vite.config.mts');
        const initial = new Set<string>();
        const addInitial = (file: string) => {
          if (initial.has(file)) return;
          initial.add(file);
          chunks.find((c) => c.fileName === file)?.imports.forEach(addInitial);
        };
        chunks.filter((c) => c.isEntry).forEach((c) => addInitial(c.fileName));
        const needed: string[] = [];
        const visit = (file: string) => {
          if (initial.has(file) || needed.includes(file)) return;
          needed.push(file);
          chunks.find((c) => c.fileName === file)?.imports.forEach(visit);
        };
        visit(team.fileName);
        // First in <head>: a classic script placed after the stylesheet would wait for it.
        return [
          {
            tag: 'script',
            attrs: { src: '/early.js', 'data-team-chunks': needed.join(' ') },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}

/**
 * Run from the repository root: `vite --config apps/web/vite.config.mts` (dev, proxies /api to the
 * API on :3000) and `vite build --config apps/web/vite.config.mts` (writes dist/web, which the API
 * serves with an SPA fallback on the same origin).
 */
export default defineConfig({
  root: here('.'),
  plugins: [react(), teamPageEarlyStart()],
  resolve: {
    alias: {
      '@candor/contracts': here('../../libs/contracts/src/index.ts'),
      '@candor/instruments': here('../../libs/instruments/src/index.ts'),
      '@candor/stats': here('../../libs/stats/src/index.ts'),
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // @candor/stats and the @stdlib distributions it wraps are pure functions: a page that uses
      // one rule of the library (the outcome verdict) does not carry the t distribution with it.
      treeshake: {
        moduleSideEffects: (id: string) => !/[\\/](@stdlib|libs[\\/]stats)[\\/]/.test(id),
      },
    },
  },
});
