import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The SDK bundles the classifier and the wire types, so they run in browsers, Node and tests
 * alike and touch no host. Biome's noRestrictedGlobals (contract/biome.json) flags browser and
 * Node globals in the editor; this test also catches `node:` imports and any import that would
 * pull something else into the SDK's bundle.
 */
const HOST_GLOBALS =
  /\b(window|document|navigator|location|history|localStorage|sessionStorage|process|Buffer|require)\b|from 'node:/;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const sourceFiles = [
  ...readdirSync(here('./channel/'))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => `channel/${name}`),
  'channel.ts',
  'wire.ts',
].map((name) => [name, here(`./${name}`)] as const);

const code = (path: string) =>
  readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');

describe('what the SDK bundles', () => {
  it('finds the classifier and wire files', () => {
    expect(sourceFiles.length).toBeGreaterThan(5);
  });

  it.each(sourceFiles)('%s uses no browser or Node global', (_name, path) => {
    expect(code(path).match(HOST_GLOBALS)?.[0]).toBeUndefined();
  });

  it.each(sourceFiles)('%s imports only its neighbours', (_name, path) => {
    const imports = [...code(path).matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((from) => !from?.startsWith('.'))).toEqual([]);
  });
});
