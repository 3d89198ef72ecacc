import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * Run from the repository root: `vite --config apps/web/vite.config.mts` (dev, proxies /api to the
 * API on :3000) and `vite build --config apps/web/vite.config.mts` (writes dist/web, which the API
 * serves with an SPA fallback on the same origin).
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: {
      '@candor/contracts': here('../../libs/contracts/src/index.ts'),
      '@candor/instruments': here('../../libs/instruments/src/index.ts'),
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
  },
});
