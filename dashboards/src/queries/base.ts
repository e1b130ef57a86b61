/**
 * The building blocks every question shares: the filtered event scan, the identity map, and the
 * per-session and per-person aggregations attribution runs on. The funnel's and drop-off's
 * people and stages come from the journey_days rollup instead (journeys.ts).
 *
 * Duplicate safety: the events table is a ReplacingMergeTree and may hold more than one row per
 * message_id (a client retry can even differ by a second in timestamp). A global
 * `LIMIT 1 BY message_id` over a whole range costs a hash entry per event (seconds at 10M), so
 * the scans here use only aggregates that count each message_id once however often it is
 * stored — min / argMin / argMax (the earliest copy), uniqExact(message_id), sets of days or
 * weeks — and attribution's conversions carry their message hash and are deduplicated per
 * person (touchPathsSql). The identity map is the processor's `identityMapQuery`; people are
 * keyed by a 64-bit hash of the linked user id, else of the anonymous id, where grouping by
 * a string would cost several times more.
 */
import { type EventColumn, identityMapQuery, TABLES } from '@waymark/contract/schema';
import { sqlIdentifier } from '../sql/escape.js';
import type { SqlParams } from '../sql/params.js';
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
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  range: { start: string; end: string } = scope,
  firstTouchOnEvents = false,
): string {
  // Parameters typed DateTime('UTC') compare with DateTime and DateTime64(3) columns alike.
  const conditions = [
    `project_id = ${projectParam(params, target)}`,
    `timestamp >= ${params.dateTime(range.start, 'start')}`,
    `timestamp < ${params.dateTime(range.end, 'end')}`,
  ];
  if (!scope.includeBots) conditions.push('is_bot = 0');
  if (scope.devices.length > 0)
    conditions.push(`device_type IN ${params.strings(scope.devices, 'devices')}`);
  if (firstTouchOnEvents) conditions.push(...firstTouchConditions(params, scope));
  return conditions.join('\n  AND ');
}

/** The project id, bound once per query however many sub-queries filter on it. */
export function projectParam(params: SqlParams, target: QueryTarget): string {
  return params.string(target.projectId, 'project');
}

function firstTouchConditions(params: SqlParams, scope: Scope): string[] {
  const conditions: string[] = [];
  if (scope.channels.length > 0)
    conditions.push(`first_channel IN ${params.strings(scope.channels, 'channels')}`);
  if (scope.campaigns.length > 0)
    conditions.push(`first_campaign IN ${params.strings(scope.campaigns, 'campaigns')}`);
  return conditions;
}

/**
 * Person-level conditions (for HAVING over one row per person with `first_channel`,
 * `first_campaign` and `identified`): the person's first touch in the range — from their
 * earliest session, across all their stitched anonymous ids — and whether they are identified.
 */
export function personConditions(params: SqlParams, scope: Scope): string {
  const identified = identifiedCondition(scope);
  return [...firstTouchConditions(params, scope), ...(identified ? [identified] : [])].join(
    ' AND ',
  );
}

/**
 * anonymous_id → the user id it was last linked to (identify / alias), as `id_user_id`: one
 * row per anonymous id, so `ANY LEFT JOIN` on it is a map lookup (see joinIdentities).
 */
export function identityMapSql(params: SqlParams, target: QueryTarget): string {
  const map = identityMapQuery({
    database: target.database,
    where: `project_id = ${projectParam(params, target)}`,
  });
  return `SELECT anonymous_id, user_id AS id_user_id FROM (${map})`;
}

/**
 * The scope's events without deduplication, for callers whose aggregates count each
 * message_id once anyway (uniqExact, min/argMin/argMax, sets): see the file comment.
 */
export function scanSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  columns: readonly EventColumn[],
  options: { firstTouchOnEvents?: boolean } = {},
): string {
  const list = [...new Set<EventColumn>(['message_id', ...columns])].map(sqlIdentifier);
  return `SELECT ${list.join(', ')} FROM ${tableOf(target)} WHERE ${eventConditions(params, target, scope, scope, options.firstTouchOnEvents)}`;
}

