import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (the `source` export condition),
// so a test never runs against a stale build of a sibling package.
const conditions = ['source', ...defaultServerConditions];
const resolve = { conditions };
const ssr = { resolve: { conditions, externalConditions: ['source'] } };

// Each workspace with tests, by project name (`vitest run --project <name>`) and folder. Chaos is
// not here: it brings up its own Kafka and ClickHouse (infra/chaos/vitest.config.ts).
const PROJECTS = {
  contract: 'contract',
  kit: 'kit',
  sdk: 'sdk',
  collector: 'collector',
  processor: 'processor',
  dashboards: 'dashboards',
  stack: 'infra/stack',
  'test-harness': 'infra/test-harness',
  e2e: 'infra/e2e',
  bench: 'infra/bench',
  peers: 'infra/peers',
  truth: 'infra/truth',
} as const;

// Projects do not extend this file: the global setup below must run once per run, not once
// per package, so that every package shares one set of services and one run id.
const project = ([name, dir]: [string, string]) => ({
  resolve,
  ssr,
  test: {
    name,
    root: fileURLToPath(new URL(`./${dir}/`, import.meta.url)),
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts', '*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  resolve,
  ssr,
  test: {
    globalSetup: [
      fileURLToPath(new URL('./infra/test-harness/src/global-setup.ts', import.meta.url)),
    ],
    // Two cores: Kafka and ClickHouse need one of them.
    maxWorkers: 2,
    projects: Object.entries(PROJECTS).map(project),
  },
});
