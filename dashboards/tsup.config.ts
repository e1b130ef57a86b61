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
]);
