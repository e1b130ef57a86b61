/**
 * The building blocks every question shares: the filtered event scan, the identity map, and the
 * per-session and per-person aggregations the stage logic runs on.
 *
 * Duplicate safety: the events table is a ReplacingMergeTree and may hold more than one row per
 * message_id (a client retry can even differ by a second in timestamp). A global
 * `LIMIT 1 BY message_id` over a whole range costs a hash entry per event (seconds at 10M), so
 * the funnel-side scans (devicesSql, trends, retention, drop-off) use only aggregates that count
 * each message_id once however often it is stored — min / argMin / argMax (the earliest copy),
 * uniqExact(message_id), sets of days or weeks, and page views deduplicated by message id inside
 * each device's array. Attribution, which sums revenue per conversion, reads through the
 * processor's `dedupedEventsQuery`. The identity map is the processor's `identityMapQuery`.
 */
import {
  dedupedEventsQuery,
  type EventColumn,
  identityMapQuery,
  TABLES,
} from '@waymark/processor/schema';
import { sqlIdentifier, sqlNumber, sqlString, sqlStringList } from '../sql/escape.js';
import type { Scope } from './scope.js';
import { type StageRules, stagePredicates } from './stages.js';

export interface QueryTarget {
  database: string;
  projectId: string;
}

/**
 * Event-level conditions: project, time range, bots and device. With `firstTouchOnEvents` the
 * channel and campaign filters also apply per event (to the first touch each event carries);
 * otherwise they apply per person, see personConditions.
 */
export function eventConditions(
  target: QueryTarget,
  scope: Scope,
  range: { start: string; end: string } = scope,
  firstTouchOnEvents = false,
): string {
  const conditions = [
    `project_id = ${sqlString(target.projectId)}`,
    `timestamp >= toDateTime(${sqlString(range.start)})`,
    `timestamp < toDateTime(${sqlString(range.end)})`,
  ];
  if (!scope.includeBots) conditions.push('is_bot = 0');
  if (scope.devices.length > 0) conditions.push(`device_type IN ${sqlStringList(scope.devices)}`);
  if (firstTouchOnEvents) conditions.push(...firstTouchConditions(scope));
  return conditions.join('\n  AND ');
}

function firstTouchConditions(
  scope: Scope,
  columns = { channel: 'first_channel', campaign: 'first_campaign' },
): string[] {
  const conditions: string[] = [];
  if (scope.channels.length > 0)
    conditions.push(`${columns.channel} IN ${sqlStringList(scope.channels)}`);
  if (scope.campaigns.length > 0)
    conditions.push(`${columns.campaign} IN ${sqlStringList(scope.campaigns)}`);
  return conditions;
}

/**
 * Person-level conditions (for HAVING over one row per person with `first_channel`,
 * `first_campaign` and `identified`): the person's first touch in the range — from their
 * earliest session, across all their stitched anonymous ids — and whether they are identified.
 */
export function personConditions(scope: Scope): string {
  const identified = identifiedCondition(scope);
  return [...firstTouchConditions(scope), ...(identified ? [identified] : [])].join(' AND ');
}

/** anonymous_id → the user id it was last linked to (identify / alias), as `id_user_id`. */
export function identityMapSql(target: QueryTarget): string {
  const map = identityMapQuery({
    database: target.database,
    where: `project_id = ${sqlString(target.projectId)}`,
  });
  return `SELECT anonymous_id, user_id AS id_user_id FROM (${map})`;
}

/** Every event of the scope once, with the given columns. */
export function eventsSql(
  target: QueryTarget,
  scope: Scope,
  columns: readonly EventColumn[],
  options: { range?: { start: string; end: string }; firstTouchOnEvents?: boolean } = {},
): string {
  return dedupedEventsQuery({
    database: target.database,
    columns,
    where: eventConditions(target, scope, options.range, options.firstTouchOnEvents),
  });
}

/**
 * The scope's events without deduplication, for callers whose aggregates count each
 * message_id once anyway (uniqExact, min/argMin/argMax, sets): see the file comment.
 */
