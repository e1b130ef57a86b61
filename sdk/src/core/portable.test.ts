import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { LIBRARY } from './version.js';

/**
 * The core runs in browsers, Node and tests alike: it reaches the host only through the
 * adapters. Biome's noRestrictedGlobals (sdk/biome.json) flags browser and Node globals in the
 * editor; this test also catches `node:` imports and the test runner enforces it. The classifier
 * and wire types the SDK bundles from @waymark/contract have the same check there.
 */
const PORTABLE_DIRS = ['../core'];
const HOST_GLOBALS =
  /\b(window|document|navigator|location|history|localStorage|sessionStorage|process|Buffer|require)\b|from 'node:/;

const sourceFiles: (readonly [string, string])[] = PORTABLE_DIRS.flatMap<readonly [string, string]>(
  (dir) => {
    const path = fileURLToPath(new URL(`${dir}/`, import.meta.url));
    return readdirSync(path)
      .filter(
        (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'test-fakes.ts',
      )
      .map((name) => [`${dir}/${name}`, `${path}${name}`] as const);
  },
);

describe('portable core', () => {
  it('finds the core files', () => {
    expect(sourceFiles.length).toBeGreaterThan(6);
  });

  it.each(sourceFiles)('%s uses no browser or Node global', (_name, path) => {
    const code = readFileSync(path, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code.match(HOST_GLOBALS)?.[0]).toBeUndefined();
  });

  it('reports the package version as context.library.version', () => {
    expect(LIBRARY.version).toBe(packageJson.version);
  });
});
