import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/main.ts',
    'src/kafka-worker.ts',
    'src/record.ts',
    'src/topics.ts',
    'src/projects.ts',
  ],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
});
