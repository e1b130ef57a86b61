import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/size.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function size(code: string, ...args: string[]) {
  const file = join(mkdtempSync(join(tmpdir(), 'waymark-size-')), 'bundle.js');
  writeFileSync(file, code);
  const run = spawnSync(TSX, [SCRIPT, file, ...args], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('npm run size', () => {
  it('prints raw, gzip and brotli sizes and passes under the budget', () => {
    const { status, output } = size('var a = 1;');
    expect(output).toMatch(/raw\s+10 B\n\s+gzip\s+\d+ B \(budget 4096 B\)\n\s+brotli\s+\d+ B/);
    expect(status).toBe(0);
  });

  it('fails above the budget', () => {
    const code = Array.from({ length: 400 }, (_, n) => `var v${n} = ${n * 7919};`).join('');
    const { status, output } = size(code, '--budget=100');
    expect(output).toMatch(/over the 100 B budget/);
    expect(status).toBe(1);
  });

  it('fails on syntax newer than ES2020', () => {
    const { status, output } = size('var a = {}; a.b ||= 1;');
    expect(output).toMatch(/not valid ES2020/);
    expect(status).toBe(1);
  });
});
