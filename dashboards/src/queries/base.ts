/**
 * The building blocks every question shares: the filtered event scan, the identity map, and the
 * per-person touch paths attribution runs on. Sessions, for every source, come from the device
 * timelines (timeline.ts).
 *
 * Duplicate safety: the events table is a ReplacingMergeTree and may hold more than one row per
 * message_id (a client retry can even differ by a second in timestamp). A global
 * `LIMIT 1 BY message_id` over a whole range costs a hash entry per event (seconds at 10M), so
 * the scans here either count each message_id once however often it is stored —
 * uniqExact(message_id), min / argMin / argMax (the earliest copy), sets of days or weeks — or
 * deduplicate per device (the timelines keep each message's earliest copy). People are keyed by
 * 64-bit hashes (contract/src/schema/keys.ts): a user key when the device is linked to a user id
 * or is one, else the device key.
 */
import {
  anonymousDeviceKeySql,
  type EventColumn,
  identityMapQuery,
  TABLES,
  userKeySql,
} from '@waymark/contract/schema';
import { sqlIdentifier } from '../sql/escape.js';
import type { SqlParams } from '../sql/params.js';
import type { Scope } from './scope.js';
import type { StageRules } from './stages.js';
import { deviceTouchesSql, timelinesSql } from './timeline.js';

export interface QueryTarget {
  database: string;
  projectId: string;
  /** The database has device summaries (migration 7); without, every question reads events. */
  summaries?: boolean;
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

/** SQL condition on `identified` (0/1) for the scope's identified filter, or '' for any. */
export function identifiedCondition(scope: Scope, column = 'identified'): string {
  if (scope.identified === 'yes') return `${column} = 1`;
  if (scope.identified === 'no') return `${column} = 0`;
  return '';
}

/** `db.events`, for scans that are duplicate-safe by construction (see the file comment). */
export function tableOf(target: QueryTarget): string {
  return `${sqlIdentifier(target.database)}.${sqlIdentifier(TABLES.events)}`;
}

/**
 * Device key → user key of the user id it was last linked to (`id_user`, 0: none), for every
 * anonymous id the identity map knows (contract/src/schema/keys.ts).
 */
export function deviceIdentitiesSql(params: SqlParams, target: QueryTarget): string {
  const map = identityMapQuery({
    database: target.database,
    where: `project_id = ${projectParam(params, target)}`,
  });
  return `SELECT ${anonymousDeviceKeySql('anonymous_id')} AS device, if(user_id != '', ${userKeySql('user_id')}, 0) AS id_user FROM (${map})`;
}

/**
 * Per stitched person: their touches in time order — (start ms, channel) of each touch-bearing
 * session on any of their devices — and their conversions in range as (ms, message, revenue).
 * Each conversion is one message's earliest copy (the timelines deduplicate per device).
 */
export function touchPathsSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: {
    conversions: { startMs: number; endMs: number };
    range: { start: string; end: string };
    sessionTimeoutMs: number;
  },
): string {
  const timelines = timelinesSql(params, target, scope, rules, {
    range: options.range,
    sessionTimeoutMs: options.sessionTimeoutMs,
    revenue: true,
  });
  const having = personConditions(params, scope);
  return `SELECT
  if(id_user != 0, id_user, device) AS person,
  max(id_user != 0 OR user_only) AS identified,
  max(entry_at > 0) AS has_entry,
  argMinIf((entry_first_channel, entry_first_campaign), entry_at, entry_at > 0) AS entry,
  if(has_entry, tupleElement(entry, 1), 'direct') AS first_channel,
  if(has_entry, tupleElement(entry, 2), '') AS first_campaign,
  arraySort(groupArrayArray(d_touches)) AS touches,
  arraySort(groupArrayArray(d_convs)) AS convs
FROM ${lookupJoin(
    { sql: deviceTouchesSql(params, timelines, options.conversions), alias: 'devices' },
    { sql: deviceIdentitiesSql(params, target), alias: 'identities' },
    'device',
  )}
GROUP BY person${
    having
      ? `
HAVING ${having}`
      : ''
  }`;
}
