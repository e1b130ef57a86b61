/**
 * Device timelines and sessions for every source, as the questions read them: per device (and
 * SDK or not) its events deduplicated and in order, with their sessions (the rule and why it is
 * computed, not stored with the events: contract/src/schema/timeline.ts) and each event's flags
 * under the question's stage rules.
 *
 * Two sources give the same rows. A device's stored summary (contract/src/schema/summaries.ts)
 * when it has no change since its project's watermark, was computed with the project's session
 * timeout and lies wholly inside the range read — one row read instead of its events regrouped,
 * sorted and deduplicated; the device's events otherwise (changed since, straddling the range,
 * or a scope the summaries do not cover: a device-type filter, bots included). The stage rules
 * become flags here in both cases, so a changed rule applies to history.
 *
 * Rows: `device`, `sdk`, `user_only`, parallel arrays `t` (epoch ms), `m` (message hashes), `f`
 * (FLAG bits), `s` (session index, 1, 2, … in order of start), `c` (the events' own session
 * channels), `v` (revenue, when asked), and the entry (`entry_at`, `entry_<column>`).
 */
import {
  changedDevicesSql,
  ENTRY_COLUMNS,
  eventsOfDevicesSql,
  STEP_LABEL_SQL,
  TABLES,
  TOUCH_BEARING_SQL,
  timelineSql,
  watermarkSql,
} from '@waymark/contract/schema';
import { sqlIdentifier } from '../sql/escape.js';
import type { SqlParams } from '../sql/params.js';
import { eventConditions, projectParam, type QueryTarget, tableOf } from './base.js';
import type { Scope } from './scope.js';
import { EVENT_ROW_TERMS, type EventTerms, type StageRules, stagePredicates } from './stages.js';

/** Bits of an event's flags: which stage rules it meets and what kind of event it is. */
export const FLAG = {
  awareness: 0,
  engagement: 1,
  transaction: 2,
  retention: 3,
  page: 4,
  /** A visit: TOUCH_BEARING_SQL. */
  touch: 5,
} as const;

/** `bitTest(<flags>, bit)`: SQL for "the event has this flag". */
export const hasFlag = (flags: string, flag: keyof typeof FLAG) =>
  `bitTest(${flags}, ${FLAG[flag]})`;

/**
 * Each event's rank among the events with `flag` in its own session (1 for the first; an event
 * without the flag ranks among the others without it, so test the flag too), over a timeline's
 * arrays `s` and `f`.
 */
export const rankInSessionSql = (flag: keyof typeof FLAG) =>
  `arrayEnumerateUniq(arrayMap((ss, fl) -> if(${hasFlag('fl', flag)}, ss, 0), s, f))`;

export interface TimelineOptions {
  /** Events read (attribution reads a lookback before the scope). */
  range: { start: string; end: string };
  /** The project's session timeout. */
  sessionTimeoutMs: number;
  /** Also carry each event's revenue (`v`). */
  revenue?: boolean;
  /** Also carry each event's type (`y`) and step label (`l`: the page path of a page, else its name). */
  steps?: boolean;
}

/** The FLAG bits of an event under the rules, from its terms and its visit flag (0/1). */
function flagsSql(params: SqlParams, rules: StageRules, terms: EventTerms, touch: string): string {
  const p = stagePredicates(params, rules, terms);
  return `toUInt8(${[
    `toUInt8(${p.awareness})`,
    `bitShiftLeft(toUInt8(${p.engagementEvent}), ${FLAG.engagement})`,
    `bitShiftLeft(toUInt8(${p.transaction}), ${FLAG.transaction})`,
    `bitShiftLeft(toUInt8(${p.retention}), ${FLAG.retention})`,
    `bitShiftLeft(toUInt8(${terms.type} = 'page'), ${FLAG.page})`,
    `bitShiftLeft(toUInt8(${touch}), ${FLAG.touch})`,
  ].join(' + ')})`;
}

/** Devices a question reads from their events at most, beside summaries (see timelinesSql). */
const MAX_DEVICES_READ_RAW = 100_000;

/** Whether device summaries can answer for this scope: they hold every non-bot event. */
function summariesCover(scope: Scope): boolean {
  return scope.devices.length === 0 && !scope.includeBots;
}

/**
 * Where a question's devices come from: `summaries`, the clause (`FROM … WHERE …`) of the
 * device summaries that answer for the scope, absent when none can (a device-type filter, bots
 * included); and `events`, the timelines of every other device with events in the range,
 * computed from its events (all devices when `summaries` is absent).
 */
export interface DeviceSources {
  summaries?: {
    /** `FROM … WHERE …` of the summaries that answer for the question. */
    answering: string;
    /** `FROM <summaries> FINAL WHERE project_id = …`: every summary of the project, newest versions. */
    all: string;
  };
  events: string;
}