export function scanSql(
  target: QueryTarget,
  scope: Scope,
  columns: readonly EventColumn[],
  options: { firstTouchOnEvents?: boolean } = {},
): string {
  const list = [...new Set<EventColumn>(['message_id', ...columns])].map(sqlIdentifier);
  return `SELECT ${list.join(', ')} FROM ${tableOf(target)} WHERE ${eventConditions(target, scope, scope, options.firstTouchOnEvents)}`;
}

/** The stitched person: the linked user id, else the anonymous id. Needs `id_user_id` joined. */
export const PERSON_EXPR = "if(id_user_id != '', id_user_id, anonymous_id)";

/** SQL condition on `identified` (0/1) for the scope's identified filter, or '' for any. */
export function identifiedCondition(scope: Scope, column = 'identified'): string {
  if (scope.identified === 'yes') return `${column} = 1`;
  if (scope.identified === 'no') return `${column} = 0`;
  return '';
}

/** The columns the attribution session aggregation reads. */
const SESSION_COLUMNS = [
  'type',
  'event',
  'anonymous_id',
  'session_id',
  'timestamp',
  'session_channel',
  'first_channel',
  'first_campaign',
  'revenue',
] as const satisfies readonly EventColumn[];

/**
 * One row per anonymous id (a browser or app install) straight from the events table, with the
 * first moment of each stage as epoch seconds (0: never) and its entry attributes. Grouping by
 * device rather than by session keeps the hash table small: this is the funnel's hot path.
 */
export function devicesSql(target: QueryTarget, scope: Scope, rules: StageRules): string {
  const p = stagePredicates(rules);
  const pagesOn = rules.engagement.minPageViewsPerSession > 0;
  // Page views as (session, time, message) sorted, each message once (its earliest copy), then
  // the N-th view of each session: arrayEnumerateUniq numbers repeats of a value in order.
  const pageMoment = pagesOn
    ? `arraySort(groupArrayIf(tuple(cityHash64(session_id), toUInt32(timestamp), cityHash64(message_id)), type = ${p.pageType})) AS d_pages_sorted,
  arrayFilter((x, u) -> u = 1, d_pages_sorted, arrayEnumerateUniq(arrayMap(x -> tupleElement(x, 3), d_pages_sorted))) AS d_pages,
  arrayFilter((x, k) -> k = ${p.minPageViews}, d_pages, arrayEnumerateUniq(arrayMap(x -> tupleElement(x, 1), d_pages))) AS d_nth_pages,
  arrayReduce('min', arrayMap(x -> tupleElement(x, 2), d_nth_pages)) AS d_e_pages`
    : 'toUInt32(0) AS d_e_pages';
  return `SELECT
  anonymous_id,
  toUInt32(min(timestamp)) AS d_start,
  argMin(first_channel, timestamp) AS d_first_channel,
  argMin(first_campaign, timestamp) AS d_first_campaign,
  argMin(session_channel, timestamp) AS d_session_channel,
  argMin(session_campaign, timestamp) AS d_campaign,
  argMin(device_type, timestamp) AS d_device,
  toUInt32(minIf(timestamp, ${p.awareness})) AS d_a,
  toUInt32(minIf(timestamp, ${p.engagementEvent})) AS d_e_event,
  ${pageMoment},
  arrayReduce('min', arrayFilter(x -> x > 0, [d_e_event, d_e_pages])) AS d_e,
  toUInt32(minIf(timestamp, ${p.transaction})) AS d_t,
  groupArrayIf(toUInt32(timestamp), ${p.retention}) AS d_r
FROM ${tableOf(target)}
WHERE ${eventConditions(target, scope)}
GROUP BY anonymous_id`;
}

/** `db.events`, for scans that are duplicate-safe by construction (see the file comment). */
export function tableOf(target: QueryTarget): string {
  return `${sqlIdentifier(target.database)}.${sqlIdentifier(TABLES.events)}`;
}

/**
 * One row per stitched person: entry attributes (from their earliest device activity), the
 * first moment of each stage (0: never), and the moments that could count as a return.
 */
