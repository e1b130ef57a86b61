import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `source` export condition), as in
// the root config, so chaos runs what it reads and can import test fixtures by package name.
const conditions = ['source', ...defaultServerConditions];

// The chaos test brings up its own Kafka + ClickHouse (it stops and restarts them), so it needs
// none of the root config's global setup: `vitest run --config infra/chaos/vitest.config.ts`.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    // Each file runs its own Kafka + ClickHouse: one at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 300_000,
  },
});