export function deviceSources(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: TimelineOptions,
): DeviceSources {
  const timeout = params.int64(options.sessionTimeoutMs, 'timeout');
  const out = [
    'device',
    'sdk',
    'user_only',
    't',
    'm',
    'f',
    's',
    'c',
    ...(options.revenue ? ['v'] : []),
    ...(options.steps ? ['y', 'l'] : []),
    'entry_at',
    ...ENTRY_COLUMNS.map((c) => `entry_${c}`),
  ].join(', ');
  const fromEvents = (only?: string) =>
    `SELECT ${out} FROM (
${timelineSql({
  from: tableOf(target),
  where: `${eventConditions(params, target, scope, options.range)}${only ? `\n  AND ${only}` : ''}`,
  timeoutMs: timeout,
  fields: [
    { expr: flagsSql(params, rules, EVENT_ROW_TERMS, 'touch'), as: 'f' },
    { expr: 'session_channel', as: 'c' },
    ...(options.revenue ? [{ expr: 'revenue', as: 'v' }] : []),
    ...(options.steps
      ? [
          { expr: 'type', as: 'y' },
          { expr: STEP_LABEL_SQL, as: 'l' },
        ]
      : []),
  ],
})}
)`;
  if (!target.summaries || !summariesCover(scope)) return { events: fromEvents() };

  const db = sqlIdentifier(target.database);
  const summaries = `${db}.${sqlIdentifier(TABLES.deviceSummaries)}`;
  const project = projectParam(params, target);
  const start = params.dateTime(options.range.start, 'readstart');
  const end = params.dateTime(options.range.end, 'readend');
  const answers = `timeout_ms = ${timeout} AND min_at >= ${start} AND max_at < ${end}`;
  // The devices read from their events: changed since the watermark, or with a summary that
  // cannot answer (events on both sides of the range's start or end, another timeout). Listed
  // up to a bound: past it (summaries not built yet, a range that cuts through most devices)
  // every device is read from its events, since sets of millions cost more than they save.
  const fromRaw = `SELECT device, device_id, user_only FROM (
${changedDevicesSql(db, project, { after: watermarkSql(db, project) })}
  )
  UNION ALL
  SELECT device, device_id, user_only FROM ${summaries}
  WHERE project_id = ${project} AND max_at >= ${start} AND min_at < ${end} AND NOT (${answers})
  LIMIT ${MAX_DEVICES_READ_RAW + 1}`;
  const summariesAnswer = `(SELECT count() FROM (${fromRaw})) <= ${MAX_DEVICES_READ_RAW}`;
  return {
    summaries: {
      all: `FROM ${summaries} FINAL WHERE project_id = ${project}`,
      answering: `FROM ${summaries} FINAL
  WHERE project_id = ${project} AND ${answers} AND ${summariesAnswer}
    AND device NOT IN (SELECT device FROM (${fromRaw}))`,
    },
    events: fromEvents(`(NOT ${summariesAnswer} OR ${eventsOfDevicesSql(fromRaw)})`),
  };
}

/** The rules' predicates over the elements of a summary's arrays (`yy` type, `nn` name key). */
export const SUMMARY_TERMS: EventTerms = { type: 'yy', nameKey: 'nn' };

/**
 * The timelines of the scope's devices, one row per device and source kind, from both sources
 * (deviceSources): the rows the file comment describes.
 */
export function timelinesSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: TimelineOptions,
): string {
  return timelinesFrom(
    params,
    rules,
    options,
    deviceSources(params, target, scope, rules, options),
  );
}

/** timelinesSql over sources already built (deviceSources with the same options). */
export function timelinesFrom(
  params: SqlParams,
  rules: StageRules,
  options: TimelineOptions,
  sources: DeviceSources,
): string {
  if (!sources.summaries) return sources.events;
  const flags = flagsSql(params, rules, SUMMARY_TERMS, 'tt');
  return `SELECT device, sdk, user_only, t, m,
    arrayMap((yy, nn, tt) -> ${flags}, y, n, touch) AS f,
    s, CAST(c, 'Array(String)') AS c,${options.revenue ? ' v,' : ''}${options.steps ? " CAST(y, 'Array(String)') AS y, l," : ''} entry_at, ${ENTRY_COLUMNS.map((c) => `entry_${c}`).join(', ')}
  ${sources.summaries.answering}
UNION ALL
${sources.events}`;
}

/**
 * The touches and conversions of timelines (a `timelinesSql` row source, with revenue): one row
 * per device with `d_touches`, (start ms, channel) of each session that has a touch-bearing
 * event — its channel that event's — and `d_convs`, its conversions within `conversions` as (ms,
 * message, revenue), plus the device's entry (`entry_at`, `entry_first_channel`,
 * `entry_first_campaign`). All in arrays, without unrolling the events: a session's start is the
 * time of its first event, carried forward over the rest of it (`arrayFill`); the sessions
 * computed here are contiguous by construction, and an SDK session's first touch-bearing event
 * is its first event, so the start read there is exact either way.
 */
export function deviceTouchesSql(
  params: SqlParams,
  timelines: string,
  conversions: { startMs: number; endMs: number },
): string {
  const from = params.int64(conversions.startMs, 'convstart');
  const to = params.int64(conversions.endMs, 'convend');
  return `SELECT
    device, user_only, entry_at, entry_first_channel, entry_first_campaign,
    arrayFill((x, n) -> n = 1, t, arrayEnumerateUniq(s)) AS starts_at,
    ${rankInSessionSql('touch')} AS touch_nth,
    arrayFilter((x, fl, n) -> ${hasFlag('fl', 'touch')} AND n = 1, arrayZip(starts_at, c), f, touch_nth) AS d_touches,
    arrayFilter((x, fl, tt) -> ${hasFlag('fl', 'transaction')} AND tt >= ${from} AND tt < ${to}, arrayZip(t, m, v), f, t) AS d_convs
  FROM (
${timelines}
  )`;
}