export function peopleSql(target: QueryTarget, scope: Scope, rules: StageRules): string {
  const having = personConditions(scope);
  return `SELECT
  ${PERSON_EXPR} AS person,
  max(id_user_id != '') AS identified,
  argMin(d_first_channel, d_start) AS first_channel,
  argMin(d_first_campaign, d_start) AS first_campaign,
  argMin(d_session_channel, d_start) AS session_channel,
  argMin(d_campaign, d_start) AS campaign,
  argMin(d_device, d_start) AS device,
  minIf(d_a, d_a > 0) AS a,
  minIf(d_e, d_e > 0) AS e,
  minIf(d_t, d_t > 0) AS t,
  groupArrayArray(d_r) AS r_candidates
FROM (
${devicesSql(target, scope, rules)}
) ANY LEFT JOIN (
${identityMapSql(target)}
) USING anonymous_id
GROUP BY person${having ? `\nHAVING ${having}` : ''}`;
}

/**
 * One row per (anonymous_id, session_id) of the deduplicated events: when the session started,
 * its channel, the device's first touch, and its conversions as (epoch seconds, message_id,
 * revenue) within `conversions`.
 */
export function sessionsSql(
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: { conversions: { start: string; end: string }; range: { start: string; end: string } },
): string {
  const p = stagePredicates(rules);
  return `SELECT
  anonymous_id,
  session_id,
  toUInt32(min(timestamp)) AS s_start,
  argMin(session_channel, timestamp) AS s_channel,
  argMin(first_channel, timestamp) AS s_first_channel,
  argMin(first_campaign, timestamp) AS s_first_campaign,
  groupArrayIf(tuple(toUInt32(timestamp), message_id, revenue),
    ${p.transaction}
    AND timestamp >= toDateTime(${sqlString(options.conversions.start)})
    AND timestamp < toDateTime(${sqlString(options.conversions.end)})) AS s_convs
FROM (
${eventsSql(target, scope, SESSION_COLUMNS, { range: options.range })}
)
GROUP BY anonymous_id, session_id`;
}

/** Per stitched person: session touches in time order and conversions, for attribution. */
export function touchPathsSql(
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: { conversions: { start: string; end: string }; range: { start: string; end: string } },
): string {
  const having = personConditions(scope);
  return `SELECT
  ${PERSON_EXPR} AS person,
  max(id_user_id != '') AS identified,
  argMin(s_first_channel, s_start) AS first_channel,
  argMin(s_first_campaign, s_start) AS first_campaign,
  arraySort(groupArray(tuple(s_start, s_channel))) AS touches,
  groupArrayArray(s_convs) AS convs
FROM (
${sessionsSql(target, scope, rules, options)}
) ANY LEFT JOIN (
${identityMapSql(target)}
) USING anonymous_id
GROUP BY person${having ? `\nHAVING ${having}` : ''}`;
}

/**
 * People with the stage they reached (`level` 1–4) and when, within `windowDays` of their
 * first awareness moment, each stage no earlier than the one before. The return moment is the
 * first retention-rule event on a UTC day at least `afterDays` after the first transaction's.
 */
export function journeysSql(
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  windowDays: number,
): string {
  const p = stagePredicates(rules);
  const window = sqlNumber(Math.trunc(windowDays) * 86400);
  return `SELECT
  person, identified, first_channel, session_channel, campaign, device, a, e, t,
  e > 0 AND e >= a AND e - a <= ${window} AS ok_e,
  ok_e AND t > 0 AND t >= e AND t - a <= ${window} AS ok_t,
  arrayReduce('min', arrayFilter(x -> intDiv(x, 86400) >= intDiv(t, 86400) + ${p.afterDays}, r_candidates)) AS r,
  ok_t AND r > 0 AND r - a <= ${window} AS ok_r,
  multiIf(ok_r, 4, ok_t, 3, ok_e, 2, 1) AS level
FROM (
${peopleSql(target, scope, rules)}
)
WHERE a > 0`;
}
