/**
 * The building blocks every question shares: the filtered event scan, the identity map, and the
 * per-session and per-person aggregations the stage logic runs on.
 *
 * Duplicate safety: the events table is a ReplacingMergeTree and may hold more than one row per
 * message_id (a client retry can even differ by a second in timestamp), so every scan reads
 * through the processor's `dedupedEventsQuery` (`LIMIT 1 BY project_id, message_id`) and the
 * identity map through its `identityMapQuery` (argMax): each message counts once.
 */
import { dedupedEventsQuery, type EventColumn, identityMapQuery } from '@waymark/processor/schema';
import { sqlString, sqlStringList } from '../sql/escape.js';
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

/** The columns the session aggregation reads. */
const SESSION_COLUMNS = [
  'type',
  'event',
  'anonymous_id',
  'session_id',
  'timestamp',
  'session_channel',
  'session_campaign',
  'first_channel',
  'first_campaign',
  'device_type',
  'revenue',
] as const satisfies readonly EventColumn[];

/** The stitched person: the linked user id, else the anonymous id. Needs `id_user_id` joined. */
export const PERSON_EXPR = "if(id_user_id != '', id_user_id, anonymous_id)";

/** SQL condition on `identified` (0/1) for the scope's identified filter, or '' for any. */
export function identifiedCondition(scope: Scope, column = 'identified'): string {
  if (scope.identified === 'yes') return `${column} = 1`;
  if (scope.identified === 'no') return `${column} = 0`;
  return '';
}

export interface SessionOptions {
  /** Adds `s_convs`: the session's conversions as (epoch seconds, message_id, revenue). */
  conversions?: { start: string; end: string };
  /** The events scanned (attribution looks back before the range start). */
  range?: { start: string; end: string };
}

/**
 * One row per (anonymous_id, session_id) with the first moment of each stage in it, as epoch
 * seconds (0: not in this session).
 */
export function sessionsSql(
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: SessionOptions = {},
): string {
  const p = stagePredicates(rules);
  const pagesOn = rules.engagement.minPageViewsPerSession > 0;
  const pageMoment = pagesOn
    ? `if(countIf(type = ${p.pageType}) >= ${p.minPageViews},
      arraySort(groupArrayIf(toUInt32(timestamp), type = ${p.pageType}))[${p.minPageViews}],
      toUInt32(0))`
    : 'toUInt32(0)';
  const conversions = options.conversions
    ? `,
  groupArrayIf(tuple(toUInt32(timestamp), message_id, revenue),
    ${p.transaction}
    AND timestamp >= toDateTime(${sqlString(options.conversions.start)})
    AND timestamp < toDateTime(${sqlString(options.conversions.end)})) AS s_convs`
    : '';
  return `SELECT
  anonymous_id,
  session_id,
  toUInt32(min(timestamp)) AS s_start,
  argMin(session_channel, timestamp) AS s_channel,
  argMin(session_campaign, timestamp) AS s_campaign,
  argMin(first_channel, timestamp) AS s_first_channel,
  argMin(first_campaign, timestamp) AS s_first_campaign,
  argMin(device_type, timestamp) AS s_device,
  toUInt32(minIf(timestamp, ${p.awareness})) AS s_a,
  toUInt32(minIf(timestamp, ${p.engagementEvent})) AS s_e_event,
  ${pageMoment} AS s_e_pages,
  arrayReduce('min', arrayFilter(x -> x > 0, [s_e_event, s_e_pages])) AS s_e,
  toUInt32(minIf(timestamp, ${p.transaction})) AS s_t,
  toUInt32(minIf(timestamp, ${p.retention})) AS s_r${conversions}
FROM (
${eventsSql(target, scope, SESSION_COLUMNS, { range: options.range })}
)
GROUP BY anonymous_id, session_id`;
}

/**
 * One row per stitched person: entry attributes (from their earliest session), first moment of
 * each stage (0: never), and the candidate return moments for retention.
 */
export function peopleSql(
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: SessionOptions = {},
): string {
  const having = personConditions(scope);
  const conversions = options.conversions
    ? `,
  arraySort(groupArray(tuple(s_start, s_channel))) AS touches,
  groupArrayArray(s_convs) AS convs`
    : '';
  return `SELECT
  ${PERSON_EXPR} AS person,
  max(id_user_id != '') AS identified,
  argMin(s_first_channel, s_start) AS first_channel,
  argMin(s_first_campaign, s_start) AS first_campaign,
  argMin(s_channel, s_start) AS session_channel,
  argMin(s_campaign, s_start) AS campaign,
  argMin(s_device, s_start) AS device,
  minIf(s_a, s_a > 0) AS a,
  minIf(s_e, s_e > 0) AS e,
  minIf(s_t, s_t > 0) AS t,
  groupArrayIf(s_r, s_r > 0) AS r_candidates${conversions}
FROM (
${sessionsSql(target, scope, rules, options)}
) ANY LEFT JOIN (
${identityMapSql(target)}
) USING anonymous_id
GROUP BY person${having ? `\nHAVING ${having}` : ''}`;
}

/**
 * People with the stage they reached (`level` 1–4) and when, within `windowDays` of their
 * first awareness moment, each stage no earlier than the one before.
 */
export function journeysSql(
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  windowDays: number,
): string {
  const p = stagePredicates(rules);
  const window = `${Math.trunc(windowDays) * 86400}`;
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
