import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The service and the CLI, for Node.
    entry: { main: 'src/main.ts', cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    clean: false,
    sourcemap: true,
  },
  {
    // The dashboard page: one browser bundle with Chart.js, plus index.html and app.css copied
    // from src/web/public. Served by the service; nothing is fetched from a CDN.
    entry: { app: 'src/web/app.ts' },
    outDir: 'dist/web',
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    noExternal: [/.*/],
    publicDir: 'src/web/public',
    outExtension: () => ({ js: '.js' }),
    clean: false,
    sourcemap: false,
  },
]);
