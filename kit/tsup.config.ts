import { defineConfig } from 'tsup';

// One entry per subpath export: a service loads only the subpaths it imports, so the dashboards
// (no Kafka client installed) never load ./kafka.
export default defineConfig({
  entry: [
    'src/config.ts',
    'src/errors.ts',
    'src/kafka.ts',
    'src/clickhouse.ts',
    'src/clickhouse-time.ts',
    'src/worker-thread.ts',
    'src/memo.ts',
    'src/random.ts',
  ],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
});
