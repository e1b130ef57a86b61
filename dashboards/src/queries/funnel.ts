/**
 * Stage funnel: people at each stage, step and overall conversion, drop-off, and the median
 * time between consecutive stages, overall and per breakdown value.
 */
import { z } from 'zod';
import { type BoundQuery, SqlParams } from '../sql/params.js';
import type { QueryTarget } from './base.js';
import { type Breakdown, breakdownGrouping } from './breakdown.js';
import { journeysSql } from './journeys.js';
import type { Scope } from './scope.js';
import { STAGES, type Stage, type StageRules } from './stages.js';

export interface FunnelQuery {
  scope: Scope;
  rules: StageRules;
  /** The project's session timeout (the page-view rule counts views per session). */
  sessionTimeoutMs: number;
  windowDays: number;
  breakdown: Breakdown;
}

export function funnelSql(target: QueryTarget, q: FunnelQuery): BoundQuery {
  const params = new SqlParams();
  const { select, groupBy } = breakdownGrouping(q.breakdown);
  const journeys = journeysSql(params, target, q.scope, q.rules, q.windowDays, {
    sessionTimeoutMs: q.sessionTimeoutMs,
  });
  return params.query(`SELECT
  ${select},
  countIf(level >= 1) AS awareness,
  countIf(level >= 2) AS engagement,
  countIf(level >= 3) AS transaction,
  countIf(level >= 4) AS retention,
  medianExactIf((e - a) / 1000, level >= 2) AS median_engagement,
  medianExactIf((t - e) / 1000, level >= 3) AS median_transaction,
  medianExactIf((r - t) / 1000, level >= 4) AS median_retention
FROM (
${journeys}
)
${groupBy}
ORDER BY total DESC, awareness DESC, key`);
}

const count = z.coerce.number().int().nonnegative();
export const funnelRowSchema = z.object({
  key: z.string(),
  total: z.coerce.number(),
  awareness: count,
  engagement: count,
  transaction: count,
  retention: count,
  median_engagement: z.coerce.number(),
  median_transaction: z.coerce.number(),
  median_retention: z.coerce.number(),
});
export type FunnelRow = z.infer<typeof funnelRowSchema>;

export interface FunnelStep {
  stage: Stage;
  people: number;
  /** Share of the previous stage that reached this one (1 for awareness); null when 0/0. */
  stepConversion: number | null;
  /** Share of awareness that reached this stage. */
  overallConversion: number | null;
  /** People of the previous stage who did not reach this one. */
  dropOff: number;
  dropOffRate: number | null;
  /** Median seconds from the previous stage to this one; null for awareness or nobody. */
  medianSecondsFromPrevious: number | null;
}

export interface FunnelSeries {
  /** '' for everyone, else the breakdown value. */
  key: string;
  steps: FunnelStep[];
}

export interface FunnelResult {
  breakdown: Breakdown;
  windowDays: number;
  total: FunnelSeries;
  groups: FunnelSeries[];
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Derives rates and drop-off from the counts: the same arithmetic for API, CLI and dashboard. */
export function toFunnelSeries(row: FunnelRow): FunnelSeries {
  const people = [row.awareness, row.engagement, row.transaction, row.retention];
  const medians = [null, row.median_engagement, row.median_transaction, row.median_retention];
  const steps = STAGES.map((stage, i): FunnelStep => {
    const here = people[i] ?? 0;
    const before = i === 0 ? here : (people[i - 1] ?? 0);
    const median = medians[i] ?? null;
    return {
      stage,
      people: here,
      stepConversion: ratio(here, before),
      overallConversion: ratio(here, people[0] ?? 0),
      dropOff: before - here,
      dropOffRate: i === 0 ? (here === 0 ? null : 0) : ratio(before - here, before),
      medianSecondsFromPrevious: i === 0 || here === 0 ? null : median,
    };
  });
  return { key: row.key, steps };
}

export function toFunnelResult(rows: FunnelRow[], q: FunnelQuery): FunnelResult {
  const empty: FunnelRow = {
    key: '',
    total: 1,
    awareness: 0,
    engagement: 0,
    transaction: 0,
    retention: 0,
    median_engagement: 0,
    median_transaction: 0,
    median_retention: 0,
  };
  const totalRow = rows.find((r) => r.total === 1) ?? empty;
  return {
    breakdown: q.breakdown,
    windowDays: q.windowDays,
    total: toFunnelSeries(totalRow),
    groups: q.breakdown === 'none' ? [] : rows.filter((r) => r.total === 0).map(toFunnelSeries),
  };
}