/**
 * `FROM (<left>) AS <alias> ANY LEFT JOIN (<map>) AS <mapAlias> USING <key>`: a map lookup.
 * Every left row is kept (LEFT) and gets at most one match (ANY), so a duplicate key in the
 * map can never multiply rows; a row without a match gets the map columns' defaults ('' / 0:
 * the runner pins join_use_nulls = 0). Current ClickHouse requires every joined subquery to
 * be named (ALIAS_REQUIRED).
 */
export function lookupJoin(
  left: { sql: string; alias: string },
  map: { sql: string; alias: string },
  key: string,
): string {
  return `(
${left.sql}
) AS ${left.alias}
ANY LEFT JOIN (
${map.sql}
) AS ${map.alias} USING ${key}`;
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
  'message_id',
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

/** `db.events`, for scans that are duplicate-safe by construction (see the file comment). */
export function tableOf(target: QueryTarget): string {
  return `${sqlIdentifier(target.database)}.${sqlIdentifier(TABLES.events)}`;
}

/**
 * One row per session (device and session hashes) straight from the events table: when it
 * started, its channel, the device's first touch, and its conversions within `conversions` as
 * (epoch seconds, message hash, revenue) — every stored copy of each, deduplicated per person
 * in touchPathsSql. The rest is min / argMin, which a copy cannot change (the file comment):
 * no `LIMIT 1 BY message_id` over the whole range, which cost a hash entry per event.
 */
export function sessionsSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: { conversions: { start: string; end: string }; range: { start: string; end: string } },
): string {
  const p = stagePredicates(params, rules);
  const columns = SESSION_COLUMNS.map(sqlIdentifier).join(', ');
  return `SELECT
  cityHash64(anonymous_id) AS device,
  cityHash64(anonymous_id, session_id) AS session,
  toUInt32(min(timestamp)) AS s_start,
  argMin(session_channel, timestamp) AS s_channel,
  argMin(first_channel, timestamp) AS s_first_channel,
  argMin(first_campaign, timestamp) AS s_first_campaign,
  groupArrayIf(tuple(toUInt32(timestamp), cityHash64(message_id), revenue),
    ${p.transaction}
    AND timestamp >= ${params.dateTime(options.conversions.start, 'start')}
    AND timestamp < ${params.dateTime(options.conversions.end, 'end')}) AS s_convs
FROM (
  SELECT ${columns} FROM ${tableOf(target)}
  WHERE ${eventConditions(params, target, scope, options.range)}
)
GROUP BY device, session`;
}

/** Device hash → hash of the user id it was last linked to (`id_user`, 0: none). */
export function deviceIdentitiesSql(params: SqlParams, target: QueryTarget): string {
  const map = identityMapQuery({
    database: target.database,
    where: `project_id = ${projectParam(params, target)}`,
  });
  return `SELECT cityHash64(anonymous_id) AS device, if(user_id != '', cityHash64(user_id), 0) AS id_user FROM (${map})`;
}

/**
 * Per stitched person (a hash, as in journeys.ts): session touches in time order and
 * conversions, each conversion once — the earliest stored copy of its message.
 */
export function touchPathsSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: { conversions: { start: string; end: string }; range: { start: string; end: string } },
): string {
  const having = personConditions(params, scope);
  return `SELECT
  person, identified, first_channel, first_campaign, touches,
  arrayFilter((c, first) -> first = 1, all_convs, arrayEnumerateUniq(arrayMap(c -> tupleElement(c, 2), all_convs))) AS convs
FROM (
  SELECT
    if(id_user != 0, id_user, device) AS person,
    max(id_user != 0) AS identified,
    argMin(s_first_channel, s_start) AS first_channel,
    argMin(s_first_campaign, s_start) AS first_campaign,
    arraySort(groupArray(tuple(s_start, s_channel))) AS touches,
    arraySort(groupArrayArray(s_convs)) AS all_convs
  FROM ${lookupJoin(
    { sql: sessionsSql(params, target, scope, rules, options), alias: 'sessions' },
    { sql: deviceIdentitiesSql(params, target), alias: 'identities' },
    'device',
  )}
  GROUP BY person${
    having
      ? `
  HAVING ${having}`
      : ''
  }
)`;
}
