import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/wire.ts',
    'src/wire-schema.ts',
    'src/limits.ts',
    'src/channel.ts',
    'src/page.ts',
    'src/event-name.ts',
    'src/record.ts',
    'src/projects.ts',
    'src/topics.ts',
    'src/schema/index.ts',
  ],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
});
