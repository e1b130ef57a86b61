import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '@waymark/stack/config';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkBoundaries,
  dependencyViolations,
  importSpecifiers,
  importViolations,
  readWorkspaces,
  type Workspace,
} from './boundaries.js';

const ws = (name: string, dependencies: string[] = [], devDependencies: string[] = []) =>
  ({ name, dir: name.replace('@waymark/', ''), dependencies, devDependencies }) as Workspace;

describe('this repository', () => {
  const report = checkBoundaries(repoRoot);

  it('has no service depending on a service, no relative import out of a package, and every @waymark import declared, beyond the allow-list', () => {
    console.log(`workspace dependencies:\n${report.graph}`);
    expect(report.unexpected.map((v) => `${v.key} — ${v.why}`)).toEqual([]);
  });

  it('has no stale allow-list entry (remove what is fixed)', () => {
    expect(report.stale).toEqual([]);
  });
});

describe('dependencyViolations', () => {
  it('allows contract, kit and the dev-only test harness', () => {
    const services = [
      ws('@waymark/collector', ['@waymark/contract', '@waymark/kit'], ['@waymark/test-harness']),
      ws('@waymark/test-harness', ['@waymark/stack']),
    ];
    expect(dependencyViolations(services)).toEqual([]);
  });

  it('refuses a service depending on a service, even dev-only', () => {
    const keys = dependencyViolations([
      ws('@waymark/processor', ['@waymark/collector']),
      ws('@waymark/collector', [], ['@waymark/sdk']),
    ]).map((v) => v.key);
    expect(keys).toEqual([
      '@waymark/processor → @waymark/collector',
      '@waymark/collector → @waymark/sdk',
    ]);
  });

  it('refuses the test harness as a run-time dependency, and a shared package on a service', () => {
    const keys = dependencyViolations([
      ws('@waymark/dashboards', ['@waymark/test-harness']),
      ws('@waymark/test-harness', ['@waymark/collector']),
      ws('@waymark/contract', ['@waymark/sdk']),
    ]).map((v) => v.key);
    expect(keys).toEqual([
      '@waymark/dashboards → @waymark/test-harness',
      '@waymark/test-harness → @waymark/collector',
      '@waymark/contract → @waymark/sdk',
    ]);
  });

  it('lets the bench and chaos packages run the services', () => {
    expect(dependencyViolations([ws('@waymark/bench', [], ['@waymark/collector'])])).toEqual([]);
  });
});

// Fixtures spell their quotes as ${q}, so that this file's own text holds no import.
const q = "'";

describe('importSpecifiers', () => {
  it('finds static, type, re-export, side-effect, dynamic and require imports, not comments', () => {
    const source = [
      `import { a } from ${q}../a.js${q};`,
      `import type { B } from ${q}@waymark/b${q};`,
      `export { c } from ${q}./c.js${q};`,
      `import ${q}./d.js${q};`,
      `const e = await import(${q}../../e/src/e.js${q});`,
      `const f = require(${q}f${q});`,
      `/** import { x } from ${q}../../doc.js${q} */`,
      `// import { y } from ${q}../../line.js${q};`,
      'import {',
      '  g,',
      `} from ${q}../g.js${q};`,
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      '../a.js',
      '@waymark/b',
      './c.js',
      './d.js',
      '../../e/src/e.js',
      'f',
      '../g.js',
    ]);
  });
});

describe('importViolations', () => {
  const root = mkdtempSync(join(tmpdir(), 'waymark-boundaries-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('fails a relative import into another package and an undeclared @waymark import', () => {
    write('package.json', JSON.stringify({ workspaces: ['one', 'infra/*'] }));
    write('one/package.json', JSON.stringify({ name: '@waymark/one' }));
    write(
      'infra/two/package.json',
      JSON.stringify({ name: '@waymark/two', devDependencies: { '@waymark/one': '0.1.0' } }),
    );
    write(
      'one/src/a.ts',
      `import { b } from ${q}./b.js${q};\nimport { c } from ${q}../../infra/two/src/c.js${q};`,
    );
    write('one/src/b.ts', `import { c } from ${q}@waymark/two${q};\nexport const b = 1;`);
    write('infra/two/src/c.ts', `import { a } from ${q}@waymark/one/a${q};\nexport const c = 1;`);
    write('one/node_modules/x/index.js', `require(${q}../../../infra/two/src/c.js${q});`);
    expect(importViolations(root, readWorkspaces(root)).map((v) => v.key)).toEqual([
      'one/src/a.ts → @waymark/two',
      'one/src/b.ts → @waymark/two',
    ]);
  });
});
