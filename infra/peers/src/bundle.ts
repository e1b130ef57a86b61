/**
 * A browser library from its npm package, bundled in memory by esbuild into one classic script
 * that puts the library's entry point on `window` (dynamic imports are inlined, so the page
 * never asks a CDN for a chunk).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

/** `import { name } from specifier; window[name] = name;` as one IIFE script. */
export async function bundleGlobal(specifier: string, name: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${name} } from '${specifier}'; window.${name} = ${name};`,
      resolveDir: here,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error(`esbuild produced nothing for ${specifier}`);
  return file.text;
}
