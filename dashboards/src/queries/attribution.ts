/**
 * Channel attribution: every conversion (transaction event) and its revenue credited to the
 * channels of the person's session touches before it, under six models side by side.
 *
 * A touch is a session start (its session channel); the path of a conversion is the person's
 * touches (anonymous history stitched to the user) from `lookbackDays` before it up to it,
 * its own session included.
 */

import { clickHouseDateTime } from '@waymark/kit/clickhouse-time';
import { z } from 'zod';
import { type BoundQuery, SqlParams } from '../sql/params.js';
import { type QueryTarget, touchPathsSql } from './base.js';
import type { Scope } from './scope.js';
import type { StageRules } from './stages.js';

export const MODELS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
] as const;
export type Model = (typeof MODELS)[number];

export interface AttributionQuery {
  scope: Scope;
  rules: StageRules;
  /** The project's session timeout: touches are session starts. */
  sessionTimeoutMs: number;
  lookbackDays: number;
  halfLifeDays: number;
}

/** Per-touch weights for one conversion; each model's weights sum to 1. */
const WEIGHTS: Record<Model, string> = {
  first_touch: 'arrayMap(i -> if(i = 1, 1., 0.), idx)',
  last_touch: 'arrayMap(i -> if(i = n, 1., 0.), idx)',
  // The last touch that was not direct; all direct: the last touch.
  last_non_direct: 'arrayMap(i -> if(i = lnd, 1., 0.), idx)',
  linear: 'arrayMap(i -> 1. / n, idx)',
  // 2^(-age / half-life), normalized over the path.
  time_decay: 'arrayMap(d -> d / arraySum(decay), decay)',
  // 40% first, 40% last, 20% shared by the middle; one touch: all; two: half each.
  position_based:
    'arrayMap(i -> multiIf(n = 1, 1., n = 2, 0.5, i = 1 OR i = n, 0.4, 0.2 / (n - 2)), idx)',
};

export function attributionSql(target: QueryTarget, q: AttributionQuery): BoundQuery {
  const params = new SqlParams();
  const lookbackMs = Math.trunc(q.lookbackDays) * 86_400_000;
  const lookback = params.int64(lookbackMs, 'lookback');
  const halfLife = params.float64(q.halfLifeDays * 86_400_000, 'halflife');
  const startMs = Date.parse(`${q.scope.start.replace(' ', 'T')}Z`);
  const endMs = Date.parse(`${q.scope.end.replace(' ', 'T')}Z`);
  const people = touchPathsSql(params, target, q.scope, q.rules, {
    conversions: { startMs, endMs },
    range: { start: clickHouseDateTime(startMs - lookbackMs), end: q.scope.end },
    sessionTimeoutMs: q.sessionTimeoutMs,
  });
  const sums = MODELS.map((m) => `sum(w_${m}) AS ${m}, sum(w_${m} * revenue) AS ${m}_revenue`);
  const joins = MODELS.map((m) => `weights_${m} AS w_${m}`);
  const weights = MODELS.map((m) => `${WEIGHTS[m]} AS weights_${m}`);
  return params.query(`SELECT
  channel,
  ${sums.join(',\n  ')}
FROM (
  SELECT
    tupleElement(conversion, 1) AS converted_at,
    tupleElement(conversion, 3) AS revenue,
    arrayFilter(x -> tupleElement(x, 1) <= converted_at AND tupleElement(x, 1) + ${lookback} >= converted_at, touches) AS path,
    arrayMap(x -> tupleElement(x, 2), path) AS channels,
    length(path) AS n,
    arrayEnumerate(path) AS idx,
    arrayReduce('max', arrayMap((c, i) -> if(c != 'direct', i, 0), channels, idx)) AS last_non_direct_index,
    if(last_non_direct_index = 0, n, last_non_direct_index) AS lnd,
    arrayMap(x -> pow(2., -(converted_at - tupleElement(x, 1)) / ${halfLife}), path) AS decay,
    ${weights.join(',\n    ')}
  FROM (
${people}
  )
  ARRAY JOIN convs AS conversion
  WHERE n > 0
)
ARRAY JOIN channels AS channel, ${joins.join(', ')}
GROUP BY channel
ORDER BY channel`);
}

const num = z.coerce.number();
export const attributionRowSchema = z.object({
  channel: z.string(),
  ...Object.fromEntries(MODELS.flatMap((m) => [[m, num] as const, [`${m}_revenue`, num] as const])),
}) as unknown as z.ZodType<{ channel: string } & Record<Model | `${Model}_revenue`, number>>;
export type AttributionRow = z.infer<typeof attributionRowSchema>;

export interface ChannelCredit {
  channel: string;
  /** Per model: conversions (fractional) and revenue credited to this channel. */
  models: Record<Model, { conversions: number; revenue: number }>;
}

export interface AttributionResult {
  models: readonly Model[];
  lookbackDays: number;
  halfLifeDays: number;
  /** Conversions in the range with at least one touch, and their revenue. */
  conversions: number;
  revenue: number;
  channels: ChannelCredit[];
}

/** Rounds away float noise from summing fractions (credits are exact to 1e-9). */
const tidy = (x: number): number => Math.round(x * 1e9) / 1e9;

export function toAttributionResult(
  rows: AttributionRow[],
  q: AttributionQuery,
  models: readonly Model[] = MODELS,
): AttributionResult {
  const channels = rows.map((row) => ({
    channel: row.channel,
    models: Object.fromEntries(
      models.map((m) => [m, { conversions: tidy(row[m]), revenue: tidy(row[`${m}_revenue`]) }]),
    ) as Record<Model, { conversions: number; revenue: number }>,
  }));
  // Every model credits each conversion exactly once in total: linear's sum is the count.
  return {
    models,
    lookbackDays: q.lookbackDays,
    halfLifeDays: q.halfLifeDays,
    conversions: tidy(rows.reduce((s, r) => s + r.linear, 0)),
    revenue: tidy(rows.reduce((s, r) => s + r.linear_revenue, 0)),
    channels,
  };
}
