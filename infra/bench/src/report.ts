/** The report: markdown table + JSON in infra/bench/results/, and the README table. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@waymark/stack/config';
import type { MachineFacts } from './machine.js';
import type { BenchRow } from './report-types.js';

export const RESULTS_DIR = join(repoRoot, 'infra/bench/results');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'ev/s' || unit === 'rows/s')
    return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
  if (unit === 'ms')
    return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
  if (unit === 'µs/event') return `${value < 10 ? value.toFixed(1) : Math.round(value)} µs/event`;
  if (unit === 'B') return `${Math.round(value).toLocaleString('en-US')} B`;
  return `${value} ${unit}`;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| benchmark | measure | median | baseline (same run) | ratio | target |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const baseline = r.baseline ? `${fmt(r.baseline.value, r.unit)} (${r.baseline.name})` : '—';
    const ratio =
      r.ratio !== undefined && Number.isFinite(r.ratio) ? `${(r.ratio * 100).toFixed(0)} %` : '—';
    const target = r.target ? `${r.target} ${r.met ? '✅' : '❌'}` : '—';
    lines.push(
      `| ${r.bench} | ${r.measure} | ${fmt(r.value, r.unit)} | ${baseline} | ${ratio} | ${target} |`,
    );
  }
  return lines.join('\n');
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  command: string;
  quick: boolean;
  runs: number;
  machine: MachineFacts;
  rows: BenchRow[];
  /** Benchmarks that failed, with the reason: reported, never hidden. */
  failures: { bench: string; error: string }[];
}

export function markdownReport(report: Report): string {
  const m = report.machine;
  const failures = report.failures.map((f) => `- **${f.bench} failed**: ${f.error}`).join('\n');
  return [
    markdownTable(report.rows),
    '',
    failures,
    `Measured ${report.finishedAt.slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\` ` +
      `(${report.quick ? 'quick form' : 'full form'}, medians of ${report.runs} runs; query and freshness percentiles over every repetition): ` +
      `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, load average ${m.loadAverage} at the end; ` +
      `Node ${m.node}, ${m.java}, ClickHouse ${m.clickhouse}, Kafka ${m.kafka}. ` +
      'Load generator, services, Kafka and ClickHouse share the same machine (loopback only).',
  ]
    .filter((l) => l !== '')
    .join('\n\n');
}

export function writeReport(report: Report): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const markdown = markdownReport(report);
  writeFileSync(join(RESULTS_DIR, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, 'report.md'), `${markdown}\n`);
  return markdown;
}

/** Replaces the table between the README's markers; false when the markers are missing. */
export function updateReadme(markdown: string): boolean {
  const path = join(repoRoot, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return false;
  writeFileSync(
    path,
    `${readme.slice(0, start + START.length)}\n${markdown}\n${readme.slice(end)}`,
  );
  return true;
}
