/**
 * Retention cohorts: people grouped by the week of their first activity in the range and their
 * first-touch channel; for each later week, how many of them were active again.
 */
import { DEVICE_KEY_SQL, TOUCH_BEARING_SQL } from '@waymark/contract/schema';
import { z } from 'zod';
import { type BoundQuery, SqlParams } from '../sql/params.js';
import {
  deviceIdentitiesSql,
  lookupJoin,
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
  /** Now, epoch ms: weeks that have not begun by then (or by the range's end) answer null. */
  nowMs: number;
}

export function retentionSql(target: QueryTarget, q: RetentionQuery): BoundQuery {
  const params = new SqlParams();
  const p = stagePredicates(params, q.rules);
  const events = scanSql(params, target, q.scope, [
    'anonymous_id',
    'user_id',
    'timestamp',
    'type',
    'event',
    'first_channel',
    'first_campaign',
    'session_id',
    'session_channel',
    'page_url',
    'page_referrer',
  ]);
  const having = personConditions(params, q.scope);
  // One person row per stitched person (their first channel: their earliest touch's, as in the
  // funnel), its active weeks unrolled by one ARRAY JOIN, and the per-channel and all-channels
  // counts from one GROUP BY with grouping sets.
  return params.query(`SELECT
  toString(cohort_week) AS cohort,
  if(grouping(first_channel) = 1, '', first_channel) AS channel,
  toRelativeWeekNum(week) - toRelativeWeekNum(cohort_week) AS week_offset,
  count() AS people
FROM (
  SELECT
    if(id_user != 0, id_user, device) AS person,
    max(id_user != 0 OR user_only) AS identified,
    min(toMonday(timestamp)) AS cohort_week,
    max(touch) = 1 AS has_entry,
    argMinIf((touch_channel, touch_campaign), timestamp, touch = 1) AS entry,
    if(has_entry, tupleElement(entry, 1), 'direct') AS first_channel,
    if(has_entry, tupleElement(entry, 2), '') AS first_campaign,
    groupUniqArray(toMonday(timestamp)) AS weeks
  FROM ${lookupJoin(
    {
      sql: `SELECT ${DEVICE_KEY_SQL} AS device, anonymous_id = '' AS user_only, timestamp,
    first_channel AS touch_channel, first_campaign AS touch_campaign, toUInt8(${TOUCH_BEARING_SQL}) AS touch
  FROM (
${events}
  )
  WHERE ${p.awareness}`,
      alias: 'scanned',
    },
    { sql: deviceIdentitiesSql(params, target), alias: 'identities' },
    'device',
  )}
  GROUP BY person${having ? `\n  HAVING ${having}` : ''}
)
ARRAY JOIN weeks AS week
WHERE week_offset <= ${params.uint32(Math.trunc(q.weeks), 'weeks')}
GROUP BY GROUPING SETS ((cohort_week, first_channel, week_offset), (cohort_week, week_offset))
ORDER BY cohort_week, channel, week_offset`);
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
  /**
   * Index = weeks after acquisition (0 = the cohort week, always everyone). null for a week
   * that had not begun by the end of the range or by now: nothing is known of it yet.
   */
  returning: (number | null)[];
  returningShare: (number | null)[];
}

export interface RetentionResult {
  weeks: number;
  cohorts: RetentionCohort[];
}

const WEEK_MS = 7 * 86_400_000;

export function toRetentionResult(rows: RetentionRow[], q: RetentionQuery): RetentionResult {
  const observedUntil = Math.min(q.nowMs, Date.parse(`${q.scope.end.replace(' ', 'T')}Z`));
  const cohorts = new Map<string, RetentionCohort>();
  for (const row of rows) {
    const id = `${row.cohort}\u0000${row.channel}`;
    let c = cohorts.get(id);
    if (!c) {
      c = {
        cohort: row.cohort,
        channel: row.channel,
        people: 0,
        returning: Array.from({ length: q.weeks + 1 }, (_, week) =>
          Date.parse(`${row.cohort}T00:00:00Z`) + week * WEEK_MS < observedUntil ? 0 : null,
        ),
        returningShare: [],
      };
      cohorts.set(id, c);
    }
    c.returning[row.week_offset] = row.people;
    if (row.week_offset === 0) c.people = row.people;
  }
  const list = [...cohorts.values()];
  for (const c of list)
    c.returningShare = c.returning.map((n) =>
      n === null ? null : c.people === 0 ? 0 : n / c.people,
    );
  return { weeks: q.weeks, cohorts: list };
}
