/**
 * Channel trends: per day or week and session channel, the people, sessions and conversions.
 * A person is counted once per bucket and channel (stitched across their anonymous ids).
 */
import { z } from 'zod';
import { type BoundQuery, SqlParams } from '../sql/params.js';
import { deviceIdentitiesSql, lookupJoin, personConditions, type QueryTarget } from './base.js';
import { peopleSql } from './journeys.js';
import type { Scope } from './scope.js';
import type { StageRules } from './stages.js';
import { hasFlag, timelinesSql } from './timeline.js';

export const INTERVALS = ['day', 'week'] as const;
export type Interval = (typeof INTERVALS)[number];

/** The bucket of an epoch-ms time (UTC). */
const BUCKET: Record<Interval, (ms: string) => string> = {
  day: (ms) => `toDate(fromUnixTimestamp64Milli(${ms}, 'UTC'))`,
  // Weeks start on Monday (ISO).
  week: (ms) => `toMonday(fromUnixTimestamp64Milli(${ms}, 'UTC'))`,
};

export interface TrendsQuery {
  scope: Scope;
  rules: StageRules;
  sessionTimeoutMs: number;
  interval: Interval;
}

export function trendsSql(target: QueryTarget, q: TrendsQuery): BoundQuery {
  const params = new SqlParams();
  const timelines = timelinesSql(params, target, q.scope, q.rules, {
    range: q.scope,
    sessionTimeoutMs: q.sessionTimeoutMs,
  });
  const bucket = BUCKET[q.interval];
  // One row per device session: its channel (its first touch-bearing event's, else direct),
  // the buckets it has events in, and its conversions as (bucket, message). A device's SDK
  // events and its other events are two timelines, each numbering its sessions from 1: `sdk`
  // keeps their sessions apart.
  const sessions = `SELECT
    device, sdk, user_only, s AS session,
    if(max(${hasFlag('f', 'touch')}) = 1, argMinIf(c, t, ${hasFlag('f', 'touch')}), 'direct') AS session_channel,
    groupUniqArray(bucket) AS buckets,
    groupArrayIf((bucket, m), ${hasFlag('f', 'transaction')}) AS conversions
  FROM (
    SELECT device, sdk, user_only, t, m, f, c, s, ${bucket('t')} AS bucket
    FROM (
${timelines}
    )
    ARRAY JOIN t, m, f, c, s
  )
  GROUP BY device, sdk, user_only, session`;
  // Person filters (first channel, campaign, identified) are about the person, as everywhere.
  const having = personConditions(params, q.scope);
  const people = having
    ? `\n  WHERE person IN (SELECT person FROM (${peopleSql(params, target, q.scope, q.rules, { sessionTimeoutMs: q.sessionTimeoutMs })}))`
    : '';
  // Each session contributes (bucket, 0) per bucket it was active in and (bucket, message) per
  // conversion: people and sessions count per bucket and channel, conversions once each.
  return params.query(`SELECT
  toString(bucket_start) AS bucket,
  if(grouping(session_channel) = 1, '', session_channel) AS channel,
  uniqExact(person) AS people,
  uniqExact(device, sdk, session) AS sessions,
  uniqExactIf(message, message != 0) AS conversions
FROM (
  SELECT if(id_user != 0, id_user, device) AS person, device, sdk, session, session_channel,
    tupleElement(entry, 1) AS bucket_start, tupleElement(entry, 2) AS message
  FROM ${lookupJoin(
    { sql: sessions, alias: 'sessions' },
    { sql: deviceIdentitiesSql(params, target), alias: 'identities' },
    'device',
  )}
  ARRAY JOIN arrayConcat(arrayMap(b -> (b, toUInt64(0)), buckets), conversions) AS entry
)${people}
GROUP BY GROUPING SETS ((bucket_start, session_channel), (bucket_start))
ORDER BY bucket_start, channel`);
}

const count = z.coerce.number().int().nonnegative();
export const trendsRowSchema = z.object({
  bucket: z.string(),
  channel: z.string(),
  people: count,
  sessions: count,
  conversions: count,
});
export type TrendsRow = z.infer<typeof trendsRowSchema>;

export interface TrendsResult {
  interval: Interval;
  /** Bucket start dates (YYYY-MM-DD), ascending, only those with data. */
  buckets: string[];
  /** One series per session channel, plus '' for all channels; values align with buckets. */
  series: { channel: string; people: number[]; sessions: number[]; conversions: number[] }[];
}

export function toTrendsResult(rows: TrendsRow[], q: TrendsQuery): TrendsResult {
  const buckets = [...new Set(rows.map((r) => r.bucket))].sort();
  const index = new Map(buckets.map((b, i) => [b, i]));
  const series = new Map<string, TrendsResult['series'][number]>();
  for (const row of rows) {
    let s = series.get(row.channel);
    if (!s) {
      const zeros = () => buckets.map(() => 0);
      s = { channel: row.channel, people: zeros(), sessions: zeros(), conversions: zeros() };
      series.set(row.channel, s);
    }
    const i = index.get(row.bucket) ?? 0;
    s.people[i] = row.people;
    s.sessions[i] = row.sessions;
    s.conversions[i] = row.conversions;
  }
  return {
    interval: q.interval,
    buckets,
    series: [...series.values()].sort((a, b) => a.channel.localeCompare(b.channel)),
  };
}
