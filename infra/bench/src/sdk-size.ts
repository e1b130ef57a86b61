/** (6) The browser build's compressed size against the SDK's own budget (sdk/scripts/size.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { repoRoot } from '@waymark/stack/config';
import type { BenchRow } from './report-types.js';

/** The budget is defined once, in the SDK's size check; read it from there, never copy it. */
function sdkBudget(): number {
  const script = readFileSync(join(repoRoot, 'sdk/scripts/size.ts'), 'utf8');
  const match = /const DEFAULT_BUDGET = ([\d_]+);/.exec(script);
  if (!match?.[1]) throw new Error('sdk/scripts/size.ts: DEFAULT_BUDGET not found');
  return Number(match[1].replaceAll('_', ''));
}

export function benchSdkSize(): BenchRow[] {
  const file = join(repoRoot, 'sdk/dist/waymark.js');
  const code = readFileSync(file);
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
  }).length;
  const budget = sdkBudget();
  return [
    {
      bench: 'SDK size',
      measure: 'waymark.js gzip -9',
      value: gzip,
      unit: 'B',
      baseline: { name: 'budget', value: budget },
      ratio: gzip / budget,
      target: `≤ ${budget} B`,
      met: gzip <= budget,
      runs: [gzip],
    },
    {
      bench: 'SDK size',
      measure: 'waymark.js brotli',
      value: brotli,
      unit: 'B',
      runs: [brotli],
    },
    {
      bench: 'SDK size',
      measure: 'waymark.js raw',
      value: code.length,
      unit: 'B',
      runs: [code.length],
    },
  ];
}
