/**
 * `npm run check:boundaries`: prints the workspaces' dependency graph and every boundary
 * violation; exits 1 on one that is not on the allow-list in boundaries.ts, or on a stale entry.
 */
import { repoRoot } from '@waymark/stack/config';
import { checkBoundaries } from './boundaries.js';

if (process.argv.length > 2) {
  console.error('usage: npm run check:boundaries');
  process.exit(2);
}
const report = checkBoundaries(repoRoot);
console.log(`workspace dependencies:\n${report.graph}\n`);
for (const v of report.allowed) console.log(`allowed for now (issue 13): ${v.key}`);
for (const v of report.unexpected) console.error(`BOUNDARY: ${v.key} — ${v.why}`);
for (const key of report.stale) {
  console.error(`STALE allow-list entry (fixed — remove it from boundaries.ts): ${key}`);
}
const failed = report.unexpected.length + report.stale.length;
console.log(failed === 0 ? 'boundaries: ok' : `boundaries: ${failed} problem(s)`);
process.exitCode = failed === 0 ? 0 : 1;
