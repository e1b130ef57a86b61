import { defineConfig, type Options } from 'tsup';

// The SDK bundles what it uses of @waymark/contract (a devDependency: types are erased, the
// classifier is pure), from its sources, so it stays free of runtime dependencies.
const bundleContract: Options['esbuildOptions'] = (options) => {
  options.conditions = ['source'];
};

/**
 * Property names that never leave the script bundle: members of the adapters and of the core's
 * internal objects. Terser shortens them like local variables. An allow-list on purpose: a name
 * that is on the wire, in storage (the queue, the session), in the public API, in the settings
 * or in a browser API must never be renamed, and a name missing here only costs a few bytes.
 * `builtins: true` lets names that browsers also use (`send`, `remove`, `clear`) be renamed:
 * only the names listed here are touched, and the bundle calls no browser method by them.
 */
const INTERNAL_PROPERTIES = [
  // Environment, Store, Transport and the transport's reply
  'landing',
  'gpc',
  'dnt',
  'send',
  'beacon',
  'retryAfter',
  // Adapters
  'env',
  'store',
  'transport',
  // Queue and dispatcher
  'read',
  'clear',
  'takeDropped',
  'queued',
  'maxEvents',
  'maxBytes',
  // touchSource's answer, of which the SDK reads the session key's fields
  'clickIdType',
  'referrerHost',
];

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
    // Terser compresses a few hundred bytes further than esbuild's minifier, and further still
    // after esbuild's own syntax pass (it writes `let` for `const`, which terser keeps).
    esbuildOptions: (options, context) => {
      bundleContract?.(options, context);
      options.minifySyntax = true;
      options.minifyIdentifiers = true;
    },
    minify: 'terser',
    terserOptions: {
      ecma: 2020,
      // `unsafe` only rewrites String(x) as x+'' and the like here; hoist_funs gzips better.
      compress: { passes: 3, unsafe_arrows: true, unsafe: true, hoist_funs: true },
      mangle: {
        properties: { builtins: true, regex: new RegExp(`^(${INTERNAL_PROPERTIES.join('|')})$`) },
      },
    },
    sourcemap: true,
  },
]);
