/**
 * The bundle budget: prints the raw, gzip (-9) and brotli sizes of the <script> build and
 * fails (exit 1) when gzip exceeds the budget or the file is not valid ES2020 (the target we
 * promise: browsers since early 2020). Run by `npm run build` and `npm run size`.
 *
 *   tsx scripts/size.ts [file] [--budget=<bytes>]
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { parse } from 'acorn';

const DEFAULT_BUDGET = 4096;
const ECMA_VERSION = 2020;

const args = process.argv.slice(2);
const budgetArg = args.find((arg) => arg.startsWith('--budget='));
const budget = budgetArg ? Number(budgetArg.slice('--budget='.length)) : DEFAULT_BUDGET;
const fileArg = args.find((arg) => !arg.startsWith('--'));
if (!Number.isInteger(budget) || budget <= 0) {
  console.error(`size: --budget must be a positive number of bytes, got "${budgetArg}"`);
  process.exit(2);
}
const file = fileArg ?? fileURLToPath(new URL('../dist/waymark.js', import.meta.url));

let code: Buffer;
try {
  code = readFileSync(file);
} catch {
  console.error(`size: cannot read ${file}; run \`npm run build -w @waymark/sdk\` first`);
  process.exit(2);
}

const gzip = gzipSync(code, { level: 9 }).length;
const brotli = brotliCompressSync(code, {
  params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
}).length;
console.log(
  `${file}\n  raw     ${code.length} B\n  gzip    ${gzip} B (budget ${budget} B)\n  brotli  ${brotli} B`,
);

let failed = false;
try {
  parse(code.toString('utf8'), { ecmaVersion: ECMA_VERSION, sourceType: 'script' });
} catch (error) {
  console.error(`size: not valid ES${ECMA_VERSION}: ${(error as Error).message}`);
  failed = true;
}
if (gzip > budget) {
  console.error(`size: gzip ${gzip} B is over the ${budget} B budget by ${gzip - budget} B`);
  failed = true;
}
process.exit(failed ? 1 : 0);
