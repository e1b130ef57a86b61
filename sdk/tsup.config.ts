import { defineConfig, type Options } from 'tsup';

// The SDK bundles what it uses of @waymark/contract (a devDependency: types are erased, the
// classifier is pure), from its sources, so it stays free of runtime dependencies.
const bundleContract: Options['esbuildOptions'] = (options) => {
  options.conditions = ['source'];
};

export default defineConfig([
  {
    // For bundlers and Node: readable ESM with types.
    entry: {
      index: 'src/index.ts',
      node: 'src/node.ts',
    },
    format: ['esm'],
    // Old chunks go; the script build (built in parallel) keeps its files.
    clean: ['**/*', '!waymark.js', '!waymark.js.map'],
    dts: true,
    target: 'es2020',
    sourcemap: true,
    esbuildOptions: bundleContract,
  },
  {
    // For a <script> tag: one self-initialising file, minified; its gzip size is the budget
    // that `npm run size` (run by `build`) enforces.
    entry: { waymark: 'src/browser/script.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    target: 'es2020',
    // Terser compresses a few hundred bytes further than esbuild's minifier.
    esbuildOptions: bundleContract,
    minify: 'terser',
    terserOptions: { ecma: 2020, compress: { passes: 3, unsafe_arrows: true }, mangle: true },
    sourcemap: true,
  },
]);
