/** Each question's result as rows: the CLI's tables and CSV share them. */
import type { AttributionResult } from '../queries/attribution.js';
import type { DropoffResult } from '../queries/dropoff.js';
import type { FunnelResult } from '../queries/funnel.js';
import type { RetentionResult } from '../queries/retention.js';
import type { TrendsResult } from '../queries/trends.js';
import { duration, percent, type Table } from './format.js';

const ALL = '(all)';
const label = (key: string) => (key === '' ? ALL : key);

export function funnelTable(result: FunnelResult): Table {
  const series = [result.total, ...result.groups];
  return {
    header: [
      'group',
      'stage',
      'people',
      'step conv.',
      'overall conv.',
      'drop-off',
      'drop-off %',
      'median time',
    ],
    numeric: [false, false, true, true, true, true, true, true],
    rows: series.flatMap((s, i) =>
      s.steps.map((step) => [
        i === 0 ? ALL : s.key === '' ? '(none)' : s.key,
        step.stage,
        step.people,
        percent(step.stepConversion),
        percent(step.overallConversion),
        step.dropOff,
        percent(step.dropOffRate),
        duration(step.medianSecondsFromPrevious),
      ]),
    ),
  };
}

export function dropoffTable(result: DropoffResult): Table {
  const rows: Table['rows'] = [];
  for (const group of [result.total, ...result.channels]) {
    for (const outcome of ['stopped', 'continued'] as const) {
      for (const entry of group[outcome].top) {
        rows.push([
          label(group.channel),
          outcome,
          group[outcome].people,
          entry.kind,
          entry.name,
          entry.people,
          percent(entry.share),
        ]);
      }
    }
  }
  return {
    header: [
      'channel',
      'outcome',
      'outcome people',
      'kind',
      'last page / event',
      'people',
      'share',
    ],
    numeric: [false, false, true, false, false, true, true],
    rows,
  };
}

export function attributionTable(result: AttributionResult): Table {
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    header: ['channel', ...result.models.flatMap((m) => [`${m} conv.`, `${m} revenue`])],
    numeric: [false, ...result.models.flatMap(() => [true, true])],
    rows: result.channels.map((c) => [
      c.channel,
      ...result.models.flatMap((m) => [round(c.models[m].conversions), round(c.models[m].revenue)]),
    ]),
  };
}

export function trendsTable(result: TrendsResult): Table {
  return {
    header: [result.interval, 'channel', 'people', 'sessions', 'conversions'],
    numeric: [false, false, true, true, true],
    rows: result.buckets.flatMap((bucket, i) =>
      result.series.map((s) => [
        bucket,
        label(s.channel),
        s.people[i] ?? 0,
        s.sessions[i] ?? 0,
        s.conversions[i] ?? 0,
      ]),
    ),
  };
}

export function retentionTable(result: RetentionResult): Table {
  const weeks = Array.from({ length: result.weeks + 1 }, (_, i) => `week ${i}`);
  return {
    header: ['cohort', 'channel', 'people', ...weeks],
    numeric: [false, false, true, ...weeks.map(() => true)],
    rows: result.cohorts.map((c) => [
      c.cohort,
      label(c.channel),
      c.people,
      // A week not begun yet is blank: nothing is known of it.
      ...c.returningShare.map((share) => (share === null ? '' : percent(share))),
    ]),
  };
}
