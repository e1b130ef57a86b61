import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', wire: 'src/wire.ts', channel: 'src/channel.ts' },
  format: ['esm'],
  dts: true,
  target: 'es2019',
  clean: true,
  sourcemap: true,
});
