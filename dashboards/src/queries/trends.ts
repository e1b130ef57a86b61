/**
 * Channel trends: per day or week and session channel, the people, sessions and conversions.
 * A person is counted once per bucket and channel (stitched across their anonymous ids).
 */
import { z } from 'zod';
import { type BoundQuery, SqlParams } from '../sql/params.js';
import {
  identifiedCondition,
  identityMapSql,
  lookupJoin,
  PERSON_EXPR,
  type QueryTarget,
  scanSql,
} from './base.js';
import type { Scope } from './scope.js';
import { type StageRules, stagePredicates } from './stages.js';

export const INTERVALS = ['day', 'week'] as const;
export type Interval = (typeof INTERVALS)[number];

const BUCKET: Record<Interval, string> = {
  day: 'toDate(timestamp)',
  // Weeks start on Monday (ISO).
  week: 'toMonday(timestamp)',
};

export interface TrendsQuery {
  scope: Scope;
  rules: StageRules;
  interval: Interval;
}

export function trendsSql(target: QueryTarget, q: TrendsQuery): BoundQuery {
  const params = new SqlParams();
  const p = stagePredicates(params, q.rules);
  const events = scanSql(
    params,
    target,
    q.scope,
    ['anonymous_id', 'session_id', 'timestamp', 'type', 'event', 'session_channel'],
    { firstTouchOnEvents: true },
  );
  const identified = identifiedCondition(q.scope, "(id_user_id != '')");
  // Sets per (bucket, channel) first, then each set merged into its channel and into the
  // all-channels total by grouping sets: the total is built from a few hundred states, not
  // from every event (uniqExact states merge exactly; a person in two channels counts once in
  // all). The total's channel is '' (session channels are the seven names, never '').
  return params.query(`SELECT
  toString(bucket_start) AS bucket,
  if(grouping(session_channel) = 1, '', session_channel) AS channel,
  uniqExactMerge(people_set) AS people,
  uniqExactMerge(sessions_set) AS sessions,
  uniqExactMerge(conversions_set) AS conversions
FROM (
  SELECT
    bucket_start,
    session_channel,
    uniqExactState(${PERSON_EXPR}) AS people_set,
    uniqExactState(cityHash64(anonymous_id, session_id)) AS sessions_set,
    uniqExactStateIf(message_id, ${p.transaction}) AS conversions_set
  FROM ${lookupJoin(
    {
      sql: `SELECT ${BUCKET[q.interval]} AS bucket_start, session_channel, anonymous_id, session_id, message_id, type, event
  FROM (
${events}
  )`,
      alias: 'scanned',
    },
    { sql: identityMapSql(params, target), alias: 'identities' },
    'anonymous_id',
  )}
${
  identified
    ? `  WHERE ${identified}
`
    : ''
}  GROUP BY bucket_start, session_channel
)
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
