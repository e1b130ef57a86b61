import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (the `source` export condition),
// so a test never runs against a stale build of a sibling package.
const conditions = ['source', ...defaultServerConditions];
const resolve = { conditions };
const ssr = { resolve: { conditions, externalConditions: ['source'] } };

// Projects do not extend this file: the global setup below must run once per run, not once
// per package, so that every package shares one set of services and one run id.
const project = (name: string) => ({
  resolve,
  ssr,
  test: {
    name,
    root: fileURLToPath(new URL(`./${name}`, import.meta.url)),
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  resolve,
  ssr,
  test: {
    globalSetup: [fileURLToPath(new URL('./infra/src/test/global-setup.ts', import.meta.url))],
    // Two cores: Kafka and ClickHouse need one of them.
    maxWorkers: 2,
    projects: ['sdk', 'kit', 'collector', 'processor', 'dashboards', 'infra'].map(project),
  },
});
