/**
 * Device summaries: each device's timeline (timeline.ts) computed once and stored, so a question
 * reads one row per device instead of regrouping, sorting and deduplicating its events.
 *
 * What a summary holds is independent of the stage rules — per event its time, message, type,
 * its name's key (event-name.ts), its session, whether it is a visit, its session
 * channel, revenue and step label — so a changed rule still applies to history: the questions
 * turn names into flags when they are asked. It does depend on the project's session timeout,
 * which each row records; a question whose timeout differs reads the events instead.
 *
 * How summaries stay exact and fresh:
 * - Every insert into `events` also writes, through a materialized view, one `device_changes`
 *   row per device it touched (`changed_at` = the server's time of the insert).
 * - The processor's summarizer (processor/src/summarizer.ts) takes the devices changed in
 *   (watermark, now − settle], recomputes their summaries from all their events, and only then
 *   advances the project's watermark in `summary_progress` (`summarizeWindow` below).
 * - A question reads the summary of a device only when the device has no change after the
 *   watermark, its timeout is the project's, and all its events lie in the range read; every
 *   other device with events in the range — changed since, or straddling the range's start or
 *   end — has its timeline computed from its events as before (dashboards/src/queries/timeline.ts).
 *   So an event counts from the moment it is inserted, summarized or not.
 * Several summarizers at once (processor replicas) do the same work twice, harmlessly: rows are
 * versioned by the window's end, the newest wins, and a watermark only moves forward.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { eventNameKeySql } from '../event-name.js';
import {
  columnsDdl,
  DEVICE_CHANGES_V7,
  DEVICE_SUMMARIES_V7,
  SUMMARY_PROGRESS_V7,
  TABLES,
} from './columns.js';
import { migrationContext } from './context.js';
import { DEVICE_KEY_SQL } from './keys.js';
import { assertIdentifier } from './render.js';
import { STEP_LABEL_SQL, type TimelineField, timelineSql } from './timeline.js';

/** The per-event arrays a summary stores (DEVICE_SUMMARIES_V7's t, m and s come with every timeline). */
export const SUMMARY_FIELDS: readonly TimelineField[] = Object.freeze([
  { expr: 'type', as: 'y' },
  { expr: `if(type = 'track', ${eventNameKeySql('event')}, '')`, as: 'n' },
  { expr: 'touch', as: 'tch' },
  { expr: 'session_channel', as: 'c' },
  { expr: 'revenue', as: 'v' },
  { expr: STEP_LABEL_SQL, as: 'l' },
]);

/** Page-view ranks a summary answers the page rule for (`minPageViewsPerSession` up to this). */
export const SUMMARY_PAGE_RANKS = 32;

/** The device_changes row of each device of an events block (the view's and the backfill's). */
export function deviceChangesSelect(from: string, changedAt: string): string {
  return `SELECT project_id, ${changedAt} AS changed_at, ${DEVICE_KEY_SQL} AS device,
        if(anonymous_id != '', anonymous_id, user_id) AS device_id, anonymous_id = '' AS user_only
      FROM ${from}
      WHERE is_bot = 0
      GROUP BY project_id, device, device_id, user_only`;
}

/**
 * The migration's statements. Changes are kept 30 days: a summarizer stopped longer than that
 * leaves its devices unsummarized *and* unmarked — start it again with `summaries rebuild`
 * (processor/README.md).
 */
