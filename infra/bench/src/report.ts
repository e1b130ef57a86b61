/**
 * The report: markdown table + JSON in infra/bench/results/; the full table in infra/bench/README.md
 * and the rows with a target (the summary) in the root README.md, each between its markers.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '@waymark/stack/config';
import type { MachineFacts } from './machine.js';
import type { BenchRow } from './report-types.js';

export const RESULTS_DIR = join(repoRoot, 'infra/bench/results');
/** The full table, in the bench's own README. */
export const BENCH_README = join(repoRoot, 'infra/bench/README.md');
/** The summary (rows with a target), in the README users read first. */
export const ROOT_README = join(repoRoot, 'README.md');
const FULL = { start: '<!-- bench:start -->', end: '<!-- bench:end -->' };
const SUMMARY = { start: '<!-- bench-summary:start -->', end: '<!-- bench-summary:end -->' };

function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'ev/s' || unit === 'rows/s')
    return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
  if (unit === 'ms')
    return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
  if (unit === 'µs/event') return `${value < 10 ? value.toFixed(1) : Math.round(value)} µs/event`;
  if (unit === 'B') return `${Math.round(value).toLocaleString('en-US')} B`;
  if (unit === 'MiB') return `${Math.round(value).toLocaleString('en-US')} MiB`;
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

function measuredLine(report: Report): string {
  const m = report.machine;
  return (
    `Measured ${report.finishedAt.slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\` ` +
    `(${report.quick ? 'quick form' : 'full form'}, medians of ${report.runs} runs; query and freshness percentiles over every repetition): ` +
    `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, load average ${m.loadAverage} at the end; ` +
    `Node ${m.node}, ${m.java}, ClickHouse ${m.clickhouse}, Kafka ${m.kafka}. ` +
    'Load generator, services, Kafka and ClickHouse share the same machine (loopback only).'
  );
}

export function markdownReport(report: Report): string {
  const failures = report.failures.map((f) => `- **${f.bench} failed**: ${f.error}`).join('\n');
  return [markdownTable(report.rows), '', failures, measuredLine(report)]
    .filter((l) => l !== '')
    .join('\n\n');
}

/** The rows that have a target, for the root README; the rest are in the bench README. */
export function markdownSummary(report: Report): string {
  const failures = report.failures.map((f) => `- **${f.bench} failed**: ${f.error}`).join('\n');
  return [
    markdownTable(report.rows.filter((r) => r.target !== undefined)),
    failures,
    `${measuredLine(report)} Every figure: [infra/bench/README.md](infra/bench/README.md).`,
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

/** `text` with `body` between the markers; undefined when the markers are missing. */
export function replaceBetween(
  text: string,
  markers: { start: string; end: string },
  body: string,
): string | undefined {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  if (start < 0 || end < start) return undefined;
  return `${text.slice(0, start + markers.start.length)}\n${body}\n${text.slice(end)}`;
}

/**
 * Writes the full table into the bench README and the summary into the root README; returns,
 * per file, whether its markers were found (a file without them is left as it is).
 */
export function updateReadmes(report: Report): { path: string; updated: boolean }[] {
  const targets = [
    { path: BENCH_README, markers: FULL, body: markdownReport(report) },
    { path: ROOT_README, markers: SUMMARY, body: markdownSummary(report) },
  ];
  return targets.map(({ path, markers, body }) => {
    const next = replaceBetween(readFileSync(path, 'utf8'), markers, body);
    if (next !== undefined) writeFileSync(path, next);
    return { path: relative(repoRoot, path), updated: next !== undefined };
  });
}
