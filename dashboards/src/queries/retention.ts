/**
 * Retention cohorts: people grouped by the week of their first activity in the range and their
 * first-touch channel; for each later week, how many of them were active again.
 */
import { z } from 'zod';
import { sqlNumber } from '../sql/escape.js';
import {
  identityMapSql,
  PERSON_EXPR,
  personConditions,
  type QueryTarget,
  scanSql,
} from './base.js';
import type { Scope } from './scope.js';
import { type StageRules, stagePredicates } from './stages.js';

export interface RetentionQuery {
  scope: Scope;
  rules: StageRules;
  /** Weeks after the acquisition week to report (0 is the cohort itself). */
  weeks: number;
}

export function retentionSql(target: QueryTarget, q: RetentionQuery): string {
  const p = stagePredicates(q.rules);
  const events = scanSql(target, q.scope, [
    'anonymous_id',
    'timestamp',
    'type',
    'first_channel',
    'first_campaign',
  ]);
  const having = personConditions(q.scope);
  // Two nested ARRAY JOINs: ClickHouse 18.16 allows one per SELECT.
  return `SELECT
  toString(cohort) AS cohort,
  channel,
  week_offset,
  count() AS people
FROM (
  SELECT cohort, first_channel, toRelativeWeekNum(week) - toRelativeWeekNum(cohort) AS week_offset
  FROM (
  SELECT
    ${PERSON_EXPR} AS person,
    max(id_user_id != '') AS identified,
    min(toMonday(timestamp)) AS cohort,
    argMin(first_channel, timestamp) AS first_channel,
    argMin(first_campaign, timestamp) AS first_campaign,
    groupUniqArray(toMonday(timestamp)) AS weeks
  FROM (
    SELECT anonymous_id, timestamp, first_channel, first_campaign
    FROM (
${events}
    )
    WHERE ${p.awareness}
  ) ANY LEFT JOIN (
${identityMapSql(target)}
  ) USING anonymous_id
  GROUP BY person${having ? `\n  HAVING ${having}` : ''}
  )
  ARRAY JOIN weeks AS week
  WHERE week_offset <= ${sqlNumber(Math.trunc(q.weeks))}
)
ARRAY JOIN [0, 1] AS total
GROUP BY cohort, if(total = 1, '', first_channel) AS channel, week_offset
ORDER BY cohort, channel, week_offset`;
}

const count = z.coerce.number().int().nonnegative();
export const retentionRowSchema = z.object({
  cohort: z.string(),
  channel: z.string(),
  week_offset: z.coerce.number().int().nonnegative(),
  people: count,
});
export type RetentionRow = z.infer<typeof retentionRowSchema>;

export interface RetentionCohort {
  /** Monday of the acquisition week, YYYY-MM-DD. */
  cohort: string;
  /** First-touch channel; '' for all channels. */
  channel: string;
  people: number;
  /** Index = weeks after acquisition (0 = the cohort week, always 1 when people > 0). */
  returning: number[];
  returningShare: number[];
}

export interface RetentionResult {
  weeks: number;
  cohorts: RetentionCohort[];
}

export function toRetentionResult(rows: RetentionRow[], q: RetentionQuery): RetentionResult {
  const cohorts = new Map<string, RetentionCohort>();
  for (const row of rows) {
    const id = `${row.cohort}\u0000${row.channel}`;
    let c = cohorts.get(id);
    if (!c) {
      c = {
        cohort: row.cohort,
        channel: row.channel,
        people: 0,
        returning: Array.from({ length: q.weeks + 1 }, () => 0),
        returningShare: [],
      };
      cohorts.set(id, c);
    }
    c.returning[row.week_offset] = row.people;
    if (row.week_offset === 0) c.people = row.people;
  }
  const list = [...cohorts.values()];
  for (const c of list)
    c.returningShare = c.returning.map((n) => (c.people === 0 ? 0 : n / c.people));
  return { weeks: q.weeks, cohorts: list };
}