export const SUMMARY_TABLES_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS {db}.${TABLES.deviceSummaries} (
        ${columnsDdl(DEVICE_SUMMARIES_V7)}
      ) ENGINE = ReplacingMergeTree(version)
      PARTITION BY device % 8
      ORDER BY (project_id, device, sdk)`,
  `CREATE TABLE IF NOT EXISTS {db}.${TABLES.deviceChanges} (
        ${columnsDdl(DEVICE_CHANGES_V7)}
      ) ENGINE = MergeTree()
      ORDER BY (project_id, changed_at, device)
      TTL changed_at + toIntervalDay(30)`,
  `CREATE TABLE IF NOT EXISTS {db}.${TABLES.summaryProgress} (
        ${columnsDdl(SUMMARY_PROGRESS_V7)}
      ) ENGINE = ReplacingMergeTree(watermark)
      ORDER BY project_id`,
];

/** `SELECT max(watermark)` of a project, as a scalar subquery (epoch 0 when none). */
export function watermarkSql(database: string, projectParam: string): string {
  return `(SELECT max(watermark) FROM ${database}.${TABLES.summaryProgress} WHERE project_id = ${projectParam})`;
}

/**
 * The devices whose events changed after `after`: `device`, `device_id`, `user_only`. Read by
 * the questions (their events are read raw). With `latestUpTo`, only the devices whose latest
 * change is no later than that (the summarizer's window): a device changed again after the
 * window waits for the window of its latest change — until then the questions read its events
 * anyway — so each device is summarized once per burst of changes, not once per window.
 */
export function changedDevicesSql(
  database: string,
  projectParam: string,
  window: { after: string; latestUpTo?: string },
): string {
  const from = `FROM ${database}.${TABLES.deviceChanges}
    WHERE project_id = ${projectParam} AND changed_at > ${window.after}`;
  return window.latestUpTo
    ? `SELECT device, device_id, user_only ${from}
    GROUP BY device, device_id, user_only HAVING max(changed_at) <= ${window.latestUpTo}`
    : `SELECT DISTINCT device, device_id, user_only ${from}`;
}

/**
 * Events rows of the devices listed by `devices` (a query with `device_id` and `user_only`):
 * by anonymous id, or by user id for userId-only devices — both through the events table's
 * primary key.
 */
export function eventsOfDevicesSql(devices: string): string {
  return `(anonymous_id IN (SELECT device_id FROM (${devices}) WHERE user_only = 0)
      OR (anonymous_id = '' AND user_id IN (SELECT device_id FROM (${devices}) WHERE user_only = 1)))`;
}

export interface SummarizeOptions {
  projectId: string;
  timeoutMs: number;
  /** Leave changes younger than this (an insert still being written). */
  settleMs: number;
  /** At most about this many devices per window (a window never splits one millisecond). */
  maxDevices: number;
}

export interface SummarizeResult {
  /** Devices summarized (0: nothing was pending). */
  devices: number;
  /** The watermark after this window, epoch ms (0: none yet). */
  watermarkMs: number;
  /** Changed devices still waiting after this window. */
  pending: number;
}

const toMs = (value: string | number): number =>
  typeof value === 'number' ? value : Date.parse(`${value.replace(' ', 'T')}Z`);

/**
 * Summarizes one window of a project's changed devices and advances its watermark: the
 * summarizer's whole step. Safe to run concurrently and to crash anywhere: a window not
 * recorded is done again.
 */
export async function summarizeWindow(
  client: ClickHouseClient,
  database: string,
  options: SummarizeOptions,
): Promise<SummarizeResult> {
  assertIdentifier(database, 'database');
  const params = {
    project: options.projectId,
    settle: Math.max(0, Math.trunc(options.settleMs)),
    limit: Math.max(1, Math.trunc(options.maxDevices)),
  };
  const watermark = watermarkSql(database, '{project:String}');
  // The window's end: the change time of the limit-th changed device, or the newest settled one.
  const [window] = await migrationContext(client, { database }).rows<{
    from: string;
    to: string;
    pending: string;
  }>(
    `SELECT toString(${watermark}) AS from,
        toString(arrayElement(arraySort(groupArray(last_change)), least({limit:UInt64}, count()))) AS to,
        count() AS pending
      FROM (
        SELECT device, max(changed_at) AS last_change FROM ${database}.${TABLES.deviceChanges}
        WHERE project_id = {project:String} AND changed_at > ${watermark}
          AND changed_at <= now64(3, 'UTC') - toIntervalMillisecond({settle:UInt64})
        GROUP BY device
      )`,
    params,
  );
  const pending = Number(window?.pending ?? 0);
  const fromMs = window ? toMs(window.from) : 0;
  if (!window || pending === 0) return { devices: 0, watermarkMs: fromMs, pending: 0 };
  const to = window.to;
  const windowParams = {
    ...params,
    from: window.from,
    to,
    version: toMs(to),
    timeout: options.timeoutMs,
  };
  const devices = changedDevicesSql(database, '{project:String}', {
    after: "{from:DateTime64(3, 'UTC')}",
    latestUpTo: "{to:DateTime64(3, 'UTC')}",
  });
  const timeline = timelineSql({
    from: `${database}.${TABLES.events}`,
    where: `project_id = {project:String} AND is_bot = 0 AND ${eventsOfDevicesSql(devices)}`,
    timeoutMs: '{timeout:UInt64}',
    fields: SUMMARY_FIELDS,
  });
  const columns = Object.keys(DEVICE_SUMMARIES_V7);
  const computed: Record<string, string> = {
    project_id: '{project:String}',
    version: '{version:UInt64}',
    timeout_ms: '{timeout:UInt64}',
    min_at: "fromUnixTimestamp64Milli(arrayMin(t), 'UTC')",
    max_at: "fromUnixTimestamp64Milli(arrayMax(t), 'UTC')",
    touch: 'tch',
    kinds: 'toUInt8(count() OVER (PARTITION BY device))',
    kt: 'arrayMap(x -> x.1, firsts)',
    kn: 'arrayMap(x -> x.2, firsts)',
    ka: 'arrayMap(x -> x.3, firsts)',
    // In time order the first r-th page view comes after the first (r−1)-th: ranks ascend.
    nth_page_at: `arraySlice(arrayMap(x -> x.2, arrayFilter((x, u) -> u = 1, pages, arrayEnumerateUniq(arrayMap(x -> x.1, pages)))), 1, ${SUMMARY_PAGE_RANKS})`,
  };
  const values = columns.map((c) => computed[c] ?? c);
  await client.command({
    query: `INSERT INTO ${database}.${TABLES.deviceSummaries} (${columns.join(', ')})
      SELECT ${values.join(', ')} FROM (
        SELECT *,
          arrayFilter((x, u) -> u = 1, arrayZip(y, n, t), arrayEnumerateUniq(y, n, arrayMap(x -> intDiv(x, 86400000), t))) AS firsts,
          arrayFilter((x, yy) -> yy = 'page', arrayZip(arrayEnumerateUniq(arrayMap((yy, ss) -> if(yy = 'page', ss, 0), y, s)), t), y) AS pages
        FROM (${timeline})
      )`,
    query_params: windowParams,
    clickhouse_settings: { async_insert: 0 },
  });
  await client.insert({
    table: `${database}.${TABLES.summaryProgress}`,
    values: [{ project_id: options.projectId, watermark: to }],
    format: 'JSONEachRow',
    clickhouse_settings: { async_insert: 0 },
  });
  const done = Math.min(pending, params.limit);
  return { devices: done, watermarkMs: toMs(to), pending: pending - done };
}
