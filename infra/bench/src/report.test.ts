import { expect, it } from 'vitest';
import { markdownReport, markdownSummary, type Report, replaceBetween } from './report.js';

const report: Report = {
  startedAt: '2026-12-03T10:00:00.000Z',
  finishedAt: '2026-12-03T10:20:00.000Z',
  command: 'npm run bench',
  quick: false,
  runs: 3,
  machine: {
    cores: 2,
    cpuModel: 'test CPU',
    memoryGiB: 8,
    loadAverage: '1 1 1',
    node: 'v20',
    java: 'java 17',
    clickhouse: '26.9',
    kafka: '3.9.1',
  },
  rows: [
    {
      bench: 'SDK size',
      measure: 'gzip',
      value: 4900,
      unit: 'B',
      target: '≤ 5120 B',
      met: true,
      runs: [4900],
    },
    { bench: 'SDK size', measure: 'raw', value: 10500, unit: 'B', runs: [10500] },
  ],
  failures: [],
};

it('puts every row in the full table and only the rows with a target in the summary', () => {
  expect(markdownReport(report)).toContain('| SDK size | raw |');
  const summary = markdownSummary(report);
  expect(summary).toContain('| SDK size | gzip |');
  expect(summary).not.toContain('| SDK size | raw |');
  expect(summary).toContain('[infra/bench/README.md](infra/bench/README.md)');
});

it('replaces only what is between the markers, and says when they are missing', () => {
  const markers = { start: '<!-- a -->', end: '<!-- b -->' };
  expect(replaceBetween('x\n<!-- a -->\nold\n<!-- b -->\ny', markers, 'new')).toBe(
    'x\n<!-- a -->\nnew\n<!-- b -->\ny',
  );
  expect(replaceBetween('no markers', markers, 'new')).toBeUndefined();
});
